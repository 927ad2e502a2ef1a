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
        found = json.loads(result.stdout or "[]")
    except ValueError:
        return [{"line": 0, "rule_name": "squawk", "message": (result.stderr or result.stdout).strip()[:300]}]
    return _without_new_table_noise(found, sql)


# Rules about locks, scans and rewrites of tables that hold rows: noise on a table the
# same plan creates (it is empty, and nobody else can see it before the commit).
EXISTING_TABLES_ONLY = {
    "prefer-text-field", "constraint-missing-not-valid", "adding-foreign-key-constraint",
    "adding-field-with-default", "adding-not-nullable-field", "adding-required-field", "changing-column-type",
    "disallowed-unique-constraint", "adding-serial-primary-key-field", "require-concurrent-index-creation",
    "ban-drop-column", "ban-drop-not-null", "renaming-column", "renaming-table",
}


def _without_new_table_noise(found: list[dict], sql: str) -> list[dict]:
    """Squawk's findings less those of EXISTING_TABLES_ONLY on tables the SQL itself creates
    (read with PostgreSQL's parser; on SQL it cannot read, every finding stays)."""
    spans = _statement_targets(sql)
    if spans is None:
        return found
    created = {target for _, _, target, creates in spans if creates}

    def target_of(line: int):
        return next((target for first, last, target, _ in spans if first <= line <= last), None)
    return [f for f in found if not (f["rule_name"] in EXISTING_TABLES_ONLY and target_of(f["line"]) in created)]


def _statement_targets(sql: str):
    """[(first line, last line (0-based), (schema, table) it changes, whether it creates it)]."""
    try:
        from pglast import parse_sql
        from pglast.parser import ParseError
    except ImportError:
        return None
    try:
        statements = parse_sql(sql)
    except ParseError:
        return None
    data, spans = sql.encode(), []
    for raw in statements:
        start = raw.stmt_location
        end = start + (raw.stmt_len or len(data) - start)
        first = data[:start].count(b"\n") + (1 if data[start:end].startswith(b"\n") else 0)
        relation = getattr(raw.stmt, "relation", None)
        target = (relation.schemaname or "public", relation.relname) if relation is not None else None
        spans.append((first, data[:end].count(b"\n"), target, type(raw.stmt).__name__ == "CreateStmt"))
    return spans


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
