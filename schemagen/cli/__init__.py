"""Command line: `schemagen validate|lint|render|check|diff|apply|migrate|dev`.

Exit codes: 0 ok / in sync, 1 findings (invalid schema, stale files),
2 could not run (usage, connection, no server), 3 refused as unsafe.
Heavy modules are imported inside the commands so `--help` stays quick; each
command group lives in its own module (schema, live, migrate, dev).
"""

from __future__ import annotations

import argparse
import sys

from schemagen.cli import adopt, dev, failures, helptext, live, migrate, schema
from schemagen.cli.common import FINDINGS


def build_parser() -> argparse.ArgumentParser:
    from schemagen import __version__
    parser = argparse.ArgumentParser(prog="schemagen", description="PostgreSQL schema as code: "
                                     "schema.yaml -> DDL and SQLAlchemy models.")
    parser.add_argument("-V", "--version", action="version", version=f"schemagen {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--schema", default="schema.yaml", help="schema file (default: schema.yaml)")
    common.add_argument("--out", default="generated", help="output folder (default: generated)")
    common.add_argument("--format", choices=("human", "json", "github", "sarif"), default="human",
                        help="output format: human text, JSON for tools, GitHub annotations, or SARIF 2.1.0 "
                        "for code scanning (default: human)")
    common.add_argument("--migrations", default="migrations", help="migrations folder (default: migrations)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    database = live.database_options()
    schema.add_commands(sub, common)
    live.add_commands(sub, common, database)
    migrate.add_commands(sub, common, database)
    adopt.add_commands(sub, database)
    dev.add_commands(sub)
    helptext.add_exit_codes(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    failures.install_signal_handlers()
    args = build_parser().parse_args(argv)
    from schemagen.diagnostics import SchemaError
    try:
        return args.func(args)
    except SchemaError as exc:
        from schemagen.diagnostics.report import emit
        fmt = getattr(args, "format", "human")  # machine formats go to stdout, for tools to read
        emit(exc.diagnostics, fmt, sys.stderr if fmt == "human" else sys.stdout)
        return FINDINGS
    except KeyboardInterrupt as exc:
        return failures.interrupted(exc)
    except Exception as exc:
        return failures.failure(exc, args, _secrets(args))


def _secrets(args) -> list[str]:
    """Every password the command was given, to keep out of messages."""
    import os
    from urllib.parse import unquote, urlsplit
    found = []
    for url in (getattr(args, "resolved_url", None), getattr(args, "db", None), getattr(args, "dev_url", None),
                os.environ.get("DATABASE_URL")):
        if not url:
            continue
        try:
            password = urlsplit(url).password
        except ValueError:
            password = None
        userinfo = url.split("//", 1)[-1].rpartition("@")[0]
        if password is None and ":" in userinfo:
            password = userinfo.split(":", 1)[1]  # an unreadable URL's best guess
        if password:
            found += [password, unquote(password)]
    return found


def run() -> None:
    """The console script (and `python -m schemagen`): main, then a quick way out (quickexit.py)."""
    from schemagen.cli.quickexit import run as quick
    quick(main)


if __name__ == "__main__":
    run()
