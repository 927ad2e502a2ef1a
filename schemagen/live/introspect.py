"""Facts about a live database that the planner needs, read from the catalog."""

from __future__ import annotations

from sqlalchemy import text

COMMENTS = text("""
SELECT 'table' AS kind, c.relname AS obj, '' AS sub, d.description
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
WHERE n.nspname = :schema AND c.relkind IN ('r', 'p')
UNION ALL
SELECT 'column', c.relname, a.attname, d.description
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
JOIN pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = a.attnum
WHERE n.nspname = :schema AND c.relkind IN ('r', 'p')
UNION ALL
SELECT 'constraint', c.relname, k.conname, d.description
FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_description d ON d.objoid = k.oid AND d.classoid = 'pg_constraint'::regclass
WHERE n.nspname = :schema
UNION ALL
SELECT 'type', t.typname, '', d.description
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
JOIN pg_description d ON d.objoid = t.oid AND d.classoid = 'pg_type'::regclass
WHERE n.nspname = :schema AND t.typtype IN ('e', 'd')
UNION ALL
SELECT 'sequence', c.relname, '', d.description
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
WHERE n.nspname = :schema AND c.relkind = 'S'
UNION ALL
SELECT 'domain constraint', t.typname, k.conname, d.description
FROM pg_constraint k JOIN pg_type t ON t.oid = k.contypid JOIN pg_namespace n ON n.oid = t.typnamespace
JOIN pg_description d ON d.objoid = k.oid AND d.classoid = 'pg_constraint'::regclass
WHERE n.nspname = :schema
UNION ALL
SELECT 'function', p.proname, '', d.description
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
JOIN pg_description d ON d.objoid = p.oid AND d.classoid = 'pg_proc'::regclass
WHERE n.nspname = :schema AND p.pronargs = 0
""")

OBJECTS = text("""
SELECT 'table', c.relname, '' FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = :schema AND c.relkind IN ('r', 'p')
UNION ALL
SELECT 'column', c.relname, a.attname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE n.nspname = :schema AND c.relkind IN ('r', 'p')
UNION ALL
SELECT 'constraint', c.relname, k.conname FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = :schema
UNION ALL
SELECT 'index', c.relname, i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class c ON c.oid = x.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = :schema
UNION ALL
SELECT 'type', t.typname, '' FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE n.nspname = :schema AND t.typtype IN ('e', 'd')
UNION ALL
SELECT 'sequence', c.relname, '' FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = :schema AND c.relkind = 'S'
UNION ALL
SELECT 'owned sequence', t.relname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i')
JOIN pg_class t ON t.oid = d.refobjid WHERE n.nspname = :schema AND c.relkind = 'S'
UNION ALL
SELECT 'domain constraint', t.typname, k.conname FROM pg_constraint k JOIN pg_type t ON t.oid = k.contypid
JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = :schema
UNION ALL
SELECT 'function', p.proname, '' FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = :schema AND p.pronargs = 0
""")

COLUMN_TYPES = text("""
SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE n.nspname = :schema AND c.relkind IN ('r', 'p')
""")

INVALID_INDEXES = text("""
SELECT i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_namespace n ON n.oid = i.relnamespace WHERE n.nspname = :schema AND NOT x.indisvalid
AND i.relkind = 'i' -- a partitioned index is invalid until every partition's is attached: partitions.py
ORDER BY 1
""")


def comments(conn, schema: str) -> dict[tuple[str, str, str], str]:
    return {(k, o, s): d for k, o, s, d in conn.execute(COMMENTS, {"schema": schema})}


def objects(conn, schema: str) -> set[tuple[str, str, str]]:
    return {tuple(r) for r in conn.execute(OBJECTS, {"schema": schema})}


def column_types(conn, schema: str) -> dict[tuple[str, str], str]:
    return {(t, c): ty for t, c, ty in conn.execute(COLUMN_TYPES, {"schema": schema})}


def tables_with_rows(conn, schema: str, tables) -> set[str]:
    """The tables holding at least one row, in one round trip."""
    from schemagen.render.sql import ident, literal
    tables = list(tables)
    if not tables:
        return set()
    probes = " UNION ALL ".join(f"SELECT {literal(t)} WHERE EXISTS (SELECT 1 FROM {ident(schema)}.{ident(t)})"
                                for t in tables)
    return {r[0] for r in conn.exec_driver_sql(probes.replace("%", "%%"))}


_USED_SEQUENCES = text("""
SELECT sequencename FROM pg_sequences WHERE schemaname = :schema AND last_value IS NOT NULL
""")
_VOLATILE = text("SELECT DISTINCT proname FROM pg_proc WHERE provolatile = 'v' AND proname = ANY(:names)")
_UTC = text("SELECT current_setting('TimeZone') IN ('UTC', 'Etc/UTC', 'GMT', 'Etc/GMT', 'UCT', 'Etc/UCT', 'Zulu')")


def safety_context(conn, schema: str, have, statements, rows_in, assume_rows: bool):
    """What safety.classify needs to know about the live database for these statements."""
    from schemagen.live import routine_safety, typechange
    from schemagen.live.safety import RECREATED, Context
    tables = {o.name for o in have.values() if o.kind == "table"}
    named = sorted(tables & ({s.ref.name for s in statements if s.ref} | {s.detail.get("table") for s in statements}
                             | {s.detail.get("partition_of") for s in statements}))
    written = {sub.detail["type"]: sub.detail["mods"] for s in statements for sub in s.sub("AlterColumnType")}
    calls = sorted({c for s in statements for sub in s.sub("AddColumn") for c in sub.detail["calls"]})
    return Context(
        tables=tables, rows=tables if assume_rows else rows_in(named),
        columns=typechange.columns(conn, schema), types=typechange.named(conn, written),
        binary_casts={tuple(r) for r in conn.execute(typechange.BINARY_CASTS)},
        utc=conn.execute(_UTC).scalar(),
        used_sequences={r[0] for r in conn.execute(_USED_SEQUENCES, {"schema": schema})},
        rls_tables={o.name for o in have.values() if o.kind == "table" and o.get("rls")},
        created_policies={s.ref.name for s in statements if s.verb == "create" and s.ref and s.ref.kind == "policy"},
        volatile={r[0] for r in conn.execute(_VOLATILE, {"names": calls})} if calls else set(),
        views={o.name for o in have.values() if o.kind == "view" and o.get("relkind") == "v"},
        matviews={o.name for o in have.values() if o.kind == "view" and o.get("relkind") == "m"},
        table_of={o.name: o.parent_name for o in have.values() if o.kind in ("index", "statistics")},
        recreated={s.ref.name for s in statements if s.verb == "rename" and s.ref
                   and s.detail.get("new_name", "").endswith(RECREATED)},
        domain_users=_domain_users(have, schema), remade=routine_safety.remade(statements))


def _domain_users(have, schema: str) -> dict[str, set[str]]:
    domains = {o.name for o in have.values() if o.kind == "domain"}
    out: dict[str, set[str]] = {}
    for o in have.values():
        if o.kind == "column" and o.parent == "tables":
            name = o.get("type").removeprefix(f"{schema}.").strip('"')
            if name in domains:
                out.setdefault(name, set()).add(o.parent_name)
    return out


def invalid_indexes(conn, schema: str) -> list[str]:
    return [r[0] for r in conn.execute(INVALID_INDEXES, {"schema": schema})]


def server_major(conn) -> int:
    """Read when the connection was made: no query, so no transaction is begun."""
    return conn.dialect.server_version_info[0]


def server_identity(conn) -> tuple:
    """What tells one PostgreSQL server from another without superuser rights: when its
    postmaster started and which databases (with their oids) it holds. Runs in its own
    transaction, which it ends."""
    started = conn.execute(text("SELECT pg_postmaster_start_time()")).scalar()
    databases = tuple(conn.execute(text("SELECT oid, datname FROM pg_database ORDER BY oid")).all())
    conn.rollback()
    return started, databases
