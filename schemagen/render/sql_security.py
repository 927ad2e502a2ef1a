"""DDL for access control: group roles (created when missing), row level security,
policies, grants and default privileges. Each function returns statements; sql.py
places them (roles first, privileges last, once every object exists)."""

from __future__ import annotations

from schemagen.render import sql_functions
from schemagen.render.sqltext import ident, literal, qualified
from schemagen.spec import model as m

_KIND_WORDS = {"schema": "SCHEMA", "table": "TABLE", "sequence": "SEQUENCE", "function": "FUNCTION"}


def create_role(role: m.Role) -> str:
    """Roles belong to the whole server: create the role only where it is missing, and never
    with a password or LOGIN (login roles are the deployment's, and are members of this one)."""
    return ("DO $$\nBEGIN\n"
            f"    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = {literal(role.name)}) THEN\n"
            f"        CREATE ROLE {ident(role.name)} NOLOGIN;\n"
            "    END IF;\n"
            "EXCEPTION WHEN duplicate_object THEN\n"
            "    NULL;  -- created meanwhile by a concurrent run\n"
            "END\n$$")


def grantees(roles) -> str:
    return ", ".join("PUBLIC" if r == "public" else ident(r) for r in roles)


def grant_target(schema: m.Schema, grant: m.Grant) -> str:
    if grant.kind == "schema":
        return f"SCHEMA {ident(schema.name)}"
    if grant.kind == "function" and grant.overload >= 0:  # a declared function, named by its signature
        fn = next(f for f in schema.functions if f.name == grant.object and f.overload == grant.overload)
        return f"{fn.kind.upper()} {sql_functions.signature(schema, fn)}"
    name = qualified(schema, grant.object)
    if grant.kind == "function":
        name += f"({grant.arguments})"
    return f"{_KIND_WORDS[grant.kind]} {name}"


def privilege_list(grant: m.Grant) -> str:
    columns = f" ({', '.join(ident(c) for c in grant.columns)})" if grant.columns else ""
    return ", ".join(p.upper() + columns for p in grant.privileges)


def grant(schema: m.Schema, g: m.Grant) -> str:
    return f"-- {_one_line(g.reason)}\nGRANT {privilege_list(g)} ON {grant_target(schema, g)} TO {grantees(g.roles)}"


def default_privilege(schema: m.Schema, d: m.DefaultPrivilege) -> str:
    privileges = ", ".join(p.upper() for p in d.privileges)
    return (f"-- {_one_line(d.reason)}\nALTER DEFAULT PRIVILEGES IN SCHEMA {ident(schema.name)} "
            f"GRANT {privileges} ON {d.on.upper()} TO {grantees(d.roles)}")


def row_level_security(schema: m.Schema, table: m.Table) -> list[str]:
    rls = table.row_level_security
    if rls is None or not rls.enable:
        return []
    name = qualified(schema, table.name)
    out = [f"ALTER TABLE {name} ENABLE ROW LEVEL SECURITY"]
    return out + ([f"ALTER TABLE {name} FORCE ROW LEVEL SECURITY"] if rls.force else [])


def create_policy(schema: m.Schema, table: m.Table, p: m.Policy) -> list[str]:
    on = qualified(schema, table.name)
    sql = (f"CREATE POLICY {ident(p.name)} ON {on} AS {'RESTRICTIVE' if p.restrictive else 'PERMISSIVE'} "
           f"FOR {p.command.upper()} TO {grantees(p.roles)}")
    if p.using is not None:
        sql += f"\n    USING ({p.using})"
    if p.with_check is not None:
        sql += f"\n    WITH CHECK ({p.with_check})"
    out = [sql]
    if p.comment:
        out.append(f"COMMENT ON POLICY {ident(p.name)} ON {on} IS {literal(p.comment)}")
    return out


def sections(schema: m.Schema, tables) -> list[tuple[str, tuple[str, ...]]]:
    """(title, statements) after every table, function and trigger exists."""
    return [
        ("Row level security", tuple(s for t in tables for s in row_level_security(schema, t))),
        ("Policies", tuple(s for t in tables for p in t.policies for s in create_policy(schema, t, p))),
        ("Privileges", tuple(grant(schema, g) for g in schema.grants)),
        ("Default privileges for objects created later", tuple(default_privilege(schema, d)
                                                               for d in schema.default_privileges)),
    ]


def _one_line(text: str) -> str:
    return " ".join(text.split())
