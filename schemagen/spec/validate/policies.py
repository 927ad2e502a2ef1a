"""Row level security and policies on a table: the roles are declared, the expressions
are single SQL expressions (read by PostgreSQL's parser) over the table's columns, and
each clause is one PostgreSQL allows for the policy's command."""

from __future__ import annotations

import dataclasses

from schemagen.diagnostics import did_you_mean
from schemagen.spec import model as m
from schemagen.spec.validate.context import Checker

NO_USING = ("insert",)                 # an INSERT policy checks new rows only
NO_WITH_CHECK = ("select", "delete")   # these write no rows


def apply(ctx: Checker, tables: dict, specs: dict, role_names: set) -> dict:
    """tables with their row level security and policies."""
    return {name: _table(ctx, table, specs[name], role_names) if name in specs else table
            for name, table in tables.items()}


def _table(ctx: Checker, table: m.Table, spec, role_names: set) -> m.Table:
    path = ("tables", table.name)
    rls = spec.row_level_security
    if spec.policies and (rls is None or not rls.enable):
        ctx.error(path + ("policies",), f"policies on table '{table.name}' have no effect while row level "
                                        "security is off: add row_level_security: {enable: true}")
    if rls is not None and rls.force and not rls.enable:
        ctx.error(path + ("row_level_security", "force"), "force: true needs enable: true")
    columns = {c.name for c in table.columns}
    seen: set[str] = set()
    policies = []
    for i, p in enumerate(spec.policies):
        where = path + ("policies", i)
        if ctx.identifier(p.name, where + ("name",), "policy") and p.name in seen:
            ctx.error(where + ("name",), f"table '{table.name}' has two policies named '{p.name}'")
        seen.add(p.name)
        for j, role in enumerate(p.roles):
            if role != "public" and role not in role_names:
                ctx.error(where + ("roles", j), f"role '{role}' is not declared under roles: (or write public)")
        _clauses(ctx, p, table.name, columns, where)
        policies.append(m.Policy(p.name, p.command, tuple(sorted(set(p.roles))), p.using, p.with_check,
                                 p.restrictive, p.comment))
    if rls is None:
        return dataclasses.replace(table, policies=tuple(policies))
    return dataclasses.replace(table, row_level_security=m.RowLevelSecurity(rls.enable, rls.force),
                               policies=tuple(policies))


def _clauses(ctx: Checker, p, table: str, columns: set, where: tuple) -> None:
    if p.using is None and p.with_check is None:
        ctx.error(where, f"policy '{p.name}' needs using: (rows it lets roles see) or with_check: (rows "
                         "it lets them write)")
    if p.using is not None and p.command in NO_USING:
        ctx.error(where + ("using",), "an insert policy has no using: (write with_check:)")
    if p.with_check is not None and p.command in NO_WITH_CHECK:
        ctx.error(where + ("with_check",), f"a {p.command} policy has no with_check: (write using:)")
    for key in ("using", "with_check"):
        text = getattr(p, key)
        if text is None:
            continue
        found = ctx.expression(text, where + (key,))
        for ref in found.columns:
            if ref.qualifier is None and ref.name not in columns:
                ctx.error_in_value(where + (key,), text, ref.offset,
                                   f"table '{table}' has no column '{ref.name}'" + did_you_mean(ref.name, columns))
