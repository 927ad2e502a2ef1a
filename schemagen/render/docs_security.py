"""View-model for the access control part of SCHEMA.md: roles, grants, default privileges,
and per table its row level security and policies."""

from __future__ import annotations

from schemagen.render.docs import _cell
from schemagen.spec import model as m


def _row(values) -> tuple[str, ...]:
    return tuple(_cell(v) for v in values)


def role_rows(schema: m.Schema) -> list[tuple[str, ...]]:
    return [_row((r.name, r.comment)) for r in schema.roles]


def grant_rows(schema: m.Schema) -> list[tuple[str, ...]]:
    """roles, privileges, on, reason."""
    out = []
    for g in schema.grants:
        on = f"schema {schema.name}" if g.kind == "schema" else f"{g.kind} {g.object}"
        if g.kind == "function":
            on += f"({g.arguments})"
        if g.columns:
            on += f" ({', '.join(g.columns)})"
        out.append(_row((", ".join(g.roles), ", ".join(p.upper() for p in g.privileges), on, g.reason)))
    out += [_row((", ".join(d.roles), ", ".join(p.upper() for p in d.privileges), f"{d.on} created later",
                  d.reason)) for d in schema.default_privileges]
    return out


def row_security(table: m.Table) -> str:
    rls = table.row_level_security
    if rls is None or not rls.enable:
        return ""
    return "enabled, forced (the owner too)" if rls.force else "enabled (the owner bypasses it)"


def policy_rows(schema: m.Schema) -> dict[str, dict]:
    """table name -> {'security': text, 'policies': rows of name, kind, command, roles, using,
    with check, comment}; only tables with row level security or policies."""
    out = {}
    for t in schema.tables:
        if not (row_security(t) or t.policies):
            continue
        rows = [_row((p.name, "restrictive" if p.restrictive else "permissive", p.command.upper(),
                      ", ".join(p.roles), p.using or "", p.with_check or "", p.comment)) for p in t.policies]
        out[t.name] = {"security": row_security(t) or "off", "policies": rows}
    return out
