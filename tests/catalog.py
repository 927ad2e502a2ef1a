"""Read a schema back from PostgreSQL's catalog: the oracle the tests compare against.

Everything is read with the server's own deparsers (format_type,
pg_get_constraintdef, pg_get_indexdef, pg_get_triggerdef), so two databases
built in different ways compare equal only if PostgreSQL sees the same schema.
"""

from __future__ import annotations

import difflib
import pprint

ENUMS = """
SELECT t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder), obj_description(t.oid, 'pg_type')
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid
WHERE n.nspname = %(schema)s GROUP BY t.oid, t.typname
"""
TABLES = """
SELECT c.oid, c.relname, obj_description(c.oid, 'pg_class'), c.relkind, c.relpersistence, c.reloptions,
       pg_get_expr(c.relpartbound, c.oid), CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END,
       (SELECT i.inhparent::regclass::text FROM pg_inherits i WHERE i.inhrelid = c.oid),
       (SELECT t.reloptions FROM pg_class t WHERE t.oid = c.reltoastrelid)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = %(schema)s AND c.relkind IN ('r', 'p')
"""
COLUMNS = """
SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
       pg_get_expr(d.adbin, d.adrelid), col_description(a.attrelid, a.attnum), a.attnum,
       a.attidentity, a.attgenerated, a.attcollation::regcollation::text, a.attndims
FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attrelid = %(oid)s AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
"""
# A constraint PostgreSQL clones for a partition (a foreign key referencing a partitioned
# table has one per partition) is named by its root and what it references: its own name
# depends on the order the partitions were made in.
CONSTRAINTS = """
SELECT (WITH RECURSIVE up(parent, name) AS (
            SELECT k.conparentid, k.conname
            UNION ALL SELECT p.conparentid, p.conname FROM up JOIN pg_constraint p ON p.oid = up.parent)
        SELECT name FROM up WHERE parent = 0)
       || CASE WHEN k.conparentid <> 0 THEN ' -> ' || k.confrelid::regclass::text ELSE '' END,
       k.contype, pg_get_constraintdef(k.oid), obj_description(k.oid, 'pg_constraint'), k.conislocal,
       k.coninhcount
FROM pg_constraint k WHERE k.conrelid = %(oid)s
"""
INDEXES = """
SELECT i.relname, pg_get_indexdef(i.oid), x.indisvalid,
       (SELECT h.inhparent::regclass::text FROM pg_inherits h WHERE h.inhrelid = i.oid)
FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = %(oid)s
"""
TRIGGERS = """
SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = %(oid)s AND NOT tgisinternal
"""
SEQUENCES = """
SELECT c.relname, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache,
       s.seqcycle, obj_description(c.oid, 'pg_class'),
       (SELECT d.deptype::text || ':' || d.refobjid::regclass::text || '.' || a.attname FROM pg_depend d
        JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
        WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i'))
FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = %(schema)s
"""
DOMAINS = """
SELECT t.oid, t.typname, format_type(t.typbasetype, t.typtypmod), t.typnotnull, t.typdefault,
       t.typcollation::regcollation::text, obj_description(t.oid, 'pg_type')
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = %(schema)s AND t.typtype = 'd'
"""
DOMAIN_CONSTRAINTS = """
SELECT conname, pg_get_constraintdef(oid), convalidated, obj_description(oid, 'pg_constraint')
FROM pg_constraint WHERE contypid = %(oid)s
"""
VIEWS = """
SELECT c.oid, c.relname, c.relkind, pg_get_viewdef(c.oid), c.reloptions, c.relispopulated,
       obj_description(c.oid, 'pg_class')
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = %(schema)s AND c.relkind IN ('v', 'm')
"""
EXTENSIONS = """
SELECT x.extname, n.nspname, x.extversion FROM pg_extension x JOIN pg_namespace n ON n.oid = x.extnamespace
"""
# keyed by name(argument types): overloads share a name; an aggregate has no functiondef
FUNCTIONS = """
SELECT p.proname || '(' || oidvectortypes(p.proargtypes) || ')',
       CASE WHEN p.prokind = 'a' THEN (
           SELECT concat_ws(' ', g.aggtransfn::regproc::text, format_type(g.aggtranstype, NULL),
                            g.aggfinalfn::regproc::text, g.agginitval)
           FROM pg_aggregate g WHERE g.aggfnoid = p.oid)
       ELSE pg_get_functiondef(p.oid) END, obj_description(p.oid, 'pg_proc')
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = %(schema)s
AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                AND d.deptype = 'e')
"""


def snapshot(conn, schema: str = "public") -> dict:
    """The schema's objects as plain data (ordering-independent where the database is)."""
    out = {"enums": {}, "tables": {}, "functions": {}, "sequences": {}, "domains": {},
           "extensions": {r[0]: r[1:] for r in conn.execute(EXTENSIONS)}}
    for name, values, comment in conn.execute(ENUMS, {"schema": schema}):
        out["enums"][name] = {"values": list(values), "comment": comment}
    for oid, name, comment, *storage in conn.execute(TABLES, {"schema": schema}).fetchall():
        p = {"oid": oid}
        indexes = conn.execute(INDEXES, p).fetchall()
        out["tables"][name] = {
            "comment": comment,
            "storage": storage,  # relkind, persistence, options, partition bound, key, parent, TOAST options
            "columns": [{"name": r[0], "type": r[1], "not_null": r[2], "default": r[3], "comment": r[4],
                         "identity": r[6], "generated": r[7], "collation": r[8], "dims": r[9]}
                        for r in conn.execute(COLUMNS, p)],
            "constraints": {r[0]: {"type": r[1], "definition": r[2], "comment": r[3], "inherited": r[4:]}
                            for r in conn.execute(CONSTRAINTS, p)},
            "indexes": {r[0]: r[1] for r in indexes},
            "index_states": {r[0]: r[2:] for r in indexes},  # valid, the partitioned index it is attached to
            "triggers": dict(conn.execute(TRIGGERS, p).fetchall()),
        }
    for name, *properties in conn.execute(SEQUENCES, {"schema": schema}):
        out["sequences"][name] = properties
    for oid, name, *properties in conn.execute(DOMAINS, {"schema": schema}).fetchall():
        out["domains"][name] = {"properties": properties, "constraints": {
            r[0]: r[1:] for r in conn.execute(DOMAIN_CONSTRAINTS, {"oid": oid})}}
    for oid, name, *properties in conn.execute(VIEWS, {"schema": schema}).fetchall():
        out.setdefault("views", {})[name] = {  # only when there are views: older snapshots stay equal
            "properties": properties, "columns": [r[:2] + r[4:5] for r in conn.execute(COLUMNS, {"oid": oid})],
            "indexes": {r[0]: r[1] for r in conn.execute(INDEXES, {"oid": oid})}}
        triggers = dict(conn.execute(TRIGGERS, {"oid": oid}).fetchall())
        if triggers:  # INSTEAD OF triggers
            out["views"][name]["triggers"] = triggers
    for name, definition, comment in conn.execute(FUNCTIONS, {"schema": schema}):
        out["functions"][name] = {"definition": definition, "comment": comment}
    return out


def difference(a: dict, b: dict) -> str:
    """A readable diff of two snapshots ('' when equal)."""
    if a == b:
        return ""
    left = pprint.pformat(a, width=120).splitlines()
    right = pprint.pformat(b, width=120).splitlines()
    return "\n".join(difflib.unified_diff(left, right, "first", "second", lineterm=""))
