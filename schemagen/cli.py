"""Command line: `schemagen validate|render|check|dev`.

Exit codes: 0 ok / in sync, 1 findings (invalid schema, stale files),
2 could not run (usage, connection, no server), 3 refused as unsafe.
Heavy modules are imported inside the commands so `--help` stays quick.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

OK, FINDINGS, CANNOT_RUN, UNSAFE = 0, 1, 2, 3


class CannotRun(Exception):
    """A problem that is not in the schema: missing file, unwritable folder."""


def _schema_file(args) -> Path:
    if not Path(args.schema).is_file():
        raise CannotRun(f"{args.schema} not found (run in the folder that holds it, or pass --schema PATH)")
    return Path(args.schema)


def _document(args):
    """The schema file, read with positions (for diagnostics)."""
    from .loader import load
    return load(_schema_file(args), display=args.schema)


def _load(args):
    from .validate import validate
    return validate(_document(args))


def cmd_validate(args) -> int:
    schema = _load(args)
    print(f"{args.schema}: valid ({len(schema.tables)} tables, {len(schema.enums)} enums)", file=sys.stderr)
    return OK


def cmd_lint(args) -> int:
    from .lint import lint
    from .report import emit
    from .validate import validate
    doc = _document(args)
    found = lint(doc, validate(doc))
    emit(found, args.format, sys.stdout, summary=False)
    errors = sum(d.severity == "error" for d in found)
    warnings = sum(d.severity == "warning" for d in found)
    if args.format == "human":
        if found:
            print(f"{errors} error(s), {warnings} warning(s), {len(found) - errors - warnings} info", file=sys.stderr)
        else:
            print(f"{args.schema}: lint clean", file=sys.stderr)
    return FINDINGS if errors else OK


def cmd_render(args) -> int:
    from .output import write
    from .render import render
    files = render(_load(args))
    try:
        changed = write(Path(args.out), files)
    except OSError as exc:
        raise CannotRun(f"cannot write {args.out}/ ({exc.strerror or exc}: {exc.filename}); "
                        "no file was changed") from None
    for rel in changed:
        print(f"wrote {Path(args.out) / rel}", file=sys.stderr)
    print(f"{len(files)} files rendered into {args.out}/, {len(changed)} changed", file=sys.stderr)
    return OK


def cmd_check(args) -> int:
    from .output import compare
    from .render import render
    schema = _load(args)
    result = compare(Path(args.out), render(schema))
    migrations_ok = _check_migrations(args, schema)
    if result.clean:
        print(f"{args.out}/ matches {args.schema}", file=sys.stderr)
        return OK if migrations_ok else FINDINGS
    sys.stdout.writelines(result.diff)
    for label, paths in (("stale", result.stale), ("missing", result.missing),
                         ("unexpected", result.unexpected)):
        for rel in paths:
            print(f"{label}: {args.out}/{rel}", file=sys.stderr)
    print(f"{args.out}/ is out of date with {args.schema}: run `schemagen render` and commit the result",
          file=sys.stderr)
    return FINDINGS


def _check_migrations(args, schema) -> bool:
    """migrations/ must be intact and, replayed from empty, give the rendered schema."""
    from . import migrations
    directory = Path(args.migrations)
    if not migrations.files(directory):
        return True
    problems = migrations.problems(directory)
    for problem in problems:
        print(f"migrations: {problem}", file=sys.stderr)
    if problems:
        return False
    from . import migrate
    left = migrate.replay_difference(schema, _scratch_server(args), directory)
    if left.empty:
        print(f"{directory}/ reproduces {args.schema}", file=sys.stderr)
        return True
    sys.stdout.write(left.render())
    print(f"{directory}/ does not reproduce {args.schema} (above: what is missing): "
          "run `schemagen migrate new NAME`", file=sys.stderr)
    return False


def _scratch_server(args) -> str:
    """Where scratch databases go: --dev-url, else --db / DATABASE_URL, else the private dev server."""
    import os

    from .dburl import normalize
    for url in (getattr(args, "dev_url", None), getattr(args, "db", None), os.environ.get("DATABASE_URL")):
        if url:
            return normalize(url)
    from .dev import DevServer
    return DevServer(Path(".schemagen")).up()


def _url(args) -> str:
    """--db, DATABASE_URL, .env or Secrets Manager (once: it may be a network call)."""
    from .dburl import resolve
    return resolve(args.db)


def _db_options(args):
    import hashlib

    from .apply import Options
    opts = Options(dev_url=args.dev_url, schema_hash=hashlib.sha256(_schema_file(args).read_bytes()).hexdigest())
    for name in ("lock_timeout", "statement_timeout", "lock_wait", "allow_unsafe", "dry_run", "yes", "target_cache"):
        if hasattr(args, name):
            setattr(opts, name, getattr(args, name))
    return opts


def _early_scratch(args, url: str):
    """A scratch database built from the committed generated/schema.sql while the heavy
    modules load and schema.yaml is read and checked (together about as long); used only
    if render gives the same SQL. Not with a cached target, which is quicker still."""
    from .scratch import cache_wanted, early_scratch
    try:
        guess = None if cache_wanted(args.target_cache, args.dev_url) else (Path(args.out) / "schema.sql").read_text()
    except (OSError, UnicodeDecodeError):
        guess = None
    return early_scratch(args.dev_url or url, guess)


def cmd_diff(args) -> int:
    url = _url(args)
    with _early_scratch(args, url) as early:
        from . import apply
        opts = _db_options(args)
        opts.early = early
        plan = apply.diff(_load(args), url, opts)
    if args.format == "json":
        print(plan.to_json())
    elif not plan.empty:
        from .squawk import annotate
        sys.stdout.write(annotate(plan.render()))
    for note in plan.notes:
        print(f"note: {note}", file=sys.stderr)
    from .dburl import describe
    if plan.empty:
        print(f"{describe(url)} is in sync with {args.schema}", file=sys.stderr)
        return OK
    unsafe = len(plan.unsafe_steps)
    print(f"{len(plan.steps)} statement(s) to apply, {unsafe} unsafe", file=sys.stderr)
    return FINDINGS


def cmd_apply(args) -> int:
    url = _url(args)
    with _early_scratch(args, url) as early:
        from . import apply
        opts = _db_options(args)
        opts.early = early
        return apply.apply(_load(args), url, opts)


def cmd_migrate_new(args) -> int:
    from . import migrate
    paths = migrate.new(_load(args), args.name, _scratch_server(args), Path(args.migrations))
    if not paths:
        print(f"{args.migrations}/ already reproduces {args.schema}: no migration written", file=sys.stderr)
        return OK
    for path in paths:
        print(f"wrote {path}", file=sys.stderr)
    print(paths[0].read_text())
    return OK


def cmd_migrate_apply(args) -> int:
    from . import migrate
    url, opts = _url(args), _db_options(args)
    count = migrate.apply(_load(args), url, Path(args.migrations), opts,
                          lambda line: print(line, file=sys.stderr))
    from .dburl import describe
    print(f"{describe(url)}: {count} migration(s) applied" if count else f"{describe(url)}: no pending migrations",
          file=sys.stderr)
    return OK


def cmd_migrate_status(args) -> int:
    from . import migrate
    url = _url(args)
    applied, pending, problems = migrate.status(_load(args), url, Path(args.migrations))
    for line in applied:
        print(f"applied  {line}")
    for line in pending:
        print(f"pending  {line}")
    for line in problems:
        print(f"problem: {line}", file=sys.stderr)
    return FINDINGS if problems or pending else OK


def cmd_migrate_hash(args) -> int:
    from . import migrations
    from .output import write
    directory = Path(args.migrations)
    write(directory, {migrations.SUM_FILE: migrations.sum_text(directory)})
    print(f"wrote {directory / migrations.SUM_FILE}", file=sys.stderr)
    return OK


def _dev_server(args):
    from .dev import DevServer
    return DevServer(Path(args.dir))


def cmd_dev_up(args) -> int:
    if args.docker:
        from .docker import up_docker
        print(up_docker(Path(args.dir)))
        return OK
    print(_dev_server(args).up())
    return OK


def cmd_dev_down(args) -> int:
    if args.docker:
        from .docker import down_docker
        stopped = down_docker(Path(args.dir))
    else:
        stopped = _dev_server(args).down()
    print("stopped" if stopped else "not running", file=sys.stderr)
    return OK


def cmd_dev_status(args) -> int:
    server = _dev_server(args)
    if server.running():
        print(server.url())
        return OK
    print("not running (start it with `schemagen dev up`)", file=sys.stderr)
    return FINDINGS


def cmd_dev_load(args) -> int:
    from .devload import load_file
    server = _dev_server(args)
    url = server.up()
    for line in load_file(server, Path(args.file)):
        print(line)
    print(f"loaded {args.file} into {url}", file=sys.stderr)
    return OK


def _migration_name(value: str) -> str:
    import re
    if not re.fullmatch(r"[a-z0-9_]+", value):
        raise argparse.ArgumentTypeError("use lower-case letters, digits and _ (e.g. add_tags)")
    return value


def cmd_dev_tables(args) -> int:
    from .devload import list_tables
    server = _dev_server(args)
    if not server.running():
        print("not running (start it with `schemagen dev up`)", file=sys.stderr)
        return FINDINGS
    for line in list_tables(server):
        print(line)
    return OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="schemagen", description="PostgreSQL schema as code: "
                                     "schema.yaml -> DDL and SQLAlchemy models.")
    from . import __version__
    parser.add_argument("--version", action="version", version=f"schemagen {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--schema", default="schema.yaml", help="schema file (default: schema.yaml)")
    common.add_argument("--out", default="generated", help="output folder (default: generated)")
    common.add_argument("--format", choices=("human", "json", "github"), default="human",
                        help="how problems are reported (default: human)")
    common.add_argument("--migrations", default="migrations", help="migrations folder (default: migrations)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, func, text in (("validate", cmd_validate, "check schema.yaml; write nothing"),
                             ("lint", cmd_lint, "design rules over schema.yaml (exit 1 on errors)"),
                             ("render", cmd_render, "write generated/ from schema.yaml")):
        sub.add_parser(name, parents=[common], help=text).set_defaults(func=func)
    check = sub.add_parser("check", parents=[common], help="exit 1 when generated/ is not what render would "
                           "write, or migrations/ is damaged or does not reproduce schema.yaml")
    check.add_argument("--db", help="server for the migrations replay (default: $DATABASE_URL, else the dev server)")
    check.add_argument("--dev-url", help="server for the migrations replay, when --db cannot create databases")
    check.set_defaults(func=cmd_check)
    database = argparse.ArgumentParser(add_help=False)
    database.add_argument("--db", help="database URL (default: $DATABASE_URL)")
    database.add_argument("--dev-url", help="server for the scratch database when the role cannot create databases "
                          "(same PostgreSQL major version)")
    targeted = argparse.ArgumentParser(add_help=False)  # diff and apply build the target themselves
    targeted.add_argument("--target-cache", action=argparse.BooleanOptionalAction, default=None,
                          help="keep the built target database (schemagen_target_<hash>, read-only) for the next "
                          "run with the same schema (default: on with --dev-url, off otherwise)")
    diff = sub.add_parser("diff", parents=[common, database, targeted], help="print the SQL that takes the "
                          "database to schema.yaml (exit 1 when there is any)")
    diff.set_defaults(func=cmd_diff)
    apply = sub.add_parser("apply", parents=[common, database, targeted], help="apply that SQL safely")
    apply.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    apply.add_argument("--dry-run", action="store_true", help="print the plan only")
    apply.add_argument("--allow-unsafe", action="store_true", help="run statements marked UNSAFE too")
    apply.add_argument("--lock-timeout", default="5s", help="lock_timeout for each statement (default 5s)")
    apply.add_argument("--statement-timeout", default="5min", help="statement_timeout (default 5min)")
    apply.add_argument("--lock-wait", type=float, default=30.0,
                       help="seconds to wait for another apply to finish (default 30)")
    apply.set_defaults(func=cmd_apply)
    migrate = sub.add_parser("migrate", help="versioned migration files for reviewed deploys")
    migrate_sub = migrate.add_subparsers(dest="migrate_command", required=True, metavar="ACTION")
    new = migrate_sub.add_parser("new", parents=[common, database], help="write migrations/NNNN_NAME.sql "
                                 "(and .down.sql) from what schema.yaml adds to the existing migrations")
    new.add_argument("name", type=_migration_name)
    new.set_defaults(func=cmd_migrate_new)
    mapply = migrate_sub.add_parser("apply", parents=[common, database], help="apply pending migrations in order")
    mapply.add_argument("--lock-timeout", default="5s")
    mapply.add_argument("--statement-timeout", default="5min")
    mapply.add_argument("--lock-wait", type=float, default=30.0)
    mapply.set_defaults(func=cmd_migrate_apply)
    migrate_sub.add_parser("status", parents=[common, database], help="list applied and pending migrations"
                           ).set_defaults(func=cmd_migrate_status)
    migrate_sub.add_parser("hash", parents=[common], help="rewrite migrations/schemagen.sum after a reviewed "
                           "hand edit").set_defaults(func=cmd_migrate_hash)
    dev = sub.add_parser("dev", help="a private local PostgreSQL under .schemagen/")
    dev_sub = dev.add_subparsers(dest="dev_command", required=True, metavar="ACTION")
    dev_common = argparse.ArgumentParser(add_help=False)
    dev_common.add_argument("--dir", default=".schemagen", help="where the server lives (default: .schemagen)")
    up = dev_sub.add_parser("up", parents=[dev_common], help="start (or reuse) it and print its DATABASE_URL")
    up.add_argument("--docker", action="store_true", help="use a postgres:15 container (testcontainers)")
    up.set_defaults(func=cmd_dev_up)
    down = dev_sub.add_parser("down", parents=[dev_common], help="stop it")
    down.add_argument("--docker", action="store_true", help="stop the container started with --docker")
    down.set_defaults(func=cmd_dev_down)
    status = dev_sub.add_parser("status", parents=[dev_common], help="print its URL when running")
    status.set_defaults(func=cmd_dev_status)
    dev_sub.add_parser("tables", parents=[dev_common], help="list the dev database's tables"
                       ).set_defaults(func=cmd_dev_tables)
    load = dev_sub.add_parser("load", parents=[dev_common],
                              help="recreate the dev database, run FILE in one transaction, list the tables")
    load.add_argument("file", nargs="?", default="generated/schema.sql")
    load.set_defaults(func=cmd_dev_load)
    return parser


# Errors meant for people, by class name (so the CLI need not import the heavy
# modules that define them), and their exit codes; anything else is a bug and
# keeps its traceback.
_EXIT_CODES = {"CannotRun": CANNOT_RUN, "ConnectionConfigError": CANNOT_RUN, "DevError": CANNOT_RUN,
               "ScratchError": CANNOT_RUN, "UrlError": CANNOT_RUN, "MigrationError": FINDINGS}


def _exit_code(exc: Exception) -> int | None:
    if type(exc).__name__ in ("ApplyError", "DatabaseError"):
        return exc.exit_code
    return _EXIT_CODES.get(type(exc).__name__)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from .diagnostics import SchemaError
    try:
        return args.func(args)
    except SchemaError as exc:
        from .report import emit
        fmt = getattr(args, "format", "human")  # machine formats go to stdout, for tools to read
        emit(exc.diagnostics, fmt, sys.stderr if fmt == "human" else sys.stdout)
        return FINDINGS
    except KeyboardInterrupt:
        print("schemagen: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        code = _exit_code(exc)
        if code is None:
            raise
        print(f"schemagen: {exc}", file=sys.stderr)
        return code


if __name__ == "__main__":
    sys.exit(main())
