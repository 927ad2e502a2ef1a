"""Commands over schema.yaml alone: validate, lint, render, check."""

from __future__ import annotations

import argparse
import sys

from schemagen.cli.common import (
    FINDINGS,
    OK,
    CannotRun,
    err,
    load_schema,
    schema_file,
    scratch_server,
    stop_started_servers,
)

TYPE_CHECKING = False  # typing costs an import the commands do not need
if TYPE_CHECKING:
    from pathlib import Path


def cmd_validate(args) -> int:
    from schemagen.spec import cached
    facts = cached.facts(schema_file(args), args.schema)
    err(f"{args.schema}: valid ({facts['tables']} tables, {facts['enums']} enums)")
    return OK


def cmd_lint(args) -> int:
    if args.paths:  # pre-commit passes the changed schema files
        return max(cmd_lint(argparse.Namespace(**{**vars(args), "schema": path, "paths": []}))
                   for path in args.paths)
    from schemagen.diagnostics.report import emit
    from schemagen.lint.cached import findings
    found = findings(schema_file(args))
    emit(found, args.format, sys.stdout, summary=False)
    errors = sum(d.severity == "error" for d in found)
    warnings = sum(d.severity == "warning" for d in found)
    if args.format == "human":
        if found:
            err(f"{errors} error(s), {warnings} warning(s), {len(found) - errors - warnings} info")
        else:
            err(f"{args.schema}: lint clean")
    return FINDINGS if errors else OK


def cmd_render(args) -> int:
    from pathlib import Path

    from schemagen.render.cached import render_file
    from schemagen.render.output import write
    files = render_file(schema_file(args), args.schema)
    try:
        changed = write(Path(args.out), files)
    except OSError as exc:
        raise CannotRun(f"cannot write {args.out}/ ({exc.strerror or exc}: {exc.filename}); "
                        "no file was changed") from None
    for rel in changed:
        err(f"wrote {Path(args.out) / rel}")
    err(f"{len(files)} files rendered into {args.out}/, {len(changed)} changed")
    return OK


def cmd_check(args) -> int:
    if args.paths:
        return _check_projects(args)
    try:
        return _check(args)
    finally:
        if args.stop_dev_server:
            stop_started_servers()


def _check_projects(args) -> int:
    """`check FILE...` (pre-commit): check each project a changed file belongs to, found as the
    nearest folder upwards that holds the schema file."""
    import os
    from pathlib import Path
    worst = OK
    for folder in sorted(_projects(args.paths, Path(args.schema).name)):
        cwd = os.getcwd()
        os.chdir(folder)
        try:
            err(f"== {folder}")
            worst = max(worst, cmd_check(argparse.Namespace(**{**vars(args), "paths": []})))
        finally:
            os.chdir(cwd)
    return worst


def _projects(paths: list[str], schema_name: str) -> set[Path]:
    from pathlib import Path
    found = set()
    for path in paths:
        for folder in Path(path).resolve().parents:
            if (folder / schema_name).is_file():
                found.add(folder)
                break
    return found


def _check(args) -> int:
    """generated/ first, then migrations/; the last line says how the whole check ended."""
    from pathlib import Path

    from schemagen.render.cached import render_file
    from schemagen.render.output import compare
    result = compare(Path(args.out), render_file(schema_file(args), args.schema))
    if result.clean:
        err(f"{args.out}/ matches {args.schema}")
    else:
        sys.stdout.writelines(result.diff)
        for label, paths in (("stale", result.stale), ("missing", result.missing),
                             ("unexpected", result.unexpected)):
            for rel in paths:
                err(f"{label}: {args.out}/{rel}")
        err(f"{args.out}/ is out of date with {args.schema}: run `schemagen render` and commit the result")
    migrations_ok = _check_migrations(args)
    views_ok = _check_view_columns(args)
    if result.clean and migrations_ok and views_ok:
        return OK
    if result.clean and migrations_ok:
        err(f"check failed: a view does not return the columns {args.schema} declares (above)")
        return FINDINGS
    if result.clean:  # the migrations' own message stands above: the last line must not read like success
        err(f"check failed: {args.migrations}/ does not reproduce {args.schema} "
            "(run `schemagen migrate new NAME`, review the file, commit it)")
    return FINDINGS


def _check_view_columns(args) -> bool:
    """Views that declare columns: PostgreSQL (a scratch database) must return exactly those."""
    from schemagen.spec import cached
    if not cached.facts(schema_file(args), args.schema)["view_columns"]:
        return True
    from schemagen.live import view_columns
    problems = view_columns.check(load_schema(args), scratch_server(args))
    for problem in problems:
        err(f"views: {problem}")
    if not problems:
        err("the views' declared columns are what PostgreSQL returns")
    return not problems


def _check_migrations(args) -> bool:
    """migrations/ must be intact and, replayed from empty, give the rendered schema."""
    from pathlib import Path
    directory = Path(args.migrations)
    if not directory.is_dir() or not any(directory.glob("*.sql")):
        return True  # nothing to replay (and no need to import the database stack)
    from schemagen.migrate import files as migrations
    if not migrations.files(directory):
        return True
    problems = migrations.problems(directory)
    for problem in problems:
        err(f"migrations: {problem}")
    if problems:
        return False
    from schemagen.migrate import commands as migrate
    left = migrate.replay_difference(load_schema(args), scratch_server(args), directory)
    if left.empty:
        err(f"{directory}/ reproduces {args.schema}")
        return True
    sys.stdout.write(left.render())
    err(f"{directory}/ does not reproduce {args.schema} (above: what is missing): "
        "run `schemagen migrate new NAME`")
    return False


def add_commands(sub, common) -> None:
    for name, func, text in (("validate", cmd_validate, "check schema.yaml; write nothing"),
                             ("render", cmd_render, "write generated/ from schema.yaml")):
        sub.add_parser(name, parents=[common], help=text).set_defaults(func=func)
    lint = sub.add_parser("lint", parents=[common], help="design rules over schema.yaml (exit 1 on errors)")
    lint.add_argument("paths", nargs="*", metavar="SCHEMA", help="schema files to lint (default: --schema)")
    lint.set_defaults(func=cmd_lint)
    check = sub.add_parser("check", parents=[common], help="exit 1 when generated/ is not what render would "
                           "write, or migrations/ is damaged or does not reproduce schema.yaml")
    check.add_argument("--db", help="server for the migrations replay (default: $DATABASE_URL, else the dev server)")
    check.add_argument("--dev-url", help="server for the migrations replay, when --db cannot create databases")
    check.add_argument("--stop-dev-server", action="store_true",
                       help="stop the private dev server at the end if this command started it (hooks, CI)")
    check.add_argument("paths", nargs="*", metavar="FILE",
                       help="check the project(s) these files belong to (the nearest folder upwards holding "
                       "the schema file), as pre-commit passes them; default: the current folder")
    check.set_defaults(func=cmd_check)
