"""Commands against a live database: diff and apply."""

from __future__ import annotations

import argparse
import sys

from schemagen.cli.common import FINDINGS, OK, database_url, db_options, err, load_schema


def _early_scratch(args, url: str, digest_will_do: bool = False):
    """A scratch database built from the committed generated/schema.sql while the heavy
    modules load and schema.yaml is read and checked (together about as long); used only
    if render gives the same SQL. Not with a cached target, which is quicker still, nor
    (digest_will_do: apply) when that SQL's catalog digest is remembered: an empty schema's
    apply needs no target then (live/quickapply.py), and any other builds its own."""
    from pathlib import Path

    from schemagen.live.scratch import cache_wanted, early_scratch
    try:
        guess = None if cache_wanted(args.target_cache, args.dev_url) else (Path(args.out) / "schema.sql").read_text()
    except (OSError, UnicodeDecodeError):
        guess = None
    if guess is not None and not digest_will_do:
        from schemagen.live import targetcache
        guess = None if targetcache.known(guess) else guess  # a recorded target needs no database
    if guess is not None and digest_will_do:
        from schemagen.live import targetdigest
        guess = None if targetdigest.known(guess) else guess
    return early_scratch(args.dev_url or url, guess)


def cmd_diff(args) -> int:
    url = database_url(args)
    with _early_scratch(args, url) as early:
        from schemagen.live import apply
        opts = db_options(args)
        opts.early = early
        plan = apply.diff(load_schema(args), url, opts)
    for note in opts.notes:
        err(f"note: {note}")
    if args.format != "human":
        _report(plan, args)
    elif not plan.empty:
        from schemagen.lint.squawk import annotate
        sys.stdout.write(annotate(plan.render()))
    for note in plan.notes:
        err(f"note: {note}")
    from schemagen.connect.dburl import describe
    if plan.empty:
        for line in plan.header:
            err(f"note: {line}")
        err(f"{describe(url)} is in sync with {args.schema}")
        return OK
    unsafe = len(plan.unsafe_steps)
    err(f"{len(plan.steps)} statement(s) to apply, {unsafe} unsafe")
    return FINDINGS


def _report(plan, args) -> None:
    """Machine formats: JSON (the plan and its findings), GitHub annotations or SARIF (the findings)."""
    import json

    from schemagen.cli.common import document
    from schemagen.cli.findings import plan_findings
    from schemagen.diagnostics.report import emit
    found = plan_findings(plan, load_schema(args), document(args))
    if args.format == "json":
        data = json.loads(plan.to_json())
        data["findings"] = [{"line": d.line, "col": d.col, "severity": d.severity, "code": d.code,
                             "message": d.message} for d in found]
        print(json.dumps(data, indent=2))
    else:
        emit(found, args.format, sys.stdout, summary=False)


def cmd_apply(args) -> int:
    url = database_url(args)
    with _early_scratch(args, url, digest_will_do=True) as early:
        opts = db_options(args)
        opts.early = early
        try:
            schema = load_schema(args)
            from schemagen.live.quickapply import apply_empty
            code = apply_empty(schema, url, opts)  # an empty schema, without SQLAlchemy's import
            if code is not None:
                return code
            from schemagen.live import apply
            return apply.apply(schema, url, opts)
        finally:
            for note in opts.notes:
                err(f"note: {note}")


def database_options() -> argparse.ArgumentParser:
    database = argparse.ArgumentParser(add_help=False)
    database.add_argument("--db", help="database URL (default: $DATABASE_URL)")
    database.add_argument("--dev-url", help="server for the scratch database when the role cannot create databases "
                          "(same PostgreSQL major version)")
    return database


def add_ignore(parser) -> None:
    parser.add_argument("--ignore", action="append", metavar="KIND:PATTERN",
                        help="leave objects of that kind whose names match alone (repeatable; adds to "
                        "schema.yaml's ignore:), e.g. 'tables:legacy_*' or 'extensions:postgis'")


def add_commands(sub, common, database) -> None:
    targeted = argparse.ArgumentParser(add_help=False)  # diff and apply build the target themselves
    targeted.add_argument("--target-cache", action=argparse.BooleanOptionalAction, default=None,
                          help="keep the built target database (schemagen_target_<hash>, read-only) for the next "
                          "run with the same schema (default: on with --dev-url, off otherwise)")
    add_ignore(targeted)
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
