-- Every object of one schema as PostgreSQL stores it: one row per object, read by
-- catalog.py (the digest hashes kind, name and detail; the planner compares details field
-- by field). Columns: kind, name (unique within kind; "table.sub" for what belongs to a
-- table), scope and scope_name (what an `ignore:` pattern of that kind matches), parent and
-- parent_name (the table or view it belongs to, matched too), owner and node (for planning
-- only, never hashed: node is "catalog/oid/subid", as pg_depend names objects), detail.
-- catalog.py expands three shorthands: ACL(acl; default kind; owner) is the privileges of the
-- roles schema.yaml declares (the only ones managed); CREATOR (called) the role whose default
-- privileges count (live/privileges.py); MEMBER(catalog; oid)
-- is true for objects an extension owns, or that another object owns internally (a range
-- type's constructor functions and multirange type).
-- Left out on purpose (docs/live-changes.md): OIDs, owners, tablespaces, statistics,
-- sequence positions, whether a materialized view holds data, collation versions.
WITH ns AS (SELECT oid, nspname, nspowner, nspacl FROM pg_namespace WHERE nspname = :schema),
rels AS (
    SELECT c.oid, c.relname, c.relkind, c.relowner,
           CASE WHEN c.relkind IN ('r', 'p', 'f') THEN 'tables' WHEN c.relkind IN ('v', 'm') THEN 'views'
                WHEN c.relkind = 'S' THEN 'sequences' ELSE 'types' END AS scope
    FROM pg_class c
    WHERE c.relnamespace = (SELECT oid FROM ns) AND c.relkind IN ('r', 'p', 'v', 'm', 'c', 'S', 'f')
      AND NOT MEMBER('pg_class'; c.oid)
),
roles AS (SELECT unnest(CAST(:roles AS text[])) AS name),
objects(kind, name, scope, scope_name, parent, parent_name, owner, node, detail) AS (
SELECT 'schema', CAST(nspname AS text), NULL, NULL, NULL, NULL, pg_get_userbyid(nspowner), 'pg_namespace/' || oid || '/0',
    jsonb_build_object('acl', ACL(nspacl; 'n'; nspowner), 'comment', obj_description(oid, 'pg_namespace'),
    'default_acl', (SELECT array_agg(e ORDER BY e) FROM (
        SELECT pg_get_userbyid(a.grantee) || ':' || d.defaclobjtype::text || ':' || a.privilege_type AS e
        FROM pg_default_acl d CROSS JOIN LATERAL aclexplode(d.defaclacl) a
        WHERE d.defaclnamespace = ns.oid AND d.defaclrole = (CREATOR())
          AND pg_get_userbyid(a.grantee) IN (SELECT name FROM roles)) x))
FROM ns
UNION ALL
SELECT CASE r.scope WHEN 'tables' THEN 'table' WHEN 'views' THEN 'view' WHEN 'sequences' THEN 'sequence'
            ELSE 'composite' END,
    r.relname, r.scope, r.relname, NULL, NULL, pg_get_userbyid(r.relowner), 'pg_class/' || c.oid || '/0',
    jsonb_build_object(
    'relkind', c.relkind, 'persistence', c.relpersistence, 'rls', c.relrowsecurity,
    'force_rls', c.relforcerowsecurity, 'replica_identity', c.relreplident, 'options', c.reloptions,
    'of_type', nullif(c.reloftype, 0)::regtype, 'view', CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END,
    'bound', pg_get_expr(c.relpartbound, c.oid),
    'partition_key', CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END,
    'inherits', (SELECT array_agg(i.inhparent::regclass::text ORDER BY i.inhseqno) FROM pg_inherits i
                 WHERE i.inhrelid = c.oid),
    'toast_options', (SELECT t.reloptions FROM pg_class t WHERE t.oid = c.reltoastrelid),
    'acl', ACL(c.relacl; CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END; c.relowner),
    'sequence', (SELECT jsonb_build_object('type', format_type(s.seqtypid, NULL), 'start', s.seqstart,
                        'increment', s.seqincrement, 'max', s.seqmax, 'min', s.seqmin, 'cache', s.seqcache,
                        'cycle', s.seqcycle,
                        'owned_by', (SELECT d.deptype::text || ':' || d.refobjid::regclass::text || '.' || a.attname
                                     FROM pg_depend d JOIN pg_attribute a ON a.attrelid = d.refobjid
                                      AND a.attnum = d.refobjsubid
                                     WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                                       AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')))
                 FROM pg_sequence s WHERE s.seqrelid = c.oid),
    'comment', obj_description(c.oid, 'pg_class'))
FROM rels r JOIN pg_class c ON c.oid = r.oid
UNION ALL
SELECT 'column', r.relname || '.' || a.attname, NULL, NULL, r.scope, r.relname, NULL,
    'pg_class/' || r.oid || '/' || a.attnum, jsonb_build_object(
    'position', row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum),
    'type', format_type(a.atttypid, a.atttypmod), 'not_null', a.attnotnull,
    'default', pg_get_expr(d.adbin, d.adrelid), 'identity', a.attidentity, 'generated', a.attgenerated,
    'collation', CASE WHEN a.attcollation <> 0 THEN a.attcollation::regcollation::text END,
    'storage', a.attstorage, 'type_storage', (SELECT typstorage FROM pg_type WHERE oid = a.atttypid),
    'compression', a.attcompression, 'options', a.attoptions, 'statistics', nullif(a.attstattarget, -1),
    'local', a.attislocal, 'inherited', a.attinhcount > 0, 'acl', ACL(a.attacl; NULL; r.relowner),
    'comment', col_description(a.attrelid, a.attnum))
FROM rels r JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE r.relkind <> 'S'
UNION ALL
SELECT 'index', i.relname, 'indexes', i.relname, r.scope, r.relname, NULL, 'pg_class/' || i.oid || '/0',
    jsonb_build_object(
    'table', r.relname, 'valid', x.indisvalid, 'clustered', x.indisclustered,
    'replica_identity', x.indisreplident, 'options', i.reloptions, 'constraint', k.conname,
    'definition', pg_get_indexdef(x.indexrelid),
    'inherited', EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = x.indexrelid),
    'comment', obj_description(x.indexrelid, 'pg_class'))
FROM rels r JOIN pg_index x ON x.indrelid = r.oid JOIN pg_class i ON i.oid = x.indexrelid
LEFT JOIN pg_constraint k ON k.conindid = x.indexrelid AND k.conrelid = x.indrelid AND k.contype IN ('p', 'u', 'x')
UNION ALL
SELECT 'constraint', coalesce(r.relname, t.typname) || '.' || k.conname, NULL, NULL,
    coalesce(r.scope, 'types'), coalesce(r.relname, t.typname), NULL, 'pg_constraint/' || k.oid || '/0',
    jsonb_build_object(
    'type', k.contype, 'definition', pg_get_constraintdef(k.oid), 'deferrable', k.condeferrable,
    'deferred', k.condeferred, 'validated', k.convalidated, 'local', k.conislocal,
    'inherited', k.conparentid <> 0 OR k.coninhcount > 0,
    'comment', obj_description(k.oid, 'pg_constraint'))
FROM pg_constraint k LEFT JOIN rels r ON r.oid = k.conrelid LEFT JOIN pg_type t ON t.oid = k.contypid
WHERE k.connamespace = (SELECT oid FROM ns) AND (r.oid IS NOT NULL OR t.oid IS NOT NULL)
  AND (t.oid IS NULL OR NOT MEMBER('pg_type'; t.oid))
UNION ALL
SELECT 'trigger', r.relname || '.' || g.tgname, 'triggers', g.tgname, r.scope, r.relname, NULL,
    'pg_trigger/' || g.oid || '/0',
    jsonb_build_object('definition', pg_get_triggerdef(g.oid), 'enabled', g.tgenabled,
                       'inherited', g.tgparentid <> 0, 'comment', obj_description(g.oid, 'pg_trigger'))
FROM rels r JOIN pg_trigger g ON g.tgrelid = r.oid AND NOT g.tgisinternal
UNION ALL
SELECT 'policy', r.relname || '.' || p.polname, 'policies', p.polname, r.scope, r.relname, NULL,
    'pg_policy/' || p.oid || '/0', jsonb_build_object('command', p.polcmd, 'permissive', p.polpermissive,
    'roles', (SELECT array_agg(CASE WHEN o = 0 THEN 'public' ELSE o::regrole::text END ORDER BY 1)
              FROM unnest(p.polroles) o),
    'using', pg_get_expr(p.polqual, p.polrelid), 'check', pg_get_expr(p.polwithcheck, p.polrelid),
    'comment', obj_description(p.oid, 'pg_policy'))
FROM rels r JOIN pg_policy p ON p.polrelid = r.oid
UNION ALL
SELECT 'rule', r.relname || '.' || w.rulename, NULL, NULL, r.scope, r.relname, NULL,
    'pg_rewrite/' || w.oid || '/0',
    jsonb_build_object('definition', pg_get_ruledef(w.oid), 'enabled', w.ev_enabled,
                       'comment', obj_description(w.oid, 'pg_rewrite'))
FROM rels r JOIN pg_rewrite w ON w.ev_class = r.oid AND w.rulename <> '_RETURN'
UNION ALL
SELECT 'statistics', s.stxname, NULL, NULL, r.scope, r.relname, NULL, 'pg_statistic_ext/' || s.oid || '/0',
    jsonb_build_object('definition', pg_get_statisticsobjdef(s.oid), 'target', nullif(s.stxstattarget, -1),
                       'comment', obj_description(s.oid, 'pg_statistic_ext'))
FROM pg_statistic_ext s JOIN rels r ON r.oid = s.stxrelid WHERE s.stxnamespace = (SELECT oid FROM ns)
UNION ALL
SELECT CASE t.typtype WHEN 'e' THEN 'enum' WHEN 'd' THEN 'domain' WHEN 'r' THEN 'range' ELSE 'type' END,
    t.typname, 'types', t.typname, NULL, NULL, pg_get_userbyid(t.typowner), 'pg_type/' || t.oid || '/0',
    jsonb_build_object(
    'base', CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END,
    'not_null', t.typnotnull, 'default', t.typdefault,
    'collation', CASE WHEN t.typcollation <> 0 THEN t.typcollation::regcollation::text END,
    'labels', (SELECT array_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid),
    'range', (SELECT jsonb_build_object('subtype', format_type(g.rngsubtype, NULL),
                     'opclass', (SELECT opcname FROM pg_opclass WHERE oid = g.rngsubopc),
                     'collation', CASE WHEN g.rngcollation <> 0 THEN g.rngcollation::regcollation::text END,
                     'canonical', g.rngcanonical::text, 'diff', g.rngsubdiff::text)
              FROM pg_range g WHERE g.rngtypid = t.oid),
    'acl', ACL(t.typacl; 'T'; t.typowner), 'comment', obj_description(t.oid, 'pg_type'))
FROM pg_type t
WHERE t.typnamespace = (SELECT oid FROM ns) AND t.typtype IN ('e', 'd', 'r', 'b')
  AND NOT (t.typcategory = 'A' AND t.typelem <> 0) AND NOT MEMBER('pg_type'; t.oid)
UNION ALL
SELECT CASE p.prokind WHEN 'a' THEN 'aggregate' WHEN 'p' THEN 'procedure' ELSE 'function' END,
    p.proname || '(' || oidvectortypes(p.proargtypes) || ')', 'functions', p.proname, NULL, NULL,
    pg_get_userbyid(p.proowner), 'pg_proc/' || p.oid || '/0', jsonb_build_object(
    'definition', CASE WHEN p.prokind <> 'a' THEN pg_get_functiondef(p.oid) END,
    'aggregate', (SELECT jsonb_build_object(
                      'kind', g.aggkind, 'direct_args', g.aggnumdirectargs,
                      'arguments', pg_get_function_arguments(p.oid), 'sfunc', g.aggtransfn::text,
                      'stype', format_type(g.aggtranstype, NULL), 'sspace', g.aggtransspace,
                      'finalfunc', nullif(g.aggfinalfn::text, '-'), 'finalfunc_extra', g.aggfinalextra,
                      'finalfunc_modify', g.aggfinalmodify, 'combinefunc', nullif(g.aggcombinefn::text, '-'),
                      'serialfunc', nullif(g.aggserialfn::text, '-'),
                      'deserialfunc', nullif(g.aggdeserialfn::text, '-'), 'initcond', g.agginitval,
                      'msfunc', nullif(g.aggmtransfn::text, '-'), 'minvfunc', nullif(g.aggminvtransfn::text, '-'),
                      'mstype', CASE WHEN g.aggmtranstype <> 0 THEN format_type(g.aggmtranstype, NULL) END,
                      'msspace', g.aggmtransspace, 'mfinalfunc', nullif(g.aggmfinalfn::text, '-'),
                      'mfinalfunc_extra', g.aggmfinalextra, 'mfinalfunc_modify', g.aggmfinalmodify,
                      'minitcond', g.aggminitval,
                      'sortop', CASE WHEN g.aggsortop <> 0 THEN g.aggsortop::regoperator::text END,
                      'parallel', p.proparallel, 'strict', p.proisstrict)
                  FROM pg_aggregate g WHERE g.aggfnoid = p.oid),
    'acl', ACL(p.proacl; 'f'; p.proowner), 'comment', obj_description(p.oid, 'pg_proc'))
FROM pg_proc p
WHERE p.pronamespace = (SELECT oid FROM ns) AND NOT MEMBER('pg_proc'; p.oid)
UNION ALL
SELECT 'extension', x.extname, 'extensions', x.extname, NULL, NULL, NULL, 'pg_extension/' || x.oid || '/0',
    jsonb_build_object('version', x.extversion, 'comment', obj_description(x.oid, 'pg_extension'))
FROM pg_extension x WHERE x.extnamespace = (SELECT oid FROM ns)
UNION ALL
SELECT 'collation', c.collname, 'collations', c.collname, NULL, NULL, NULL, 'pg_collation/' || c.oid || '/0',
    to_jsonb(c) - 'oid' - 'collname' - 'collnamespace' - 'collowner' - 'collversion'
    || jsonb_build_object('comment', obj_description(c.oid, 'pg_collation'))
FROM pg_collation c WHERE c.collnamespace = (SELECT oid FROM ns) AND NOT MEMBER('pg_collation'; c.oid)
UNION ALL
SELECT 'other', o.type || ' ' || o.identity, NULL, NULL, NULL, NULL, NULL, x.catalog || '/' || x.objid || '/0',
    jsonb_build_object('type', o.type, 'identity', o.identity,
                       'comment', obj_description(x.objid, x.catalog::name))
FROM (SELECT 'pg_operator' AS catalog, oid AS objid FROM pg_operator WHERE oprnamespace = (SELECT oid FROM ns)
      UNION ALL SELECT 'pg_opclass', oid FROM pg_opclass WHERE opcnamespace = (SELECT oid FROM ns)
      UNION ALL SELECT 'pg_opfamily', oid FROM pg_opfamily WHERE opfnamespace = (SELECT oid FROM ns)
      UNION ALL SELECT 'pg_ts_config', oid FROM pg_ts_config WHERE cfgnamespace = (SELECT oid FROM ns)
      UNION ALL SELECT 'pg_ts_dict', oid FROM pg_ts_dict WHERE dictnamespace = (SELECT oid FROM ns)
      UNION ALL SELECT 'pg_conversion', oid FROM pg_conversion WHERE connamespace = (SELECT oid FROM ns)) x,
    LATERAL pg_identify_object(x.catalog::regclass, x.objid, 0) o
WHERE NOT MEMBER(x.catalog::regclass; x.objid)
)
