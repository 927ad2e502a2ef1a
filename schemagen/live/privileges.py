"""Privileges of the roles schema.yaml declares, planned against a live database.

The diff engine compares privileges of every role and knows nothing of column privileges
or default privileges; schemagen must touch only the roles it declares (a database also
holds the grants of monitoring agents, replication users, other applications). So the
privileges are read here from the catalog (aclexplode over the ACL columns) for the
declared roles alone, compared with what schema.yaml says, and the difference becomes
REVOKE and GRANT statements: exactly what is declared, for those roles, and nothing else.
"""

from __future__ import annotations

from collections import defaultdict

from schemagen.live.lazysql import text
from schemagen.live.plan import Step
from schemagen.render import sql_security
from schemagen.render.sqltext import ident, qualified
from schemagen.spec import model as m
from schemagen.spec import naming

Entry = tuple[str, str, str, str, str]  # (role, kind, object, column, privilege), as model_security.Grant

# The role whose default privileges count: the one that owns most of the schema's tables (it ran
# the DDL, and runs it again); the current user while there are none. A role that only plans
# (a DML-only role running diff) sees the same answer as the owner.
CREATOR = """COALESCE((SELECT c.relowner FROM pg_class c WHERE c.relnamespace = (SELECT oid FROM pg_namespace
    WHERE nspname = :schema) AND c.relkind IN ('r', 'p') GROUP BY c.relowner ORDER BY count(*) DESC, c.relowner
    LIMIT 1), current_user::regrole::oid)"""

LIVE = """
WITH ns AS (SELECT oid, nspname, nspacl FROM pg_namespace WHERE nspname = :schema),
who AS (SELECT oid, rolname FROM pg_roles WHERE rolname = ANY(:roles)),
acls AS (
    SELECT 'schema' AS kind, nspname::text AS name, '' AS col, nspacl AS acl FROM ns
    UNION ALL
    SELECT CASE c.relkind WHEN 'S' THEN 'sequence' ELSE 'table' END, c.relname::text, '', c.relacl
    FROM pg_class c WHERE c.relnamespace = (SELECT oid FROM ns) AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
    UNION ALL
    SELECT 'column', c.relname::text, t.attname::text, t.attacl
    FROM pg_class c JOIN pg_attribute t ON t.attrelid = c.oid AND t.attnum > 0 AND NOT t.attisdropped
    WHERE c.relnamespace = (SELECT oid FROM ns) AND t.attacl IS NOT NULL
    UNION ALL
    SELECT 'function', p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')', '', p.proacl
    FROM pg_proc p WHERE p.pronamespace = (SELECT oid FROM ns)
    UNION ALL  -- enums and domains: schema.yaml grants nothing on them, so what a declared role holds is revoked
    SELECT 'type', t.typname::text, '', t.typacl FROM pg_type t
    WHERE t.typnamespace = (SELECT oid FROM ns) AND t.typtype IN ('e', 'd')
    UNION ALL  -- the default privileges of the role that creates the schema's objects
    SELECT 'default', CASE d.defaclobjtype WHEN 'r' THEN 'tables' WHEN 'S' THEN 'sequences'
                                          WHEN 'f' THEN 'functions' WHEN 'T' THEN 'types' END, '', d.defaclacl
    FROM pg_default_acl d WHERE d.defaclnamespace = (SELECT oid FROM ns) AND d.defaclrole = ({CREATOR})
        AND d.defaclobjtype IN ('r', 'S', 'f', 'T')
)
SELECT w.rolname, a.kind, a.name, a.col, lower(x.privilege_type)
FROM acls a CROSS JOIN LATERAL aclexplode(a.acl) x JOIN who w ON w.oid = x.grantee
""".replace("{CREATOR}", CREATOR)
_CREATOR = f"SELECT ({CREATOR})::regrole::text, ({CREATOR}) = current_user::regrole::oid"


def live_entries(conn, schema: str, roles: list[str]) -> set[Entry]:
    if not roles:
        return set()
    return {tuple(r) for r in conn.execute(text(LIVE), {"schema": schema, "roles": roles})}


def declared_entries(schema: m.Schema, ids: dict | None = None) -> set[Entry]:
    """ids: a declared function's (name, overload) -> its name and identity arguments as PostgreSQL
    prints them (_identities); a grant on a declared function is left out without them."""
    return set(_reasons(schema, ids))


def _reasons(schema: m.Schema, ids: dict | None) -> dict[Entry, str]:
    out = {}
    for g in (*schema.grants, *schema.default_privileges):
        overload = getattr(g, "overload", -1)
        if overload >= 0 and (ids is None or (g.object, overload) not in ids):
            continue
        for e in g.entries():
            out[(e[0], e[1], ids[(g.object, overload)], e[3], e[4]) if overload >= 0 else e] = g.reason
    return out


_IDENTITIES = """SELECT s, p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')'
FROM unnest(CAST(:sigs AS text[])) s JOIN pg_proc p ON p.oid = to_regprocedure(s)"""


def _identities(schema: m.Schema, target) -> dict[tuple[str, int], str]:
    """Each declared function's name and identity arguments, as the target database (schema.yaml
    rendered) prints them: the form live databases' privileges are read in."""
    if target is None or not schema.functions:
        return {}
    from schemagen.render.sql_functions import signature
    sigs = {signature(schema, f): (f.name, f.overload) for f in schema.functions}
    return {sigs[s]: name for s, name in target.execute(text(_IDENTITIES), {"sigs": list(sigs)})}


def held(conn, schema: m.Schema) -> bool:
    """Whether the roles schema.yaml declares hold any privilege in the schema now."""
    return bool(live_entries(conn, schema.name, [r.name for r in schema.roles]))


def existing_roles(conn, roles: list[str]) -> set[str]:
    rows = conn.execute(text("SELECT rolname FROM pg_roles WHERE rolname = ANY(:r)"), {"r": roles})
    return {name for (name,) in rows}


def _exists_in_target(schema: m.Schema, entry: Entry, ids: dict) -> bool:
    """Whether the object will exist once the plan has run (a dropped object takes its ACL along)."""
    _, kind, obj, col, _ = entry
    tables = {t.name: t for t in schema.tables}
    if kind == "table":
        return obj in tables or obj in {v.name for v in schema.views}
    if kind == "column":
        return obj in tables and col in {c.name for c in tables[obj].columns}
    if kind == "sequence":
        return obj in {s.name for s in schema.sequences} | {c.sequence for t in schema.tables
                                                              for c in t.columns if c.sequence}
    if kind == "type":
        return obj in {e.name for e in schema.enums} | {d.name for d in schema.domains}
    if kind == "function":  # declared ones, and those schemagen makes: on_update triggers, no arguments
        return obj in {f"{naming.trigger_name(t.name)}()" for t in schema.tables if t.on_update_columns} \
            or obj in ids.values()
    return True  # the schema, default privileges


_LIVE_OBJECTS = """
SELECT CASE c.relkind WHEN 'S' THEN 'sequence' ELSE 'table' END, c.relname::text FROM pg_class c
WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = :schema) AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
UNION ALL
SELECT 'function', p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' FROM pg_proc p
WHERE p.pronamespace = (SELECT oid FROM pg_namespace WHERE nspname = :schema)
"""
_DEFAULT_KIND = {"tables": "table", "sequences": "sequence", "functions": "function"}


def _new_objects(schema: m.Schema, live, remade: frozenset[str], ids: dict) -> set[tuple[str, str]]:
    """(kind, name) of the tables, views, sequences and functions the plan creates (remade: views
    it drops and makes again, which come back with the default privileges alone)."""
    have = {tuple(r) for r in live.execute(text(_LIVE_OBJECTS), {"schema": schema.name})}
    have -= {("table", v) for v in remade}
    tables = {("table", t.name) for t in schema.tables} | {("table", v.name) for v in schema.views}
    sequences = {("sequence", s.name) for s in schema.sequences} | {
        ("sequence", c.sequence) for t in schema.tables for c in t.columns if c.sequence}
    functions = {("function", f"{naming.trigger_name(t.name)}()") for t in schema.tables if t.on_update_columns}
    functions |= {("function", f) for f in ids.values()}
    return (tables | sequences | functions) - have


def plan_steps(schema: m.Schema, live, remade: frozenset[str] = frozenset(), target=None,
               remade_functions: frozenset[str] = frozenset()) -> tuple[list[Step], list[Step]]:
    """(steps that go first: roles, and default privileges withdrawn, so objects the plan creates
    do not inherit them; steps that go after every other change: the rest).
    remade: views the plan drops and creates again (their privileges go with the drop), and
    remade_functions the functions (by name); target: the rendered schema, for declared functions."""
    names = [r.name for r in schema.roles]
    if not names:
        return [], []
    ids = _identities(schema, target)
    want = declared_entries(schema, ids)
    have = {e for e in live_entries(live, schema.name, names) if not (e[1] in ("table", "column") and e[2] in remade)
            and not (e[1] == "function" and e[2].partition("(")[0] in remade_functions)}
    # what objects created by this plan will get from the default privileges that stay
    kept = {(r, _DEFAULT_KIND[o], p) for r, k, o, _, p in have & want if k == "default" and o in _DEFAULT_KIND}
    have |= {(r, kind, obj, "", p) for kind, obj in _new_objects(schema, live, remade, ids)
             for r, k, p in kept if k == kind}
    revoke = {e for e in have - want if _exists_in_target(schema, e, ids)}
    # revoking a table privilege revokes it on every column too: grant declared column ones again
    gone = {(r, o, p) for r, k, o, _, p in revoke if k == "table"}
    grant = (want - have) | {e for e in want if e[1] == "column" and (e[0], e[2], e[4]) in gone}
    reasons = _reasons(schema, ids)
    creator, is_me = live.execute(text(_CREATOR), {"schema": schema.name}).one()
    for_role = "" if is_me else f" FOR ROLE {creator}"  # regrole text is quoted where it must be
    first = [_step(schema, key, privs, False, None, for_role) for key, privs in _grouped(revoke)
             if key[1] == "default"]
    steps = [_step(schema, key, privs, False, None) for key, privs in _grouped(revoke) if key[1] != "default"]
    steps += [_step(schema, key, privs, True, reasons.get((key[0], key[1], key[2], key[3], privs[0])), for_role)
              for key, privs in _grouped(grant)]
    missing = set(names) - existing_roles(live, names)
    granted_to = {e[0] for e in grant}
    roles = [Step(sql_security.create_role(r), note="a group role schema.yaml declares: created where missing "
                  "(NOLOGIN, no password)") for r in schema.roles if r.name in missing | granted_to]
    return roles + first, steps


def _grouped(entries: set[Entry]) -> list[tuple[tuple[str, str, str, str], tuple[str, ...]]]:
    groups: dict[tuple[str, str, str, str], list[str]] = defaultdict(list)
    for role, kind, obj, col, privilege in sorted(entries):
        groups[(role, kind, obj, col)].append(privilege)
    return sorted((k, tuple(v)) for k, v in groups.items())


def _target(schema: m.Schema, kind: str, obj: str) -> str:
    if kind == "schema":
        return f"SCHEMA {ident(schema.name)}"
    if kind == "function":
        name, _, args = obj.partition("(")
        return f"ROUTINE {qualified(schema, name)}({args}"  # functions, procedures and aggregates alike
    word = {"sequence": "SEQUENCE", "type": "TYPE"}.get(kind, "TABLE")
    return f"{word} {qualified(schema, obj)}"


def _step(schema: m.Schema, key, privileges, grant: bool, reason: str | None, for_role: str = "") -> Step:
    role, kind, obj, col = key
    words = ", ".join(p.upper() + (f" ({ident(col)})" if col else "") for p in privileges)
    what = f"{', '.join(privileges)} on {kind} {obj}{'.' + col if col else ''}"
    if kind == "default":
        verb = f"GRANT {words} ON {obj.upper()} TO" if grant else f"REVOKE {words} ON {obj.upper()} FROM"
        sql = f"ALTER DEFAULT PRIVILEGES{for_role} IN SCHEMA {ident(schema.name)} {verb} {ident(role)}"
        what = f"{', '.join(privileges)} on {obj} created later"
    elif grant:
        sql = f"GRANT {words} ON {_target(schema, kind, obj)} TO {ident(role)}"
    else:
        sql = f"REVOKE {words} ON {_target(schema, kind, obj)} FROM {ident(role)}"
    if grant:
        return Step(sql, note=f"opens access: {role} gets {what}" + (f" ({reason})" if reason else ""))
    return Step(sql, note=f"closes access: {role} loses {what} (not in schema.yaml); its callers get "
                          "'permission denied'")
