"""What `import` reads from pg_catalog, as plain rows (one query per kind of object)."""

from __future__ import annotations

from dataclasses import dataclass

Q_TABLES = """
SELECT c.oid, c.relname, c.relkind, c.relpersistence, c.relispartition, c.reloptions,
       obj_description(c.oid, 'pg_class') AS comment
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = %(schema)s AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
ORDER BY c.oid  -- creation order: a database built from schema.sql gives its declaration order back"""

Q_COLUMNS = """
SELECT a.attrelid, a.attname, a.attnum, format_type(a.atttypid, a.atttypmod) AS type,
       t.typtype, t.typname, tn.nspname AS type_schema, a.attnotnull, a.attidentity, a.attgenerated,
       pg_get_expr(ad.adbin, ad.adrelid) AS default, col_description(a.attrelid, a.attnum) AS comment,
       a.attcollation <> t.typcollation AND a.attcollation <> 0 AS own_collation, a.attndims,
       CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END AS base  -- its domain's base
FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid JOIN pg_namespace tn ON tn.oid = t.typnamespace
LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
WHERE n.nspname = %(schema)s AND a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p')
ORDER BY a.attrelid, a.attnum"""

Q_CONSTRAINTS = """
SELECT k.conrelid, k.conname, k.contype, k.condeferrable, k.condeferred, k.confmatchtype,
       k.confupdtype, k.confdeltype, k.convalidated, k.conislocal,
       ARRAY(SELECT a.attname FROM unnest(k.conkey) WITH ORDINALITY u(n, i)
             JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n ORDER BY u.i) AS columns,
       rc.relname AS ref_table, rn.nspname AS ref_schema,
       ARRAY(SELECT a.attname FROM unnest(k.confkey) WITH ORDINALITY u(n, i)
             JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.n ORDER BY u.i) AS ref_columns,
       pg_get_constraintdef(k.oid) AS definition, obj_description(k.oid, 'pg_constraint') AS comment,
       k.confdelsetcols IS NOT NULL AS set_columns, i.indnullsnotdistinct AS nulls_not_distinct
FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class rc ON rc.oid = k.confrelid LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
LEFT JOIN pg_index i ON i.indexrelid = k.conindid AND k.contype IN ('p', 'u')
WHERE n.nspname = %(schema)s
ORDER BY k.conrelid, k.oid"""

Q_INDEXES = """
SELECT x.indrelid, i.relname AS name, am.amname AS method, x.indisunique, x.indnkeyatts, x.indnatts,
       x.indexprs IS NOT NULL AS has_expressions, pg_get_expr(x.indpred, x.indrelid) AS predicate,
       x.indnullsnotdistinct, i.reloptions, obj_description(i.oid, 'pg_class') AS comment,
       ARRAY(SELECT a.attname FROM unnest(x.indkey) WITH ORDINALITY u(n, k)
             JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = u.n ORDER BY u.k) AS columns,
       ARRAY(SELECT pg_index_column_has_property(x.indexrelid, k::int, 'desc')
             FROM generate_series(1, x.indnkeyatts) k) AS descending,
       ARRAY(SELECT pg_index_column_has_property(x.indexrelid, k::int, 'nulls_first')
             FROM generate_series(1, x.indnkeyatts) k) AS nulls_first,
       ARRAY(SELECT oc.opcdefault FROM unnest(x.indclass) c(oid)
             JOIN pg_opclass oc ON oc.oid = c.oid) AS default_opclass,
       ARRAY(SELECT coalesce(x.indcollation[k - 1] IN (0, 100) OR x.indcollation[k - 1] = a.attcollation, true)
             FROM generate_series(1, x.indnkeyatts) k
             LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = x.indkey[k - 1]) AS default_collation,
       x.indisvalid, EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid
                             AND k.contype IN ('p', 'u', 'x')) AS backs_constraint
FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
JOIN pg_namespace n ON n.oid = t.relnamespace JOIN pg_am am ON am.oid = i.relam
WHERE n.nspname = %(schema)s AND t.relkind IN ('r', 'p') AND NOT i.relispartition
ORDER BY x.indrelid, i.oid"""

Q_ENUMS = """
SELECT t.typname, ARRAY(SELECT e.enumlabel FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder),
       obj_description(t.oid, 'pg_type')
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE n.nspname = %(schema)s AND t.typtype = 'e'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = t.oid AND d.deptype = 'e')
ORDER BY t.oid"""

Q_OTHER_TYPES = """
SELECT t.typname, t.typtype FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE n.nspname = %(schema)s AND t.typtype IN ('d', 'c', 'r', 'm')
  AND NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.reltype = t.oid)
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = t.oid AND d.deptype = 'e')
ORDER BY t.typname"""

Q_TRIGGERS = """
SELECT g.tgrelid, g.tgname, p.proname, pn.nspname AS function_schema, p.prosrc, pg_get_triggerdef(g.oid) AS definition,
       obj_description(p.oid, 'pg_proc') AS function_comment
FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_proc p ON p.oid = g.tgfoid JOIN pg_namespace pn ON pn.oid = p.pronamespace
WHERE n.nspname = %(schema)s AND NOT g.tgisinternal
ORDER BY g.tgrelid, g.tgname"""

Q_FUNCTIONS = """
SELECT p.proname, pg_get_function_identity_arguments(p.oid), p.prokind
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = %(schema)s
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
ORDER BY p.proname"""

Q_OTHERS = """
SELECT 'sequence', c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = %(schema)s AND c.relkind = 'S'
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i', 'e'))
UNION ALL
SELECT 'policy', p.polname || ' on ' || c.relname FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
 JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %(schema)s
UNION ALL
SELECT 'row level security', c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = %(schema)s AND (c.relrowsecurity OR c.relforcerowsecurity)
UNION ALL
SELECT 'privileges', c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = %(schema)s AND c.relacl IS NOT NULL AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
ORDER BY 1, 2"""


@dataclass
class Catalog:
    schema: str
    schema_comment: str | None
    tables: list
    columns: list
    constraints: list
    indexes: list
    enums: list
    other_types: list
    triggers: list
    functions: list
    others: list


def read(conn, schema: str) -> Catalog:
    """conn: a psycopg connection (row tuples). Read-only, in one snapshot."""
    def rows(query: str) -> list:
        return conn.execute(query, {"schema": schema}).fetchall()
    conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
    try:
        comment = conn.execute("SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace WHERE nspname = %s",
                               (schema,)).fetchone()
        if comment is None:
            return None
        return Catalog(schema, comment[0], rows(Q_TABLES), rows(Q_COLUMNS), rows(Q_CONSTRAINTS), rows(Q_INDEXES),
                       rows(Q_ENUMS), rows(Q_OTHER_TYPES), rows(Q_TRIGGERS), rows(Q_FUNCTIONS), rows(Q_OTHERS))
    finally:
        conn.execute("ROLLBACK")
