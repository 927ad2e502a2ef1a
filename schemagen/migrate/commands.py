"""`schemagen migrate new|apply|status|hash`, and the replay check behind `schemagen check`."""

from __future__ import annotations

import contextlib
from pathlib import Path

from schemagen.connect import dburl
from schemagen.live import dbconn
from schemagen.live.apply import ApplyError, Options, plan_in_rolled_back_transaction
from schemagen.live.plan import Plan, Step
from schemagen.live.scratch import scratch_database
from schemagen.migrate import files as migrations
from schemagen.render.output import write
from schemagen.render.sql import ddl_statements
from schemagen.spec import model as m

HEADER = ("-- schemagen migration {version}_{name}{down}: written by `schemagen migrate new` from schema.yaml.\n"
          "-- Reviewed, then committed; schemagen.sum holds its checksum. Apply with `schemagen migrate apply`.\n")


@contextlib.contextmanager
def _replayed(server: str, directory: Path, schema: m.Schema, upto: str | None = None):
    """A scratch database holding the migrations in directory (up to version `upto`), replayed from empty."""
    with scratch_database(server, "SELECT 1") as url:
        engine = dbconn.engine(url, dbconn.search_path(schema), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                try:
                    migrations.replay(conn, directory, upto)
                except Exception as exc:
                    raise migrations.MigrationError(f"replaying migrations/ failed: {exc}") from None
            yield url
        finally:
            engine.dispose()


@contextlib.contextmanager
def _rendered(server: str, schema: m.Schema):
    with scratch_database(server, ";\n".join(ddl_statements(schema)) + ";\n") as url:
        yield url


def _plan_between(schema: m.Schema, from_url: str, to_url: str, *, renames: bool) -> Plan:
    path = dbconn.search_path(schema)
    with dbconn.connect(from_url, path) as live, dbconn.connect(to_url, path) as target:
        return plan_in_rolled_back_transaction(schema, live, target, Options(), renames=renames, assume_rows=True,
                                               empty_fast_path=False)


def new(schema: m.Schema, name: str, server: str, directory: Path) -> list[Path]:
    """Write NNNN_name.sql and its .down.sql; return the paths ([] when nothing changed)."""
    problems = migrations.problems(directory)
    if problems:
        raise migrations.MigrationError("fix migrations/ first:\n  " + "\n  ".join(problems))
    with _replayed(server, directory, schema) as before, _rendered(server, schema) as after:
        up = _plan_between(schema, before, after, renames=True)
        if up.empty:
            return []
        undo_renames = _rename_in_place(schema, before)  # so the down plan sees renamed objects as the same
        down = _plan_between(schema, after, before, renames=False)
    down_text = _down_text(down, undo_renames)
    version = migrations.next_version(directory)
    base = f"{version}_{name}"
    from schemagen.lint.squawk import annotate
    files = {
        f"{base}.sql": HEADER.format(version=version, name=name, down="") + annotate(up.render(markers=True)),
        f"{base}.down.sql": HEADER.format(version=version, name=name, down=" (down)")
        + "-- Reverts the migration above; read it before running it: it may drop data.\n" + down_text,
    }
    directory.mkdir(parents=True, exist_ok=True)
    write(directory, files)
    write(directory, {migrations.SUM_FILE: migrations.sum_text(directory)})
    return [directory / f for f in files]


def _down_text(down: Plan, undo_renames: list[str]) -> str:
    """The down plan as a migration file, the renames undone last: its other steps, including
    those after the commit (indexes built concurrently), still use the new names."""
    steps = [Step(sql, note="reverses renamed_from: the data stays") for sql in undo_renames]
    if not down.phase("after"):
        down.steps += steps
        return down.render(markers=True)
    last = Plan(steps).render(markers=True).replace("-- Transaction: schema changes",
                                                    "-- Last transaction: renames undone", 1)
    return down.render(markers=True) + last


def _rename_in_place(schema: m.Schema, url: str) -> list[str]:
    """Run schema.yaml's pending renames on a scratch database; return the statements undoing them."""
    from schemagen.live import introspect
    from schemagen.live.renames import backward, forward, plan_renames
    with dbconn.connect(url, dbconn.search_path(schema)) as conn:
        pending = plan_renames(schema, introspect.objects(conn, schema.name))
        for sql in forward(schema, pending):
            conn.exec_driver_sql(sql)
        conn.commit()
    return backward(schema, pending)


def replay_difference(schema: m.Schema, server: str, directory: Path) -> Plan:
    """What the rendered schema has that the replayed migrations do not (empty when they agree)."""
    with _replayed(server, directory, schema) as before, _rendered(server, schema) as after:
        return _plan_between(schema, before, after, renames=True)


def apply(schema: m.Schema, live_url: str, directory: Path, opts: Options, log) -> int:
    where = dburl.describe(live_url)
    path = dbconn.search_path(schema)
    with dbconn.connect(live_url, path) as live, dbconn.advisory_lock(live, opts.lock_wait, where):
        unsafe = _unsafe_pending(live, schema, directory)
        if unsafe and not opts.allow_unsafe:
            for name, statement, why in unsafe:
                log(f"UNSAFE in {name}: {why}\n  {statement}")
            raise ApplyError(f"refused: {len(unsafe)} unsafe statement(s) in pending migrations (above); nothing "
                             "was applied. Pass --allow-unsafe to run them.", exit_code=3)
        engine = dbconn.engine(live_url, dbconn.search_path(schema), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                return migrations.apply_pending(conn, directory, opts.lock_timeout, opts.statement_timeout, log)
        finally:
            engine.dispose()


def _unsafe_pending(live, schema: m.Schema, directory: Path) -> list[tuple[str, str, str]]:
    """(file, statement, why) for every pending statement that can lose data, rewrite or lock
    for long: classified against the live database now, or marked UNSAFE when it was written."""
    from schemagen.live import introspect, pgcatalog
    from schemagen.live.safety import classify, index_constraint_names
    from schemagen.live.stmtinfo import read
    done = migrations.applied(live)
    live.rollback()
    pending = [mig for mig in migrations.migrations(directory) if mig.version not in done]
    found = []
    for mig in pending:
        text = mig.path.read_text()
        marked = _marked_unsafe(text)
        stmts = [_without_comments(st) for _, section in migrations.sections(text)
                 for st in migrations.statements(section)]
        ctx = introspect.safety_context(live, schema.name, pgcatalog.describe(live, schema.name),
                                        [read(st) for st in stmts],
                                        lambda named: introspect.tables_with_rows(live, schema.name, named), False)
        live.rollback()
        constraint_indexes = index_constraint_names(stmts)
        for statement in stmts:
            why = classify(statement, ctx, constraint_indexes).unsafe or marked.get(statement.strip())
            if why:
                found.append((mig.path.name, statement, why))
    return found


def _without_comments(statement: str) -> str:
    return "\n".join(line for line in statement.splitlines() if not line.lstrip().startswith("--")).strip()


def _marked_unsafe(text: str) -> dict[str, str]:
    """Statements that `migrate new` marked `-- UNSAFE: why` when it wrote the file."""
    out, reason = {}, None
    for line in text.splitlines():
        if line.startswith("-- UNSAFE: "):
            reason = line[len("-- UNSAFE: "):]
        elif line.strip() and not line.startswith("--"):
            if reason:
                out[line.strip().rstrip(";")] = reason
            reason = None
    return out


def baseline(schema: m.Schema, live_url: str, directory: Path, server: str, version: str | None,
             opts: Options) -> tuple[list[str], Plan | None]:
    """Record the migrations up to `version` (default: all) as applied, for a database that
    already is what they produce (checked: replayed into a scratch database on `server` and
    compared). Returns (recorded file names, None), or ([], the difference) when refused."""
    known = migrations.migrations(directory)
    if version is not None and version not in {mig.version for mig in known}:
        raise migrations.MigrationError(f"{directory}/ has no migration {version} (its versions: "
                                        + ", ".join(mig.version for mig in known) + ")")
    wanted = [mig for mig in known if version is None or mig.version <= version]
    if not wanted:
        raise migrations.MigrationError(f"{directory}/ has no migration" + (f" up to {version}" if version else ""))
    found = migrations.problems(directory)
    if found:
        raise migrations.MigrationError("migrations/ has problems; nothing was recorded:\n  " + "\n  ".join(found))
    where = dburl.describe(live_url)
    with dbconn.connect(live_url, dbconn.search_path(schema)) as live, \
            dbconn.advisory_lock(live, opts.lock_wait, where):
        if migrations.applied(live):
            raise migrations.MigrationError(f"{where} already has a migration history: see `schemagen migrate status`")
        live.rollback()
        with _replayed(server, directory, schema, wanted[-1].version) as replayed:
            difference = _plan_between(schema, live_url, replayed, renames=False)
        if not difference.empty:
            return [], difference
        engine = dbconn.engine(live_url, dbconn.search_path(schema), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn, conn.begin():
                migrations.record_baseline(conn, wanted)
        finally:
            engine.dispose()
    return [mig.path.name for mig in wanted], None


def baseline_hint(schema: m.Schema, live_url: str, directory: Path, server: str) -> str | None:
    """For a database with no migration history: does it already match the migrations?"""
    all_migrations = migrations.migrations(directory)
    if not all_migrations:
        return None
    with _replayed(server, directory, schema) as replayed:
        difference = _plan_between(schema, live_url, replayed, renames=False)
    first, last = all_migrations[0].version, all_migrations[-1].version
    if difference.empty:
        return (f"{dburl.describe(live_url)} already matches migrations {first}..{last} but has no migration "
                "history: run `schemagen migrate baseline` to record them as applied")
    return None


def status(schema: m.Schema, live_url: str, directory: Path) -> tuple[list[str], list[str], list[str]]:
    """(applied, pending, problems) as lines for people."""
    with dbconn.connect(live_url, dbconn.search_path(schema)) as conn:
        done = migrations.applied(conn)
    applied, pending, problems = [], [], list(migrations.problems(directory))
    for mig in migrations.migrations(directory):
        state = done.get(mig.version)
        if state is None:
            pending.append(mig.path.name)
            continue
        unfinished = "  (steps after the commit unfinished: run migrate apply)" if state["status"] != "applied" else ""
        applied.append(f"{mig.path.name}  {state['applied_at']:%Y-%m-%d %H:%M:%S %Z}{unfinished}")
        if state["checksum"] != mig.checksum:
            problems.append(f"{mig.path} was changed after it was applied")
    known = {mig.version for mig in migrations.migrations(directory)}
    problems += [f"the database has migration {v} ({s['name']}), which migrations/ does not"
                 for v, s in done.items() if v not in known]
    return applied, pending, problems
