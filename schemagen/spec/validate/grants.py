"""Roles, grants and default privileges: every role is a declared group role, every object
exists, every privilege is one PostgreSQL has for that kind of object."""

from __future__ import annotations

from dataclasses import replace

from schemagen.diagnostics import did_you_mean
from schemagen.spec import model as m
from schemagen.spec import naming
from schemagen.spec.shapes_security import DefaultPrivilegeSpec, GrantSpec, RoleSpec
from schemagen.spec.validate.context import Checker
from schemagen.spec.validate.policies import apply as apply_policies

# PostgreSQL's privileges per kind of object, in the order GRANT is written here
PRIVILEGES = {
    "schema": ("usage", "create"),
    "table": ("select", "insert", "update", "delete", "truncate", "references", "trigger"),
    "column": ("select", "insert", "update", "references"),
    "sequence": ("usage", "select", "update"),
    "function": ("execute",),
}
DEFAULT_KINDS = {"tables": "table", "sequences": "sequence", "functions": "function"}
TARGETS = ("schema", "tables", "sequences", "functions")


def roles(ctx: Checker, raw: dict) -> list[m.Role]:
    out = []
    for name, data in raw.items():
        path = ("roles", name)
        if ctx.identifier(name, path, "role", key=True) and (name.startswith("pg_") or name == "public"):
            ctx.error(path, f"role name '{name}' is reserved by PostgreSQL", key=True)
        data = data if data is not None else {}
        for key in [k for k in ("login", "password") if isinstance(data, dict) and k in data]:
            ctx.error(path + (key,), f"roles: declares NOLOGIN group roles only; login roles and their passwords "
                                     f"stay in the deployment (CREATE ROLE ... LOGIN IN ROLE {name})", key=True)
            data = {k: v for k, v in data.items() if k != key}
        spec = ctx.spec(RoleSpec, data, path)
        if spec is not None:
            out.append(m.Role(name, spec.comment))
    return out


def grants(ctx: Checker, raw: list, role_names: set, schema: str, objects: dict[str, list[str]],
           columns: dict[str, set], routines=()) -> list[m.Grant]:
    """objects: kind -> the names schema.yaml declares (table, sequence, function)."""
    out = []
    for i, data in enumerate(raw):
        path = ("grants", i)
        spec = ctx.spec(GrantSpec, data, path)
        if spec is None:
            continue
        _roles_known(ctx, spec.to, role_names, path + ("to",))
        given = [t for t in TARGETS if getattr(spec, "schema_" if t == "schema" else t) not in (None, False)]
        if len(given) != 1:
            ctx.error(path, "a grant is on exactly one of schema: true, tables:, sequences: or functions: "
                            f"({'none' if not given else ', '.join(given)} given)")
            continue
        out += _overloads(_grant(ctx, spec, given[0], path, schema, objects, columns), routines)
    return out


def _grant(ctx, spec: GrantSpec, target: str, path, schema, objects, columns) -> list[m.Grant]:
    kind = "schema" if target == "schema" else target[:-1]
    if spec.columns is not None and kind != "table":
        ctx.error(path + ("columns",), "columns: goes with tables: only")
        return []
    privs = _privileges(ctx, spec.privileges, "column" if spec.columns else kind, path + ("privileges",))
    if kind == "schema":
        return [m.Grant("schema", schema, privs, tuple(spec.to), spec.reason)]
    names = getattr(spec, target)
    if names == "all":
        names = objects[kind]
    else:
        for j, name in enumerate(names):
            if name not in objects[kind] and ctx.placed.get(name, schema) != schema:  # validate/schemas.py
                ctx.error(path + (target, j), f"grants on objects of schema '{ctx.placed[name]}' are not supported "
                                              f"yet: only the file's own schema ('{schema}')")
            elif name not in objects[kind]:
                ctx.error(path + (target, j), f"grant on unknown {kind} '{name}'" + did_you_mean(name, objects[kind]))
        names = [n for n in names if n in objects[kind]]
    if spec.columns is not None:
        if len(names) != 1:
            ctx.error(path + ("columns",), "columns: needs exactly one table under tables:")
            return []
        if names[0] not in columns:
            ctx.error(path + ("columns",), f"columns: are for a table; '{names[0]}' is a view, granted whole")
            return []
        if not ctx.column_list(names[0], columns[names[0]], spec.columns, path + ("columns",)):
            return []
    args = ""  # the functions schemagen makes (on_update triggers) take no arguments
    return [m.Grant(kind, n, privs, tuple(spec.to), spec.reason, tuple(spec.columns or ()), args) for n in names]


def _overloads(granted: list[m.Grant], routines) -> list[m.Grant]:
    """A grant on a declared function's name, one per overload (live/privileges.py and the DDL name
    each by its signature)."""
    places = {}
    for f in routines:
        places.setdefault(f.name, []).append(f.overload)
    return [replace(g, overload=i) for g in granted
            for i in (places.get(g.object, [-1]) if g.kind == "function" else [-1])]


def default_privileges(ctx: Checker, raw: list, role_names: set) -> list[m.DefaultPrivilege]:
    out = []
    for i, data in enumerate(raw):
        path = ("default_privileges", i)
        spec = ctx.spec(DefaultPrivilegeSpec, data, path)
        if spec is None:
            continue
        _roles_known(ctx, spec.to, role_names, path + ("to",))
        privs = _privileges(ctx, spec.privileges, DEFAULT_KINDS[spec.objects], path + ("privileges",))
        out.append(m.DefaultPrivilege(spec.objects, privs, tuple(spec.to), spec.reason))
    return out


def _roles_known(ctx: Checker, names: list[str], known: set, path: tuple) -> None:
    for j, name in enumerate(names):
        if name not in known:
            ctx.error(path + (j,), f"role '{name}' is not declared under roles: (schemagen manages the "
                                   "privileges of the roles it declares, and no others)" + did_you_mean(name, known))


def _privileges(ctx: Checker, given: list[str], kind: str, path: tuple) -> tuple[str, ...]:
    allowed = PRIVILEGES[kind]
    for j, word in enumerate(given):
        if word not in allowed:
            ctx.error(path + (j,), f"'{word}' is not a privilege on a {kind} (one of: {', '.join(allowed)})"
                      + did_you_mean(word, allowed))
    return tuple(p for p in allowed if p in given)


def declared_objects(tables: dict, sequences: list, views=(), routines=()
                     ) -> tuple[dict[str, list[str]], dict[str, set]]:
    """What grants may name: tables and views (GRANT ... ON TABLE takes both, and ALL TABLES covers
    views too), sequences (standalone, serial and identity), functions."""
    seqs = [s.name for s in sequences] + [c.sequence for t in tables.values() for c in t.columns if c.sequence]
    functions = [naming.trigger_name(t.name) for t in tables.values() if t.on_update_columns]
    functions += list(dict.fromkeys(f.name for f in routines))  # a name grants every overload of it
    objects = {"table": list(tables) + [v.name for v in views], "sequence": seqs, "function": functions}
    return objects, {name: {c.name for c in t.columns} for name, t in tables.items()}


def access(ctx: Checker, data: dict, schema: str, tables: dict, specs: dict, sequences: list, views=(),
           routines=()):
    """(tables with their policies, roles, grants, default privileges) from the top level."""
    raw_roles = data.get("roles") if isinstance(data.get("roles"), dict) else {}
    declared = roles(ctx, raw_roles)
    names = set(raw_roles)  # a broken role still counts as declared
    tables = apply_policies(ctx, tables, specs, names, schema, frozenset(v.name for v in views))
    # grants cover the file's own schema (live/privileges.py compares that one): not the others' objects
    def own(o) -> bool:
        return not o.schema or o.schema == schema
    objects, columns = declared_objects({n: t for n, t in tables.items() if own(t)}, sequences,
                                        [v for v in views if own(v)], routines)
    raw_grants = data.get("grants") if isinstance(data.get("grants"), list) else []
    raw_defaults = data.get("default_privileges") if isinstance(data.get("default_privileges"), list) else []
    return (tables, declared, grants(ctx, raw_grants, names, schema, objects, columns, routines),
            default_privileges(ctx, raw_defaults, names))
