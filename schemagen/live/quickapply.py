"""`apply` to an empty schema with psycopg alone: no SQLAlchemy, no diff engine.

An empty schema's plan is schema.sql itself (fastpath.py); what costs time then is
importing SQLAlchemy (more than the whole apply), so this path talks to PostgreSQL
directly and keeps every safety step apply.py takes: the advisory lock (the same
key), lock_timeout and statement_timeout, the plan made again inside the transaction
(the schema must still be empty), the convergence check before the commit (the live
schema's catalog digest equal to the target's, as apply.py's check finds it) and the
history row, in the same transaction.

Anything that is not that plain case (the schema holds something, a declared
extension or a declared role's privilege is already there, another apply holds the
lock, --dev-url, a kept target, a reviewed plan, a prompt) returns None before
anything is changed, and apply.py does the work.
"""

from __future__ import annotations

import contextlib
import json
import sys
import time
from dataclasses import replace

import psycopg

from schemagen.connect import dburl
from schemagen.live import fastpath, history, pgcatalog, privileges, targetdigest
from schemagen.live.lazysql import pyformat
from schemagen.live.options import Options
from schemagen.live.scope import Scope, managed
from schemagen.live.scratch import scratch_database
from schemagen.spec import model as m

ADVISORY_LOCK_KEY = 0x5C4E_6A11  # dbconn.ADVISORY_LOCK_KEY (a test keeps the two equal)


class ApplyError(Exception):
    """As apply.py's (the CLI matches it by name): why it stopped, and that nothing was applied."""

    def __init__(self, message: str, exit_code: int = 2):
        super().__init__(message)
        self.exit_code = exit_code


def apply_empty(schema: m.Schema, live_url: str, opts: Options, out=sys.stdout, err=sys.stderr) -> int | None:
    """apply.apply's exit code when the live schema is empty; None (nothing done) otherwise."""
    if not _eligible(schema, opts):
        return None
    try:
        live = _connect(live_url, schema)
    except psycopg.Error:
        return None  # apply.py connects again and says why it cannot
    with contextlib.closing(live):
        if not _empty(live, schema):
            return None
        scope = managed(schema, opts.scope)
        target = _Target(schema, live_url, opts, {"schema": schema.name, **scope.params()})
        try:
            target.version = live.execute("SELECT current_setting('server_version_num')").fetchone()[0]
            live.rollback()
            target.digest()  # before the lock, as apply.py builds its target
            if not _try_lock(live):
                return None  # apply.py waits for the other apply (--lock-wait) and says so
            try:
                if not _empty(live, schema):
                    return None
                return _apply(schema, live, target, scope, opts, out, err, dburl.describe(live_url))
            finally:
                _unlock(live)
        finally:
            target.close()


def _eligible(schema: m.Schema, opts: Options) -> bool:
    return (opts.dev_url is None and not opts.target_cache and opts.approved is None
            and (opts.yes or opts.dry_run) and not schema.extensions
            and not schema.schemas)  # several schemas: apply.py plans and checks each (live/several.py)


def _connect(url: str, schema: m.Schema, **kwargs):
    """As dbconn.engine's connections: jit off, the managed schema first on the search_path."""
    path = schema.name + (",public" if schema.name != "public" else "")  # dbconn.search_path
    return psycopg.connect(url, connect_timeout=10, application_name="schemagen",
                           options=f"-c jit=off -c search_path={path}", **kwargs)


def _empty(conn, schema: m.Schema) -> bool:
    """fastpath.is_empty and no declared role holding a privilege there (build_plan's test),
    in a transaction of its own."""
    try:
        return not _holds_anything(conn, schema)
    finally:
        conn.rollback()


def _holds_anything(conn, schema: m.Schema) -> bool:
    if conn.execute(pyformat(fastpath.ANYTHING), {"schema": schema.name}).fetchone()[0]:
        return True
    roles = [r.name for r in schema.roles]
    return bool(roles) and conn.execute(pyformat(privileges.LIVE), {"schema": schema.name, "roles": roles}) \
        .fetchone() is not None


class _Target:
    """What apply.py's target database is for here: its catalog digest (targetdigest.py
    remembers it), and, only when the live schema differs from it, its description."""

    def __init__(self, schema: m.Schema, live_url: str, opts: Options, params: dict):
        from schemagen.render.sqlcache import schema_sql
        self.schema, self.live_url, self.opts, self.params = schema, live_url, opts, params
        self.sql, self.version = schema_sql(schema, opts.schema_hash), ""
        self._stack, self._conn = contextlib.ExitStack(), None

    def digest(self, fresh: bool = False) -> str:
        """The remembered digest; fresh: read from a database built now."""
        known = None if fresh else targetdigest.recall(self.sql, self.version, self.params)
        if known is None:
            known = self.connection().execute(pyformat(pgcatalog.digest_query()), self.params).fetchone()[0]
            targetdigest.remember(self.sql, self.version, self.params, known)
        return known

    def connection(self):
        """A database holding schema.sql: the early scratch one when its guess was right,
        else a scratch one built now (as apply._target, never a kept one)."""
        if self._conn is None:
            url = self.opts.early.take(self.sql) if self.opts.early is not None else None
            if url is None:
                from schemagen.render.sql import ddl_statements
                sql = ";\n".join(ddl_statements(self.schema)) + ";\n"
                url = self._stack.enter_context(scratch_database(self.live_url, sql))
            self._conn = self._stack.enter_context(contextlib.closing(_connect(url, self.schema, autocommit=True)))
        return self._conn

    def close(self) -> None:
        self._stack.close()


def _try_lock(conn) -> bool:
    held = conn.execute("SELECT pg_try_advisory_lock(%s)", (ADVISORY_LOCK_KEY,)).fetchone()[0]
    conn.commit()
    return held


def _unlock(conn) -> None:
    with contextlib.suppress(Exception):  # a dead connection has released it already
        conn.rollback()
        conn.execute("SELECT pg_advisory_unlock(%s)", (ADVISORY_LOCK_KEY,))
        conn.commit()


def _apply(schema: m.Schema, live, target: _Target, scope: Scope, opts: Options, out, err, where: str) -> int | None:
    plan = replace(fastpath.plan(schema), header=[scope.header()] if scope.header() else [])
    if plan.empty:
        return None  # nothing to create: apply.py says it is in sync
    opts.notes.extend(plan.notes)
    out.write(plan.render())  # a plan that only creates: Squawk has nothing to say (apply.py)
    out.flush()
    if opts.dry_run:
        print("dry run: nothing was changed", file=err)
        return 1
    started = time.monotonic()
    with live.transaction():
        _lock_settings(live, opts)
        if _holds_anything(live, schema):  # the plan made again: it must be the same
            raise ApplyError("the database changed after the plan was made; nothing was applied. Run apply again.")
        _execute_all(live, plan.statements(), where)
        _converge(live, target)
        _record(live, opts.schema_hash, plan.statements(), time.monotonic() - started)
    print(f"applied {len(plan.steps)} statement(s) to {where} in {time.monotonic() - started:.2f}s", file=err)
    return 0


def _lock_settings(conn, opts: Options) -> None:
    conn.execute("SELECT set_config('lock_timeout', %s, true)", (opts.lock_timeout,))
    conn.execute("SELECT set_config('statement_timeout', %s, true)", (opts.statement_timeout,))


def _execute_all(conn, statements: list[str], where: str) -> None:
    """In one round trip (a savepoint); when that fails, one by one, to name the statement."""
    try:
        with conn.transaction():
            conn.execute(";\n".join(statements))  # no parameters: psycopg sends the text as it is
        return
    except psycopg.Error:
        pass
    for sql in statements:
        _execute(conn, sql, where)


def _execute(conn, sql: str, where: str) -> None:
    try:
        conn.execute(sql)
    except psycopg.Error as exc:
        reason = dburl.reason(exc)
        if "lock timeout" in reason:
            reason += " (another session holds a lock on the table; raise --lock-timeout or retry later)"
        raise ApplyError(f"failed on {where}, everything was rolled back: {reason}\n  statement: {sql}") from None


def _converge(live, target: _Target) -> None:
    """Inside the transaction, the live schema must now be the target's (their catalog digests)."""
    have = live.execute(pyformat(pgcatalog.digest_query()), target.params).fetchone()[0]
    if have == target.digest() or have == target.digest(fresh=True):  # a remembered one is checked before failing
        return
    left = pgcatalog.differences(_describe(live, target.params), _describe(target.connection(), target.params))
    raise ApplyError("the plan did not converge (the database still differs from schema.yaml after it ran); "
                     "everything was rolled back. Remaining:\n  " + "\n  ".join(left))


def _describe(conn, params: dict) -> pgcatalog.Catalog:
    rows = conn.execute(pyformat(pgcatalog.rows_query()), params)
    return {(k, n): pgcatalog.Obj(k, n, p, pn, o, node, json.loads(d)) for k, n, p, pn, o, node, d in rows}


def _record(conn, schema_hash: str, statements: list[str], seconds: float) -> None:
    """history.record, through psycopg."""
    for statement in history.DDL.strip().split(";\n"):
        if statement.strip():
            conn.execute(statement.strip().rstrip(";"))
    conn.execute(pyformat(history.INSERT), history.values("apply", schema_hash, statements, seconds))
