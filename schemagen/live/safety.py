"""Read each statement of a diff for what it does to data and locks, and move
the ones that must not run inside the main transaction.

The diff engine writes statements in a small, known set of shapes; each rule
below recognises one shape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from schemagen.live import statements
from schemagen.live.plan import Step

_NAME = r'(?:"(?P<{0}>(?:[^"]|"")+)"|(?P<{0}_bare>[A-Za-z_][A-Za-z0-9_$]*))'
_QUALIFIED = _NAME.format("schema") + r"\." + _NAME.format("table")

DROP_TABLE = re.compile(r"^drop table (?:if exists )?" + _QUALIFIED, re.I)
DROP_COLUMN = re.compile(r"^alter table (?:only )?" + _QUALIFIED + r" drop column " + _NAME.format("column"), re.I)
SET_TYPE = re.compile(r"^alter table (?:only )?" + _QUALIFIED + r" alter column " + _NAME.format("column")
                      + r" (?:set data )?type (?P<type>.+?)(?: using .*)?$", re.I | re.S)
SET_NOT_NULL = re.compile(r"^alter table (?:only )?" + _QUALIFIED + r" alter column " + _NAME.format("column")
                          + r" set not null", re.I)
ADD_COLUMN = re.compile(r"^alter table (?:only )?" + _QUALIFIED + r" add column " + _NAME.format("column")
                        + r" (?P<rest>.*)$", re.I | re.S)
ENUM_RECREATE = re.compile(r"^alter type " + _QUALIFIED + r" rename to .*__old_version_to_be_dropped", re.I)
CREATE_INDEX = re.compile(r"^CREATE (?P<unique>UNIQUE )?INDEX " + _NAME.format("index") + r" ON (?:ONLY )?"
                          + _QUALIFIED, re.I)
USING_INDEX = re.compile(r"using index " + _NAME.format("index")
                         + r"(?:\s+(?:not\s+)?deferrable)?(?:\s+initially\s+(?:deferred|immediate))?\s*$", re.I)
VALIDATE = re.compile(r"^alter table (?:only )?" + _QUALIFIED + r" validate constraint "
                      + _NAME.format("constraint"), re.I)
PERSISTENCE = re.compile(r"^alter table (?:only )?" + _QUALIFIED + r" set (?P<to>logged|unlogged)\s*$", re.I)
DETACH = re.compile(r"^alter table (?:only )?" + _QUALIFIED + r" detach partition " + _NAME.format("part_schema")
                    + r"\." + _NAME.format("part"), re.I)
ATTACH = re.compile(r"^alter table (?:only )?" + _QUALIFIED + r" attach partition " + _NAME.format("part_schema")
                    + r"\." + _NAME.format("part"), re.I)
PARTITION_OF = re.compile(r"^create table " + _NAME.format("part_schema") + r"\." + _NAME.format("part")
                          + r" partition of " + _QUALIFIED, re.I)
ADD_CONSTRAINT = re.compile(r"^alter table (?:only )?" + _QUALIFIED + r" add constraint "
                            + _NAME.format("constraint") + r" (?P<body>.*)$", re.I | re.S)


def _get(m: re.Match, group: str) -> str:
    value = m.group(group) or m.group(group + "_bare")
    return value.replace('""', '"')


@dataclass
class Context:
    """What the live database holds, by live table name."""
    tables: set[str]
    rows: set[str]                                  # tables holding at least one row
    column_types: dict[tuple[str, str], str]        # (table, column) -> format_type
    volatile: set[str] = field(default_factory=set)  # volatile functions that new columns' defaults call
    standalone_sequences: set[str] = field(default_factory=set)  # live sequences no column owns
    # domain -> (the type it is over, whether it has constraints), as live has them and as the target does
    live_domains: dict[str, tuple[str, bool]] = field(default_factory=dict)
    target_domains: dict[str, tuple[str, bool]] = field(default_factory=dict)


def _bare(type_name: str) -> str:
    return type_name.strip().split(".")[-1].replace('"', "")


def type_change_rewrites(ctx: Context, old: str, new: str) -> bool:
    """PostgreSQL rewrites when the new type is a domain with constraints (each value is checked
    by casting it anew), or when the types underneath the domains need it."""
    new_core = _COLLATE.sub("", new.strip())
    if (target := ctx.target_domains.get(_bare(new_core))) is not None:
        if target[1]:
            return True
        new = target[0]
    seen = set()
    while (live := ctx.live_domains.get(_bare(old))) is not None and old not in seen:
        seen.add(old)
        old = live[0]  # the type underneath, down to a builtin
        if "(" in new_core:  # a domain column has no length or precision of its own to compare with
            return True
    return rewrites_for_type_change(old, new)


_COLLATE = re.compile(r'\s+collate\s+(?:"(?:[^"]|"")+"|\S+)\s*$', re.I)
_TIMED = re.compile(r"^(timestamp|time)(?:\((\d)\))?( with(?:out)? time zone)?$")
_VARBIT = re.compile(r"^bit varying(?:\((\d+)\))?$")
_TEXTS = re.compile(r"^(text|citext|character varying(?:\(\d+\))?)$")


def rewrites_for_type_change(old: str, new: str) -> bool:
    """Whether ALTER COLUMN ... TYPE rewrites the table (types as format_type prints them;
    checked against relfilenode in tests/live/test_rewrites.py)."""
    return not _widening(old, new)


def _widening(old: str, new: str) -> bool:
    """A type change PostgreSQL makes without rewriting the table."""
    old, new = _COLLATE.sub("", old.strip().lower()), _COLLATE.sub("", new.strip().lower())
    a, b = _TIMED.match(old), _TIMED.match(new)
    if a and b and a.group(1, 3) == b.group(1, 3) and int(b.group(2) or 6) >= int(a.group(2) or 6):
        return True  # more fractional digits (or as many) fit every stored value
    a, b = _VARBIT.match(old), _VARBIT.match(new)
    if a and b and (b.group(1) is None or (a.group(1) and int(b.group(1)) >= int(a.group(1)))):
        return True
    if _TEXTS.match(old) and new in ("text", "citext") or old == "citext" and new == "text":
        return True  # binary-coercible: citext is text compared another way
    vc = re.compile(r"^character varying(?:\((\d+)\))?$")
    a, b = vc.match(old), vc.match(new)
    if a and (new == "text" or (b and (b.group(1) is None or (a.group(1) and int(b.group(1)) >= int(a.group(1)))))):
        return True
    num = re.compile(r"^numeric\((\d+),(\d+)\)$")
    a, b = num.match(old.replace(" ", "")), num.match(new.replace(" ", ""))
    if a and b and a.group(2) == b.group(2) and int(b.group(1)) >= int(a.group(1)):
        return True
    if a and new == "numeric":
        return True
    return old == new


def classify(sql: str, ctx: Context, index_constraints: set[str]) -> Step:
    """A Step for one statement: its phase, and why it is unsafe, if it is."""
    if sql.lower().startswith("drop ") and (step := classify_objects(sql, ctx)):
        return step
    if m := DROP_TABLE.match(sql):
        table = _get(m, "table")
        rows = "and all its rows" if table in ctx.rows else "(it is empty now)"
        return Step(sql, unsafe=f"drops table {table} {rows}")
    if m := DROP_COLUMN.match(sql):
        return Step(sql, unsafe=f"drops column {_get(m, 'table')}.{_get(m, 'column')} and its data")
    if m := ENUM_RECREATE.match(sql):
        return Step(sql, unsafe=f"enum {_get(m, 'table')} loses or reorders values: the type is recreated and "
                                "every column using it rewritten under an exclusive lock; fails if rows hold a "
                                "removed value or a CHECK or index predicate uses the type")
    if m := SET_TYPE.match(sql):
        table, column = _get(m, "table"), _get(m, "column")
        old = ctx.column_types.get((table, column), "")
        new = m.group("type").strip()
        if "__old_version_to_be_dropped" in sql or "::text::" in sql:
            return Step(sql, unsafe=f"rewrites {table} to cast {column} to the recreated enum type")
        if table in ctx.rows and type_change_rewrites(ctx, old, new):
            return Step(sql, unsafe=f"changes {table}.{column} from {old} to {new}: rewrites the table under "
                                    "an ACCESS EXCLUSIVE lock and may fail or lose precision")
        return Step(sql)
    if m := SET_NOT_NULL.match(sql):
        table = _get(m, "table")
        if table in ctx.rows:
            return Step(sql, unsafe=f"scans all of {table} under an ACCESS EXCLUSIVE lock to check "
                                    f"{_get(m, 'column')} for NULLs, and fails if one exists")
        return Step(sql)
    if m := ADD_COLUMN.match(sql):
        table, rest = _get(m, "table"), m.group("rest").lower()
        per_row = _computed_per_row(sql, ctx)
        if per_row and table in ctx.rows:
            return Step(sql, unsafe=f"adds column {per_row}: rewrites {table}, which holds rows, under an "
                                    "ACCESS EXCLUSIVE lock")
        if per_row:
            return Step(sql)
        if table in ctx.rows and "not null" in rest and " default " not in f" {rest} ":
            return Step(sql, unsafe=f"adds NOT NULL column {_get(m, 'column')} without a default to {table}, "
                                    "which holds rows: it fails (give the column a default)")
        return Step(sql)
    if m := PERSISTENCE.match(sql):
        table = _get(m, "table")
        if table in ctx.rows:
            return Step(sql, unsafe=f"rewrites {table} to make it {m.group('to').lower()}, under an ACCESS "
                                    "EXCLUSIVE lock")
        return Step(sql)
    if m := DETACH.match(sql):
        return Step(sql, unsafe=f"detaches partition {_get(m, 'part')}: its rows leave {_get(m, 'table')}")
    if m := ATTACH.match(sql):
        return Step(sql, note=f"checks every row of {_get(m, 'part')} against its bound before it joins "
                              f"{_get(m, 'table')}")
    if m := PARTITION_OF.match(sql):
        return Step(sql, note=f"a new partition of {_get(m, 'table')}: locks it briefly (ACCESS EXCLUSIVE), "
                              "and checks its default partition's rows if it has one")
    if re.match(r"^create (unique )?index \S+ on only ", sql, re.I):
        return Step(sql, note="on the partitioned table only: each partition's index is made and attached below")
    if m := CREATE_INDEX.match(sql):
        table, index = _get(m, "table"), _get(m, "index")
        if table in ctx.rows and index not in index_constraints:
            concurrent = re.sub(r"^CREATE (UNIQUE )?INDEX ", lambda x: f"CREATE {x.group(1) or ''}INDEX "
                                "CONCURRENTLY IF NOT EXISTS ", sql, count=1, flags=re.I)
            return Step(concurrent, phase="after", object_name=index,
                        note=f"{table} holds rows: built CONCURRENTLY so writes go on meanwhile",
                        cleanup=f'DROP INDEX CONCURRENTLY IF EXISTS "{_get(m, "schema")}"."{index}"')
        if table in ctx.rows:
            return Step(sql, unsafe=f"builds index {index} for a key constraint on {table} while blocking writes")
        return Step(sql)
    if m := VALIDATE.match(sql):
        table = _get(m, "table")
        if table in ctx.rows:
            return Step(sql, phase="after", object_name=_get(m, "constraint"),
                        note=f"checks the rows of {table} after the commit, without blocking writes")
        return Step(sql)
    if m := ADD_CONSTRAINT.match(sql):
        table, body = _get(m, "table"), m.group("body").lower()
        if table in ctx.rows and ("check" in body or "foreign key" in body) and "not valid" not in body:
            return Step(sql, unsafe=f"checks every row of {table} while holding a lock that blocks writes")
        if table in ctx.rows and re.match(r"(primary key|unique|exclude)\b", body) and "using index" not in body:
            return Step(sql, unsafe=f"builds the index of constraint {_get(m, 'constraint')} on {table} (and "
                                    "checks every row) while blocking writes")
        return Step(sql)
    return Step(sql)


def _computed_per_row(sql: str, ctx: Context) -> str | None:
    """What makes PostgreSQL compute a new column row by row (and so rewrite the table): an
    identity, a generated expression, a default calling a volatile function."""
    for column, source, calls in statements.added_column_values(sql):
        if source != "default":
            return f"{column} ({'an identity' if source == 'identity' else 'a stored generated expression'})"
        volatile = sorted(set(calls) & ctx.volatile)
        if volatile:
            return f"{column} with a volatile default ({volatile[0]}() is evaluated for every row)"
    return None


def classify_objects(sql: str, ctx: Context) -> Step | None:
    """Drops of sequences and extensions, which only this project's plans hold."""
    for name in statements.dropped(sql, "sequence"):
        if name in ctx.standalone_sequences:
            return Step(sql, unsafe=f"drops sequence {name} and its current value")
    for name in statements.dropped(sql, "extension"):
        return Step(sql, unsafe=f"drops extension {name} (not under extensions: in schema.yaml) and, "
                                "if nothing else stops it, the types and functions it provides")
    return None


def default_functions(statements_: list[str]) -> set[str]:
    """Functions that new columns' defaults call (their volatility decides a rewrite)."""
    return {f for sql in statements_ if ADD_COLUMN.match(sql)
            for _, _, calls in statements.added_column_values(sql) for f in calls}


def index_constraint_names(statements) -> set[str]:
    """Indexes that a later statement turns into a primary key or unique constraint."""
    names = set()
    for sql in statements:
        if m := USING_INDEX.search(sql):
            names.add(_get(m, "index"))
    return names
