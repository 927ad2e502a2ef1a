"""What the diff engine does not read (or reads too little of), read from pg_catalog:
sequences with their options and owners, identity columns, domains with their
constraints, the columns that use each domain, extensions anywhere in the database,
and which functions are volatile."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text

_NOT_EXTENSION = ("NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = {table}::regclass "
                  "AND e.objid = {oid} AND e.deptype = 'e')")

SEQUENCES = text(f"""
SELECT c.relname, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache,
       s.seqcycle, d.deptype, t.relname, a.attname
FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
     AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
LEFT JOIN pg_class t ON t.oid = d.refobjid
LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
WHERE n.nspname = :schema AND {_NOT_EXTENSION.format(table="'pg_class'", oid="c.oid")}
""")

DOMAINS = text(f"""
SELECT t.typname, format_type(t.typbasetype, t.typtypmod), t.typnotnull, t.typdefault,
       CASE WHEN t.typcollation <> b.typcollation THEN t.typcollation::regcollation::text END,
       coalesce((SELECT json_object_agg(k.conname, json_build_array(pg_get_constraintdef(k.oid), k.convalidated,
                                                                     obj_description(k.oid, 'pg_constraint')))
                 FROM pg_constraint k WHERE k.contypid = t.oid AND k.contype = 'c'), '{{}}'),
       obj_description(t.oid, 'pg_type')
FROM pg_type t JOIN pg_type b ON b.oid = t.typbasetype JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE n.nspname = :schema AND t.typtype = 'd' AND {_NOT_EXTENSION.format(table="'pg_type'", oid="t.oid")}
""")

DOMAIN_COLUMNS = text("""
SELECT t.typname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod)
FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid OR t.typarray = a.atttypid
WHERE n.nspname = :schema AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND t.typtype = 'd'
""")

EXTENSIONS = text("""
SELECT x.extname, n.nspname, x.extversion FROM pg_extension x JOIN pg_namespace n ON n.oid = x.extnamespace
""")

COLUMN_FORMATS = text("""
SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attidentity,
       CASE WHEN a.attcollation <> t.typcollation THEN co.collname END,
       row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum), a.attgenerated, a.attnotnull
FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_collation co ON co.oid = a.attcollation
WHERE n.nspname = :schema AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
""")

# objects that belong to an extension, by the kind an `ignore:` pattern would name them
EXTENSION_MEMBERS = text("""
SELECT CASE WHEN c.relkind IN ('r', 'p', 'f') THEN 'tables' WHEN c.relkind IN ('v', 'm') THEN 'views'
            WHEN c.relkind = 'S' THEN 'sequences' WHEN c.relkind IN ('i', 'I') THEN 'indexes' ELSE 'types' END,
       c.relname
FROM pg_class c JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
WHERE c.relnamespace = to_regnamespace(:schema)
UNION ALL
SELECT 'functions', p.proname FROM pg_proc p
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
WHERE p.pronamespace = to_regnamespace(:schema)
UNION ALL
SELECT 'types', t.typname FROM pg_type t
JOIN pg_depend d ON d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e'
WHERE t.typnamespace = to_regnamespace(:schema)
""")

VOLATILE = text("SELECT DISTINCT proname FROM pg_proc WHERE provolatile = 'v' AND proname = ANY(:names)")


@dataclass(frozen=True)
class SequenceState:
    name: str
    type: str
    start: int
    increment: int
    minvalue: int
    maxvalue: int
    cache: int
    cycle: bool
    identity: bool                      # the sequence behind an identity column
    owner: tuple[str, str] | None       # (table, column) it belongs to

    @property
    def options(self) -> tuple:
        return (self.type, self.start, self.increment, self.minvalue, self.maxvalue, self.cache, self.cycle)


@dataclass(frozen=True)
class DomainState:
    name: str
    base: str
    not_null: bool
    default: str | None
    collation: str | None
    constraints: dict  # name -> [definition, validated, comment]
    comment: str | None = None


@dataclass(frozen=True)
class ColumnFormat:
    type: str                 # format_type
    identity: str             # '', 'a' (always) or 'd' (by default)
    collation: str | None     # a collation other than the type's own
    position: int = 0         # among the table's columns, from 1
    generated: str = ""       # 's' for a stored generated column
    not_null: bool = False


def sequences(conn, schema: str) -> dict[str, SequenceState]:
    out = {}
    for name, typ, start, inc, low, high, cache, cycle, dep, table, column in conn.execute(
            SEQUENCES, {"schema": schema}):
        out[name] = SequenceState(name, typ, start, inc, low, high, cache, cycle, dep == "i",
                                  (table, column) if table else None)
    return out


def domains(conn, schema: str) -> dict[str, DomainState]:
    return {r[0]: DomainState(*r) for r in conn.execute(DOMAINS, {"schema": schema})}


def domain_columns(conn, schema: str) -> dict[str, list[tuple[str, str, str]]]:
    """domain -> (table, column, format_type) of every column of it (or of an array of it)."""
    out: dict[str, list] = {}
    for domain, table, column, typ in conn.execute(DOMAIN_COLUMNS, {"schema": schema}):
        out.setdefault(domain, []).append((table, column, typ))
    return out


def extensions(conn) -> dict[str, tuple[str, str]]:
    """name -> (schema, version), database-wide: an extension lives in one schema but serves all."""
    return {name: (schema, version) for name, schema, version in conn.execute(EXTENSIONS)}


def column_formats(conn, schema: str) -> dict[tuple[str, str], ColumnFormat]:
    return {(t, c): ColumnFormat(*rest) for t, c, *rest in conn.execute(COLUMN_FORMATS, {"schema": schema})}


def volatile(conn, names) -> set[str]:
    names = sorted(set(names))
    return {r[0] for r in conn.execute(VOLATILE, {"names": names})} if names else set()
