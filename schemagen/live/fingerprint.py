"""A digest of everything in one schema that the diff engine compares, and more.

When the live and target digests are equal there is nothing to plan, and the
diff engine (about a second of inspection and comparison for a few hundred
tables) need not run. That shortcut is sound only if the digest covers at
least what migra compares: every object in the schema with its definition as
PostgreSQL prints it (pg_get_*def), columns in order, enum labels in order,
comments, index validity, and privileges (every ACL entry on the schema, its
relations, columns and functions, and the default privileges in it of the role that owns
most of its tables,
but for the owner's own entry: schemagen plans the privileges of the roles
schema.yaml declares in live/privileges.py, and a difference here sends the plan
there). It leaves out what differs between two databases with the same schema:
OIDs, owners, statistics, sequence values. Collations are the one kind it does not describe
in full (their locale fields change across versions): a schema holding one
gets no digest, and the diff engine runs as always.
tests/test_fingerprint.py changes a database every way we know and checks
that whenever migra finds something, the digests differ.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import text

_ROWS = """
WITH ns AS (SELECT oid FROM pg_namespace WHERE nspname = :schema),
rels AS (SELECT c.oid, c.relname, c.relkind FROM pg_class c WHERE c.relnamespace = (SELECT oid FROM ns)
         AND c.relkind IN ('r', 'p', 'v', 'm', 'c', 'S', 'f'))
SELECT 'schema', nspname, '' FROM pg_namespace WHERE oid = (SELECT oid FROM ns)
UNION ALL
SELECT 'relation', c.relname, json_build_array(c.relkind, c.relpersistence, c.relrowsecurity,
    c.relforcerowsecurity, c.relreplident, c.reloptions, c.reloftype::regtype,
    CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END,
    pg_get_expr(c.relpartbound, c.oid), CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END,
    (SELECT array_agg(i.inhparent::regclass::text ORDER BY i.inhseqno) FROM pg_inherits i
     WHERE i.inhrelid = c.oid),
    (SELECT t.reloptions FROM pg_class t WHERE t.oid = c.reltoastrelid))::text
FROM pg_class c WHERE c.oid IN (SELECT oid FROM rels)
UNION ALL
SELECT 'column', r.relname || '.' || a.attname, json_build_array(
    row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum), format_type(a.atttypid, a.atttypmod),
    a.attnotnull, pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated,
    a.attcollation::regcollation, a.attstorage, a.attoptions)::text
FROM rels r JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
UNION ALL
SELECT 'index', r.relname || '.' || x.indexrelid::regclass::text,
    json_build_array(pg_get_indexdef(x.indexrelid), x.indisvalid, x.indisclustered, x.indisreplident)::text
FROM rels r JOIN pg_index x ON x.indrelid = r.oid
UNION ALL
SELECT 'constraint', coalesce(r.relname, t.typname, '') || '.' || k.conname, json_build_array(k.contype,
    pg_get_constraintdef(k.oid), k.condeferrable, k.condeferred, k.convalidated, k.conislocal)::text
FROM pg_constraint k LEFT JOIN pg_class r ON r.oid = k.conrelid LEFT JOIN pg_type t ON t.oid = k.contypid
WHERE k.connamespace = (SELECT oid FROM ns)
UNION ALL
SELECT 'trigger', r.relname || '.' || g.tgname, json_build_array(pg_get_triggerdef(g.oid), g.tgenabled)::text
FROM rels r JOIN pg_trigger g ON g.tgrelid = r.oid AND NOT g.tgisinternal
UNION ALL
SELECT 'policy', r.relname || '.' || p.polname, json_build_array(p.polcmd, p.polpermissive,
    (SELECT array_agg(CASE WHEN o = 0 THEN 'public' ELSE o::regrole::text END ORDER BY 1) FROM unnest(p.polroles) o),
    pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid),
    obj_description(p.oid, 'pg_policy'))::text
FROM rels r JOIN pg_policy p ON p.polrelid = r.oid
UNION ALL
SELECT 'sequence', r.relname, json_build_array(format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement,
    s.seqmax, s.seqmin, s.seqcache, s.seqcycle,
    (SELECT array_agg(d.deptype::text || ':' || d.refobjid::regclass::text || '.' || a.attname ORDER BY 1)
     FROM pg_depend d JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
     WHERE d.classid = 'pg_class'::regclass AND d.objid = r.oid AND d.refclassid = 'pg_class'::regclass))::text
FROM rels r JOIN pg_sequence s ON s.seqrelid = r.oid
UNION ALL
SELECT 'type', t.typname, json_build_array(t.typtype, format_type(t.typbasetype, t.typtypmod), t.typnotnull,
    t.typdefault, t.typcollation::regcollation,
    (SELECT array_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid))::text
FROM pg_type t WHERE t.typnamespace = (SELECT oid FROM ns) AND NOT (t.typcategory = 'A' AND t.typelem <> 0)
UNION ALL
SELECT 'function', p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')',
    CASE WHEN p.prokind = 'a' THEN 'aggregate' ELSE pg_get_functiondef(p.oid) END
FROM pg_proc p WHERE p.pronamespace = (SELECT oid FROM ns)
UNION ALL
SELECT 'extension', x.extname, x.extversion FROM pg_extension x WHERE x.extnamespace = (SELECT oid FROM ns)
UNION ALL
SELECT 'comment', o.type || ' ' || o.identity, d.description
FROM pg_description d, LATERAL pg_identify_object(d.classoid, d.objoid, d.objsubid) o
WHERE d.objoid >= 16384 AND o.schema = :schema
UNION ALL
SELECT 'collation', c.collname, '' FROM pg_collation c WHERE c.collnamespace = (SELECT oid FROM ns)
UNION ALL
SELECT 'privilege', o.kind || ' ' || o.name, json_build_array(
    CASE WHEN x.grantee = 0 THEN 'public' ELSE x.grantee::regrole::text END, x.privilege_type, x.is_grantable)::text
FROM (SELECT 'schema' AS kind, nspname::text AS name, nspacl AS acl, nspowner AS owner FROM pg_namespace
      WHERE oid = (SELECT oid FROM ns)
      UNION ALL
      SELECT 'relation', c.relname::text, c.relacl, c.relowner FROM pg_class c WHERE c.oid IN (SELECT oid FROM rels)
      UNION ALL
      SELECT 'column', c.relname || '.' || t.attname, t.attacl, c.relowner FROM pg_class c
      JOIN pg_attribute t ON t.attrelid = c.oid WHERE c.oid IN (SELECT oid FROM rels) AND t.attacl IS NOT NULL
      UNION ALL
      SELECT 'function', p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')', p.proacl, p.proowner
      FROM pg_proc p WHERE p.pronamespace = (SELECT oid FROM ns)
      UNION ALL
      SELECT 'default', d.defaclobjtype::text, d.defaclacl, d.defaclrole FROM pg_default_acl d
      WHERE d.defaclnamespace = (SELECT oid FROM ns) AND d.defaclrole = COALESCE((SELECT c.relowner FROM pg_class c
          WHERE c.relnamespace = (SELECT oid FROM ns) AND c.relkind IN ('r', 'p') GROUP BY c.relowner
          ORDER BY count(*) DESC, c.relowner LIMIT 1), current_user::regrole::oid)  -- as live/privileges.py
     ) o CROSS JOIN LATERAL aclexplode(o.acl) x
WHERE x.grantee <> o.owner
"""

# one row back instead of thousands; "C" order so the databases' own collations do not matter
_DIGEST = text(f"""
SELECT encode(sha256(convert_to(coalesce(string_agg(json_build_array(kind, name, detail)::text, E'\\n'
                                         ORDER BY kind COLLATE "C", name COLLATE "C", detail COLLATE "C"), ''),
                                'UTF8')), 'hex'),
       bool_or(kind = 'collation')
FROM ({_ROWS}) AS objects(kind, name, detail)
""")


def digest(conn, schema: str) -> str | None:
    """The schema's digest, or None when it holds an object the digest cannot describe in full."""
    value, has_collation = conn.execute(_DIGEST, {"schema": schema}).one()
    return None if has_collation else value


def same(live, target, schema: str) -> bool:
    """True only when the two databases' schemas are the same in everything the diff engine compares."""
    with ThreadPoolExecutor(max_workers=1) as pool:  # each waits on its own server
        theirs = pool.submit(digest, target, schema)
        ours = digest(live, schema)
        return ours is not None and ours == theirs.result()
