"""Command line: `schemagen validate|lint|render|check|diff|apply|migrate|dev`.

Exit codes: 0 ok / in sync, 1 findings (invalid schema, stale files),
2 could not run (usage, connection, no server), 3 refused as unsafe.
Heavy modules are imported inside the commands so `--help` stays quick; each
command group lives in its own module (schema, live, migrate, dev).
"""

from __future__ import annotations

import argparse
import sys

from schemagen.cli import dev, live, migrate, schema
from schemagen.cli.common import CANNOT_RUN, FINDINGS


def build_parser() -> argparse.ArgumentParser:
    from schemagen import __version__
    parser = argparse.ArgumentParser(prog="schemagen", description="PostgreSQL schema as code: "
                                     "schema.yaml -> DDL and SQLAlchemy models.")
    parser.add_argument("--version", action="version", version=f"schemagen {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--schema", default="schema.yaml", help="schema file (default: schema.yaml)")
    common.add_argument("--out", default="generated", help="output folder (default: generated)")
    common.add_argument("--format", choices=("human", "json", "github"), default="human",
                        help="how problems are reported (default: human)")
    common.add_argument("--migrations", default="migrations", help="migrations folder (default: migrations)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    database = live.database_options()
    schema.add_commands(sub, common)
    live.add_commands(sub, common, database)
    migrate.add_commands(sub, common, database)
    dev.add_commands(sub)
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
    from schemagen.diagnostics import SchemaError
    try:
        return args.func(args)
    except SchemaError as exc:
        from schemagen.diagnostics.report import emit
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
