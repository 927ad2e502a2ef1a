"""Changes that keep every row but break the clients' inserts: a NOT NULL column loses the
default that numbers it from a sequence (a serial column's nextval), so an INSERT that
leaves the column out fails from then on, as after DROP IDENTITY (safety.py marks that).
The sequence itself may be left alone (`ignore:`), so no other statement of the plan says so.

safety.py classifies one statement at a time; this needs the column's live default and
the rest of the plan (a new default or identity for the column makes it harmless), so it
runs over the classified steps.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import text

from schemagen.live.plan import Step
from schemagen.live.stmtinfo import read

# NOT NULL columns whose default takes its values from a sequence (pg_depend: the default
# depends on the sequence; a default that names one by text would not, and is not read here)
_NUMBERED = text("""
SELECT c.relname, a.attname FROM pg_attrdef d
JOIN pg_class c ON c.oid = d.adrelid
JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
WHERE c.relnamespace = CAST(:schema AS regnamespace) AND a.attnotnull AND EXISTS (
    SELECT 1 FROM pg_depend x JOIN pg_class s ON s.oid = x.refobjid
    WHERE x.classid = 'pg_attrdef'::regclass AND x.objid = d.oid AND x.refclassid = 'pg_class'::regclass
      AND s.relkind = 'S')
""")

# what gives the column values again, or lets inserts leave it out
_RESCUES = ("ColumnDefault", "AddIdentity", "DropNotNull", "DropColumn")


def _dropped_defaults(steps: list[Step]) -> dict[tuple[str, str], int]:
    out = {}
    for i, step in enumerate(steps):
        stmt = read(step.sql)
        if stmt.verb == "alter" and stmt.ref and stmt.ref.kind == "table":
            for sub in stmt.sub("ColumnDefault"):
                if sub.detail.get("drop"):
                    out[(stmt.ref.name, sub.name)] = i
    return out


def _rescued(steps: list[Step]) -> set[tuple[str, str]]:
    out = set()
    for step in steps:
        stmt = read(step.sql)
        if stmt.verb == "alter" and stmt.ref:
            out |= {(stmt.ref.name, s.name) for s in stmt.sub(*_RESCUES) if not s.detail.get("drop")}
    return out


def mark_dropped_numbering(steps: list[Step], live, schema: str) -> list[Step]:
    """steps with DROP DEFAULT of a sequence-numbered NOT NULL column marked 'breaks callers'."""
    dropped = _dropped_defaults(steps)
    if not dropped:
        return steps
    numbered = {tuple(r) for r in live.execute(_NUMBERED, {"schema": schema})}
    hit = {i: key for key, i in dropped.items() if key in numbered and key not in _rescued(steps)}
    out = list(steps)
    for i, (table, column) in hit.items():
        if not out[i].unsafe:
            out[i] = replace(out[i], risk="breaks callers",
                             unsafe=f"drops the default of {table}.{column}, which numbers it from a sequence: "
                                    "inserts that leave the column out fail from then on")
    return out
