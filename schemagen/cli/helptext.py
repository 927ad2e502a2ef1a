"""Exit codes in every command's --help, from one table."""

from __future__ import annotations

import argparse

CODES = {
    0: "ok",
    1: "findings",
    2: "could not run (usage, files, connection, privileges, interrupted: 130 Ctrl-C, 143 SIGTERM)",
    3: "refused as unsafe (pass --allow-unsafe)",
}

# What 0 and 1 mean per command (2 means the same everywhere); commands that can exit 3 list it.
MEANING = {
    "validate": {0: "schema.yaml is valid", 1: "schema.yaml has problems (all listed)"},
    "lint": {0: "no lint errors (warnings may be listed)", 1: "at least one lint error"},
    "render": {0: "generated/ written (atomically)", 1: "schema.yaml has problems; nothing written"},
    "check": {0: "generated/ and migrations/ match schema.yaml",
              1: "a generated file is stale, or migrations/ is damaged or does not reproduce schema.yaml"},
    "diff": {0: "the database is in sync", 1: "there are statements to apply (printed)"},
    "apply": {0: "applied, or already in sync", 1: "not applied (declined, --dry-run, or steps after the "
              "commit failed)", 3: "the plan holds UNSAFE statements and --allow-unsafe was not given"},
    "migrate new": {0: "migration written, or nothing to write", 1: "schema.yaml has problems"},
    "migrate apply": {0: "pending migrations applied, or none pending", 1: "a migration file is damaged",
                      3: "a pending migration holds UNSAFE statements and --allow-unsafe was not given"},
    "migrate status": {0: "up to date", 1: "migrations are pending, or there are problems"},
    "migrate baseline": {0: "migrations recorded as applied", 1: "refused: the database is not what they make "
                         "(the difference is printed), VERSION is not a migration, or migrations/ has problems"},
    "migrate hash": {0: "schemagen.sum rewritten"},
    "import": {0: "schema.yaml written: everything was expressed",
               1: "schema.yaml written, but some objects or properties could not be expressed (listed)"},
    "dev status": {0: "running (its URL printed)", 1: "not running"},
    "dev tables": {0: "tables listed", 1: "not running"},
}


def epilog(command: str) -> str:
    meaning = MEANING.get(command, {0: "done"})
    lines = ["exit codes:"]
    for code in sorted(set(meaning) | {2}):
        lines.append(f"  {code}  {meaning.get(code, CODES[code])}")
    return "\n".join(lines)


def add_exit_codes(parser: argparse.ArgumentParser, prefix: str = "") -> None:
    """Give every (sub)command's help an `exit codes:` section."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                command = f"{prefix} {name}".strip()
                sub.formatter_class = argparse.RawDescriptionHelpFormatter
                sub.epilog = epilog(command)
                add_exit_codes(sub, command)
