"""`schemagen migrate new|apply|status|hash`: versioned migration files."""

from __future__ import annotations

import argparse
import re

from schemagen.cli.common import FINDINGS, OK, database_url, db_options, err, load_schema, scratch_server


def cmd_migrate_new(args) -> int:
    from pathlib import Path

    from schemagen.migrate import commands as migrate
    paths = migrate.new(load_schema(args), args.name, scratch_server(args), Path(args.migrations))
    if not paths:
        err(f"{args.migrations}/ already reproduces {args.schema}: no migration written")
        return OK
    for path in paths:
        err(f"wrote {path}")
    print(paths[0].read_text())
    return OK


def cmd_migrate_apply(args) -> int:
    from pathlib import Path

    from schemagen.migrate import commands as migrate
    url, opts = database_url(args), db_options(args)
    count = migrate.apply(load_schema(args), url, Path(args.migrations), opts, err)
    from schemagen.connect.dburl import describe
    err(f"{describe(url)}: {count} migration(s) applied" if count else f"{describe(url)}: no pending migrations")
    return OK


def cmd_migrate_status(args) -> int:
    from pathlib import Path

    from schemagen.connect.dburl import describe
    from schemagen.migrate import commands as migrate
    url, schema = database_url(args), load_schema(args)
    applied, pending, problems = migrate.status(schema, url, Path(args.migrations))
    for line in applied:
        print(f"applied  {line}")
    for line in pending:
        print(f"pending  {line}")
    for line in problems:
        err(f"problem: {line}")
    if pending and not applied and not problems:
        hint = migrate.baseline_hint(schema, url, Path(args.migrations), args.dev_url or url)
        if hint:
            err(f"hint: {hint}")
    if not (problems or pending):
        err(f"{describe(url)}: up to date ({len(applied)} migration(s) applied)")
    return FINDINGS if problems or pending else OK


def cmd_migrate_baseline(args) -> int:
    from pathlib import Path

    from schemagen.connect.dburl import describe
    from schemagen.migrate import commands as migrate
    url = database_url(args)
    recorded, difference = migrate.baseline(load_schema(args), url, Path(args.migrations),
                                            args.dev_url or url, args.version, db_options(args))
    if difference is not None:
        import sys
        sys.stdout.write(difference.render())
        err(f"{describe(url)} is not what the migrations make (above: what would take it there); "
            "nothing was recorded. Apply the difference, or baseline an earlier version.")
        return FINDINGS
    for name in recorded:
        err(f"recorded as applied: {name}")
    err(f"{describe(url)}: {len(recorded)} migration(s) recorded as applied, none run")
    return OK


def cmd_migrate_hash(args) -> int:
    from pathlib import Path

    from schemagen.migrate import files as migrations
    from schemagen.render.output import write
    directory = Path(args.migrations)
    write(directory, {migrations.SUM_FILE: migrations.sum_text(directory)})
    err(f"wrote {directory / migrations.SUM_FILE}")
    return OK


def _migration_name(value: str) -> str:
    if not re.fullmatch(r"[a-z0-9_]+", value):
        raise argparse.ArgumentTypeError("use lower-case letters, digits and _ (e.g. add_tags)")
    return value


def add_commands(sub, common, database) -> None:
    migrate = sub.add_parser("migrate", help="versioned migration files for reviewed deploys")
    migrate_sub = migrate.add_subparsers(dest="migrate_command", required=True, metavar="ACTION")
    new = migrate_sub.add_parser("new", parents=[common, database], help="write migrations/NNNN_NAME.sql "
                                 "(and .down.sql) from what schema.yaml adds to the existing migrations")
    new.add_argument("name", type=_migration_name)
    new.set_defaults(func=cmd_migrate_new)
    mapply = migrate_sub.add_parser("apply", parents=[common, database], help="apply pending migrations in order")
    mapply.add_argument("--lock-timeout", default="5s", help="lock_timeout for each statement (default 5s)")
    mapply.add_argument("--statement-timeout", default="5min", help="statement_timeout (default 5min)")
    mapply.add_argument("--allow-unsafe", action="store_true", help="run statements that can lose data, rewrite "
                        "or lock a table for long too (refused otherwise, exit 3)")
    mapply.add_argument("--lock-wait", type=float, default=30.0,
                        help="seconds to wait for another apply or migrate to finish (default 30)")
    mapply.set_defaults(func=cmd_migrate_apply)
    migrate_sub.add_parser("status", parents=[common, database], help="list applied and pending migrations"
                           ).set_defaults(func=cmd_migrate_status)
    baseline = migrate_sub.add_parser("baseline", parents=[common, database], help="record migrations up to "
                                      "VERSION as applied, for a database that already is what they make (checked)")
    baseline.add_argument("version", nargs="?", help="the last migration to record (default: all of them)")
    baseline.add_argument("--lock-wait", type=float, default=30.0,
                          help="seconds to wait for another apply or migrate to finish (default 30)")
    baseline.set_defaults(func=cmd_migrate_baseline)
    migrate_sub.add_parser("hash", parents=[common], help="rewrite migrations/schemagen.sum after a reviewed "
                           "hand edit").set_defaults(func=cmd_migrate_hash)
