"""Migration lint with Squawk (squawk-cli from PyPI): its findings are shown beside
the statements that `schemagen diff` prints and `schemagen migrate new` writes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# Rules turned off, each for a reason that holds for every plan schemagen makes.
DISABLED = {
    "require-lock-timeout": "apply and migrate apply SET LOCAL lock_timeout themselves (--lock-timeout)",
    "require-statement-timeout": "apply and migrate apply SET LOCAL statement_timeout themselves",
    "prefer-robust-stmts": "a plan runs in one transaction and is recomputed after a failure, never re-run in part",
    "require-concurrent-index-creation": "indexes on tables that hold rows are built CONCURRENTLY after the "
                                         "commit; the rest are on tables created or empty in the same plan",
}


def _binary() -> str | None:
    beside = Path(sys.executable).parent / "squawk"
    return str(beside) if beside.exists() else shutil.which("squawk")


def findings(sql: str) -> list[dict] | None:
    """Squawk's findings for the SQL (0-based lines), or None when squawk is not installed."""
    binary = _binary()
    if binary is None:
        return None
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as handle:
        handle.write(sql)
    try:
        result = subprocess.run([binary, "--reporter", "json", "--pg-version", "15",
                                 "--exclude", ",".join(sorted(DISABLED)), handle.name],
                                capture_output=True, text=True, timeout=60)
    finally:
        Path(handle.name).unlink()
    try:
        return json.loads(result.stdout or "[]")
    except ValueError:
        return [{"line": 0, "rule_name": "squawk", "message": (result.stderr or result.stdout).strip()[:300]}]


def annotate(sql: str) -> str:
    """sql with `-- squawk <rule>: message` lines above the statements Squawk flags."""
    found = findings(sql)
    if found is None:
        return "-- squawk: not installed (pip install squawk-cli); migration lint skipped\n" + sql
    notes: dict[int, list[str]] = {}
    for f in found:
        note = f"-- squawk {f['rule_name']}: {f['message']}"
        if note not in notes.setdefault(f["line"], []):
            notes[f["line"]].append(note)
    out, start, pending = [], 0, []
    lines = sql.splitlines()
    for number, line in enumerate(lines):  # notes go above the statement that holds their line
        pending += notes.get(number, [])
        if line.rstrip().endswith(";") or number == len(lines) - 1:
            statement = lines[start:number + 1]
            head = next((i for i, text in enumerate(statement) if not text.startswith("--")), 0)
            out += statement[:head] + pending + statement[head:]
            start, pending = number + 1, []
    return "\n".join(out) + ("\n" if sql.endswith("\n") else "")


def findings_per_statement(statements: list[str]) -> dict[int, list[tuple[str, str]]]:
    """Squawk's findings as {statement index: [(rule, message)]}; empty when squawk is missing."""
    sql, owner = "", []
    for i, statement in enumerate(statements):
        text = statement.rstrip().rstrip(";") + ";\n"
        owner += [i] * text.count("\n")
        sql += text
    out: dict[int, list[tuple[str, str]]] = {}
    for f in findings(sql) or []:
        index = owner[min(f["line"], len(owner) - 1)] if owner else 0
        if (f["rule_name"], f["message"]) not in out.setdefault(index, []):
            out[index].append((f["rule_name"], f["message"]))
    return out
