"""Row level security and policies on a table: the roles are declared, the expressions
are single SQL expressions (read by PostgreSQL's parser) over the table's columns, and
each clause is one PostgreSQL allows for the policy's command. A policy may hold subqueries
(the membership pattern: `EXISTS (SELECT 1 FROM members ...)`); the tables and views they read
must be declared, and are written schema-qualified so the policy does not depend on search_path."""

from __future__ import annotations

import dataclasses

from schemagen.diagnostics import did_you_mean
from schemagen.spec import model as m
from schemagen.spec.validate.context import Checker
from schemagen.spec.validate.views import qualify

NO_USING = ("insert",)                 # an INSERT policy checks new rows only
NO_WITH_CHECK = ("select", "delete")   # these write no rows


def apply(ctx: Checker, tables: dict, specs: dict, role_names: set, schema: str = "public",
          relations: frozenset[str] = frozenset()) -> dict:
    """tables with their row level security and policies; relations: the tables and views of the
    schema a policy's subquery may read."""
    where = (schema, relations | set(tables))
    return {name: _table(ctx, table, specs[name], role_names, where) if name in specs else table
            for name, table in tables.items()}


def _table(ctx: Checker, table: m.Table, spec, role_names: set, where_: tuple[str, set]) -> m.Table:
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
        using, check = _clauses(ctx, p, table.name, columns, where, where_)
        policies.append(m.Policy(p.name, p.command, tuple(sorted(set(p.roles))), using, check,
                                 p.restrictive, p.comment))
    if rls is None:
        return dataclasses.replace(table, policies=tuple(policies))
    return dataclasses.replace(table, row_level_security=m.RowLevelSecurity(rls.enable, rls.force),
                               policies=tuple(policies))


def _clauses(ctx: Checker, p, table: str, columns: set, where: tuple, where_: tuple[str, set]
             ) -> tuple[str | None, str | None]:
    """(using, with_check), their subqueries' relations schema-qualified."""
    if p.using is None and p.with_check is None:
        ctx.error(where, f"policy '{p.name}' needs using: (rows it lets roles see) or with_check: (rows "
                         "it lets them write)")
    if p.using is not None and p.command in NO_USING:
        ctx.error(where + ("using",), "an insert policy has no using: (write with_check:)")
    if p.with_check is not None and p.command in NO_WITH_CHECK:
        ctx.error(where + ("with_check",), f"a {p.command} policy has no with_check: (write using:)")
    out = []
    for key in ("using", "with_check"):
        text = getattr(p, key)
        if text is None:
            out.append(None)
            continue
        found = ctx.expression(text, where + (key,), subqueries=True)
        for ref in found.columns:
            if ref.qualifier is None and ref.name not in columns:
                ctx.error_in_value(where + (key,), text, ref.offset,
                                   f"table '{table}' has no column '{ref.name}'" + did_you_mean(ref.name, columns))
        out.append(_qualified(ctx, text, found.relations, where + (key,), *where_))
    return out[0], out[1]


def _qualified(ctx: Checker, text: str, relations, path: tuple, schema: str, known: set) -> str:
    """The text with the schema written before the relations its subqueries name without one."""
    bare = []
    for rel in relations:
        if rel.schema not in (None, schema):
            continue  # another schema's (pg_catalog, ...)
        if rel.name not in known:
            ctx.error_in_value(path, text, rel.offset, f"the policy reads unknown table or view '{rel.name}'"
                               + did_you_mean(rel.name, known))
        elif rel.schema is None:
            bare.append(rel.offset)
    return qualify(text, schema, bare)
