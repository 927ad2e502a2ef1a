"""`schemagen diff` and `schemagen apply`: take a live database to schema.yaml.

Nothing is half applied: the schema changes run in one transaction with
lock_timeout and statement_timeout, behind a session advisory lock, and the
plan is diffed again inside that transaction before the commit (it must
converge). Only steps that cannot run in a transaction come after the commit,
each recorded, and a failed one is cleaned up so the next apply finishes it.
"""

from __future__ import annotations

import contextlib
import sys
import time

from sqlalchemy.exc import DBAPIError

from schemagen.connect import dburl
from schemagen.live import dbconn, differ, fastpath, history, introspect, targetcache
from schemagen.live.options import Options
from schemagen.live.plan import Plan
from schemagen.live.planner import build_plan, lock_settings
from schemagen.live.scope import Scope
from schemagen.live.scratch import cache_wanted, target_database
from schemagen.render.sql import ddl_statements
from schemagen.spec import model as m


class ApplyError(Exception):
    """The apply stopped; the message says why and what state the database is in."""

    def __init__(self, message: str, exit_code: int = 2):
        super().__init__(message)
        self.exit_code = exit_code


@contextlib.contextmanager
def _target(schema: m.Schema, live_url: str, live, opts: Options):
    """A connection to a database holding the rendered schema, on the live server
    (or --dev-url's, which must run the same major version): a scratch one, or the
    cached one when asked for (by default only on a --dev-url server, never left
    on a live server unasked)."""
    dev_url = opts.dev_url
    server = dev_url or live_url
    cache = cache_wanted(opts.target_cache, dev_url)
    if dev_url:
        with dbconn.connect(dev_url) as dev:
            _same_major(dev, live)
            if cache and opts.target_cache is None and _same_server(dev, live):
                cache = False  # a live server never keeps a target unasked, however its URL is spelt
                opts.notes.append("--dev-url names the live server itself: the target database is built "
                                  "there and dropped again, not kept")
    # migra's import is wasted on an empty schema, which gets schema.sql as its plan
    preload = _no_preload if _empty(live, schema) else differ.preload
    if opts.early is not None and not cache:
        from schemagen.render.pipeline import render_schema_sql
        url = opts.early.take(render_schema_sql(schema), while_waiting=preload)
        if url:
            with dbconn.connect(url, dbconn.search_path(schema)) as target:
                yield target
            return
    sql = ";\n".join(ddl_statements(schema)) + ";\n"
    # migra's slow import overlaps with building the database (not needed at all when the digests match)
    with target_database(server, sql, cache, while_building=preload) as url, \
            dbconn.connect(url, dbconn.search_path(schema)) as target:
        if cache:
            opts.notes.append(f"target database kept for the next run: {dburl.describe(url)} (read-only; "
                              "the newest 3 are kept; --no-target-cache to build and drop it instead)")
        yield target


def _same_major(dev, live) -> None:
    if introspect.server_major(dev) != introspect.server_major(live):
        raise ApplyError("--dev-url runs another PostgreSQL major version than the live database; "
                         "diffs across versions show false differences")


def _no_preload() -> None:
    return None


def _empty(live, schema: m.Schema) -> bool:
    try:
        return fastpath.is_empty(live, schema)
    finally:
        live.rollback()  # the check's transaction ends here: planning begins its own


def _same_server(dev, live) -> bool:
    """Whether two connections reach one PostgreSQL (compared by what the server says, not the URL)."""
    try:
        return introspect.server_identity(dev) == introspect.server_identity(live)
    finally:
        live.rollback()  # the check's transaction ends here: planning begins its own


def plan_in_rolled_back_transaction(schema: m.Schema, live, target, opts: Options, **plan_options) -> Plan:
    """The plan, made in a transaction on live that is rolled back (renames run in it)."""
    tx = live.begin()
    try:
        lock_settings(live, opts.lock_timeout, opts.statement_timeout)
        return build_plan(schema, live, target, **{"scope": opts.scope, "empty_fast_path": True, **plan_options})
    finally:
        tx.rollback()


def diff(schema: m.Schema, live_url: str, opts: Options) -> Plan:
    """The plan; its target's answers come from the record of an earlier diff of the same SQL on the
    same server when there is one (targetcache.py: no target database is built), else from a target
    database built now, recorded for the next run."""
    path = dbconn.search_path(schema)
    with dbconn.connect(live_url, path) as live:
        try:
            sql, server, replay = _recorded(schema, live, opts, path)
            if replay is not None:
                with contextlib.suppress(targetcache.Miss):  # a question it cannot answer: plan again, for real
                    return plan_in_rolled_back_transaction(schema, live, replay, opts)
            with _target(schema, live_url, live, opts) as target:
                recorder = targetcache.Recorder(target)
                plan = plan_in_rolled_back_transaction(schema, live, recorder, opts)
            if recorder.answers:
                targetcache.save(sql, path, server, recorder)
            return plan
        except DBAPIError as exc:
            raise ApplyError(f"diff failed on {dburl.describe(live_url)}: {dburl.reason(exc)}") from None


def _recorded(schema: m.Schema, live, opts: Options, path: str):
    """(the target's SQL, the key of the server that builds it, a Replay of its record or None)."""
    from schemagen.render.sqlcache import schema_sql
    sql = schema_sql(schema, opts.schema_hash)
    with contextlib.ExitStack() as stack:
        builder = stack.enter_context(dbconn.connect(opts.dev_url)) if opts.dev_url else live
        if opts.dev_url:
            _same_major(builder, live)
        try:
            server = targetcache.server_key(builder)
        finally:
            live.rollback()  # planning begins its own transaction
    return sql, server, targetcache.load(sql, path, server)


# --- apply ------------------------------------------------------------------------

def _confirm(plan: Plan, where: str, opts: Options, out) -> None:
    if opts.yes:
        return
    if not sys.stdin.isatty():
        raise ApplyError("not on a terminal and --yes not given: refusing to apply without a confirmation")
    answer = input(f"Apply {len(plan.steps)} statement(s) to {where}? [y/N] ")
    if answer.strip().lower() not in ("y", "yes"):
        raise ApplyError("not applied", exit_code=1)


def apply(schema: m.Schema, live_url: str, opts: Options, out=sys.stdout, err=sys.stderr) -> int:
    where = dburl.describe(live_url)
    path = dbconn.search_path(schema)
    with dbconn.connect(live_url, path) as live, _target(schema, live_url, live, opts) as target:
        with dbconn.advisory_lock(live, opts.lock_wait, where):
            _drop_invalid_indexes(schema, live_url, err)
            plan = plan_in_rolled_back_transaction(schema, live, target, opts)
            opts.notes.extend(plan.notes)
            if opts.approved is not None and plan.statements() != opts.approved.statements():
                raise ApplyError("the database changed since the plan was approved; nothing was applied "
                                 "(make and review a new plan)")
            if plan.empty:
                print(f"{where} is in sync with schema.yaml; nothing to apply", file=err)
                return 0
            from schemagen.lint.squawk import annotate
            # the same review as `diff` shows; Squawk's rules are about existing tables, which a plan
            # that only creates (an empty schema's) has none of
            out.write(plan.render() if all(s.kind == "create" for s in plan.steps) else annotate(plan.render()))
            out.flush()
            if plan.unsafe_steps and not opts.allow_unsafe:
                raise ApplyError(f"refused: {len(plan.unsafe_steps)} unsafe statement(s) (marked UNSAFE above); "
                                 "nothing was changed. Pass --allow-unsafe to run them.", exit_code=3)
            if opts.dry_run:
                print("dry run: nothing was changed", file=err)
                return 1
            _confirm(plan, where, opts, out)
            started = time.monotonic()
            _run_transactions(schema, live, target, plan, opts, where)
            print(f"applied {len(plan.steps) - len(plan.phase('after'))} statement(s) to {where} "
                  f"in {time.monotonic() - started:.2f}s", file=err)
            failed = _run_after_commit(live_url, dbconn.search_path(schema), plan, opts, err)
    if failed:
        raise ApplyError(f"{failed} step(s) after the commit failed and were cleaned up; the committed changes "
                         "stay. Run apply again to finish them.", exit_code=1)
    return 0


def _execute(conn, sql: str, where: str) -> None:
    try:
        conn.exec_driver_sql(sql.replace("%", "%%"))
    except DBAPIError as exc:
        reason = dburl.reason(exc)
        if "lock timeout" in reason:
            reason += " (another session holds a lock on the table; raise --lock-timeout or retry later)"
        raise ApplyError(f"failed on {where}, everything was rolled back: {reason}\n  statement: {sql}") from None


def _run_transactions(schema: m.Schema, live, target, plan: Plan, opts: Options, where: str) -> None:
    started = time.monotonic()
    expected = plan
    if plan.phase("enum"):
        with live.begin():
            lock_settings(live, opts.lock_timeout, opts.statement_timeout)
            for step in plan.phase("enum"):
                _execute(live, step.sql, where)
            history.record(live, "apply", opts.schema_hash, [s.sql for s in plan.phase("enum")],
                           time.monotonic() - started)
        expected = Plan([s for s in plan.steps if s.phase != "enum"])
    tx = live.begin()
    try:
        lock_settings(live, opts.lock_timeout, opts.statement_timeout)
        try:
            fresh = build_plan(schema, live, target, scope=opts.scope, empty_fast_path=True)  # runs the renames
        except DBAPIError as exc:
            raise ApplyError(f"failed on {where}, everything was rolled back: {dburl.reason(exc)}") from None
        if fresh.statements() != expected.statements():
            raise ApplyError("the database changed after the plan was made; nothing was applied. Run apply again.")
        main = [s for s in fresh.phase("main") if s.kind != "rename"]
        for step in main:
            _execute(live, step.sql, where)
        _converge(schema, live, target, fresh, opts.scope)
        history.record(live, "apply", opts.schema_hash, [s.sql for s in fresh.steps if s.phase == "main"],
                       time.monotonic() - started)
        tx.commit()
    except BaseException:
        if tx.is_active:
            tx.rollback()
        raise


def _converge(schema: m.Schema, live, target, plan: Plan, scope: Scope) -> None:
    """Inside the transaction, the diff must be empty but for the steps that come after the commit."""
    pending = {s.object_name for s in plan.phase("after") if s.object_name}
    left = build_plan(schema, live, target, scope=scope)
    unexpected = [s.sql for s in left.steps if not _names(s) & pending]
    if unexpected:
        raise ApplyError("the plan did not converge (a diff inside the transaction still shows changes); "
                         "everything was rolled back. Remaining:\n  " + "\n  ".join(unexpected))


def _names(step) -> set[str]:
    """The objects a step acts on: its own, and the columns and constraints its ALTER TABLE names."""
    from schemagen.live.stmtinfo import read
    stmt = read(step.sql)
    # a column's or constraint's name comes as table.name: the comment on a constraint still being validated
    own = {stmt.ref.name, stmt.ref.name.rsplit(".", 1)[-1]} if stmt.ref else set()
    return {step.object_name} | own | {sub.name for sub in stmt.subs}


def _drop_invalid_indexes(schema: m.Schema, live_url: str, err) -> None:
    """An interrupted CREATE INDEX CONCURRENTLY leaves an INVALID index: drop it so the plan rebuilds it."""
    engine = dbconn.engine(live_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        for name in introspect.invalid_indexes(conn, schema.name):
            conn.exec_driver_sql(f'DROP INDEX CONCURRENTLY IF EXISTS "{schema.name}"."{name}"')
            history.record(conn, "cleanup", "", [f"DROP INDEX CONCURRENTLY {name}"], 0, detail="invalid index")
            print(f"dropped INVALID index {name} (left by an interrupted build); it is rebuilt below", file=err)
    engine.dispose()


def _run_after_commit(live_url: str, search_path: str, plan: Plan, opts: Options, err) -> int:
    """Run the after-commit steps one by one; return how many failed."""
    failed = 0
    engine = dbconn.engine(live_url, search_path, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        for step in plan.phase("after"):
            started = time.monotonic()
            try:
                conn.exec_driver_sql(step.sql.replace("%", "%%"))
                history.record(conn, "after", opts.schema_hash, [step.sql], time.monotonic() - started)
                print(f"done after commit: {step.sql}", file=err)
            except BaseException as exc:
                if step.cleanup:
                    with contextlib.suppress(Exception):
                        conn.exec_driver_sql(step.cleanup)
                if not isinstance(exc, Exception):
                    raise
                failed += 1
                with contextlib.suppress(Exception):
                    history.record(conn, "after", opts.schema_hash, [step.sql], time.monotonic() - started,
                                   status="failed", detail=dburl.reason(exc))
                print(f"FAILED after commit: {step.sql}\n  {dburl.reason(exc)}"
                      + (f"\n  cleaned up: {step.cleanup}" if step.cleanup else ""), file=err)
    engine.dispose()
    return failed
