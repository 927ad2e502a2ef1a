"""Whether PostgreSQL rewrites a table to change a column's type (ALTER COLUMN ... TYPE).

It does not when the old values are valid as they are: the same base type with a
modifier that only widens (varchar(10) -> varchar(20), numeric(10,2) -> numeric(12,2),
timestamp(3) -> timestamp(6)), a binary-coercible cast to a type without a modifier
(varchar -> text, cidr -> inet), a domain to its base type written without a modifier
(to numeric(10,2) from a domain over numeric(10,2) is a rewrite: tests/live/test_rewrites.py)
or to a domain without constraints over the same base, timestamp <-> timestamptz when the session's time zone
is UTC. Anything else is a rewrite (and a domain with constraints checks every row:
PostgreSQL rewrites then too). tests/live/test_safety.py checks these against relfilenode.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text

_WIDENS_FIRST = {"character varying", "bit varying", "timestamp without time zone", "timestamp with time zone",
                 "time without time zone", "time with time zone"}


@dataclass(frozen=True)
class TypeInfo:
    base: str                 # the base type (a domain's, recursively), as format_type names it
    mods: tuple[int, ...]     # its modifiers: (length), (precision, scale), (precision); () for none
    domain: bool = False      # the type is a domain
    checked: bool = False     # a domain with CHECK constraints or NOT NULL


def _widens(base: str, old: tuple[int, ...], new: tuple[int, ...]) -> bool:
    if old == new or (not new and base != "character"):
        return True
    if not old:
        return False
    if base in _WIDENS_FIRST:
        return new[0] >= old[0]
    if base == "numeric":
        return len(old) == len(new) == 2 and new[1] == old[1] and new[0] >= old[0]
    return False


def rewrites(old: TypeInfo, new: TypeInfo, binary_casts: set[tuple[str, str]], utc: bool) -> bool:
    if new.domain and new.checked:
        return True
    if old.domain and new.mods and not new.domain:
        return True  # a domain column has no modifier of its own: each value goes through the length coercion
    if old.base == new.base:
        return not _widens(old.base, old.mods, new.mods)
    if (old.base, new.base) in binary_casts:
        return bool(new.mods)
    if {old.base, new.base} == {"timestamp without time zone", "timestamp with time zone"}:
        return not utc
    return True


def mods_of(base: str, typmod: int) -> tuple[int, ...]:
    """PostgreSQL's atttypmod as the modifiers SQL writes."""
    if typmod < 0:
        return ()
    if base == "numeric":
        return ((typmod - 4) >> 16) & 0xFFFF, (typmod - 4) & 0xFFFF
    if base in ("character varying", "character"):
        return (typmod - 4,)
    return (typmod,)


_COLUMNS = text("""
WITH RECURSIVE chain(start, oid, typmod, domain, checked) AS (
    SELECT t.oid, t.oid, -1, false, false FROM pg_type t
    UNION ALL
    SELECT c.start, t.typbasetype, t.typtypmod, true,
           c.checked OR t.typnotnull OR EXISTS (SELECT 1 FROM pg_constraint k WHERE k.contypid = t.oid)
    FROM chain c JOIN pg_type t ON t.oid = c.oid WHERE t.typtype = 'd'
)
SELECT r.relname, a.attname, format_type(b.oid, NULL), a.atttypmod, b.typmod, b.domain, b.checked
FROM pg_class r JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
JOIN LATERAL (SELECT c.oid, c.typmod, c.domain, c.checked FROM chain c JOIN pg_type t ON t.oid = c.oid
              WHERE c.start = a.atttypid AND t.typtype <> 'd') b ON true
WHERE r.relnamespace = to_regnamespace(:schema) AND r.relkind IN ('r', 'p')
""")

_TYPES = text("""
WITH RECURSIVE named(name, oid) AS (SELECT n, to_regtype(n) FROM unnest(CAST(:names AS text[])) n),
chain(name, oid, typmod, domain, checked) AS (
    SELECT name, oid, -1, false, false FROM named WHERE oid IS NOT NULL
    UNION ALL
    SELECT c.name, t.typbasetype, t.typtypmod, true,
           c.checked OR t.typnotnull OR EXISTS (SELECT 1 FROM pg_constraint k WHERE k.contypid = t.oid)
    FROM chain c JOIN pg_type t ON t.oid = c.oid WHERE t.typtype = 'd'
)
SELECT c.name, format_type(c.oid, NULL), c.typmod, c.domain, c.checked
FROM chain c JOIN pg_type t ON t.oid = c.oid WHERE t.typtype <> 'd'
""")

BINARY_CASTS = text("""
SELECT format_type(castsource, NULL), format_type(casttarget, NULL) FROM pg_cast WHERE castmethod = 'b'
""")


def columns(conn, schema: str) -> dict[tuple[str, str], TypeInfo]:
    out = {}
    for table, column, base, typmod, base_typmod, domain, checked in conn.execute(_COLUMNS, {"schema": schema}):
        mod = base_typmod if domain and base_typmod >= 0 else typmod
        out[table, column] = TypeInfo(base, mods_of(base, mod), domain, checked)
    return out


def named(conn, written: dict[str, tuple[int, ...]]) -> dict[str, TypeInfo]:
    """Types as statements write them (text -> the modifiers the statement gives) resolved in conn."""
    if not written:
        return {}
    out = {}
    for name, base, typmod, domain, checked in conn.execute(_TYPES, {"names": sorted(written)}):
        mods = mods_of(base, typmod) if domain and typmod >= 0 else written[name]
        out[name] = TypeInfo(base, mods, domain, checked)
    return out
