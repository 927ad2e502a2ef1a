"""Unique constraints, CHECKs (on the table and on a column) and exclusion constraints."""

from __future__ import annotations

import schemagen.spec.validate.expressions as expressions
from schemagen.spec import model as m
from schemagen.spec import naming
from schemagen.spec.shapes import DeferrableSpec, TableSpec
from schemagen.spec.validate.context import Checker
from schemagen.spec.validate.indexes import OPCLASS

EXCLUDE_METHODS = ("btree", "hash", "gist", "spgist")  # those with amgettuple


def deferral(ctx: Checker, spec: DeferrableSpec, path: tuple) -> tuple[bool, bool]:
    """(deferrable, initially deferred); INITIALLY DEFERRED without DEFERRABLE is asked for explicitly."""
    if spec.initially == "deferred" and not spec.deferrable:
        ctx.error(path + ("initially",), "initially: deferred needs deferrable: true")
    return spec.deferrable, spec.initially == "deferred"


def uniques(ctx: Checker, name: str, spec: TableSpec, columns: dict) -> list[m.Unique]:
    out = [m.Unique(naming.unique_name(name, [c]), (c,)) for c, cs in spec.columns.items() if cs.unique]
    for i, u in enumerate(spec.unique):
        upath = ("tables", name, "unique", i)
        ctx.column_list(name, columns, u.columns, upath + ("columns",))
        if u.name:
            ctx.identifier(u.name, upath + ("name",), "unique constraint")
        deferrable, deferred = deferral(ctx, u, upath)
        out.append(m.Unique(u.name or naming.unique_name(name, u.columns), tuple(u.columns), u.comment,
                            u.nulls_not_distinct, deferrable, deferred))
    return out


def checks(ctx: Checker, name: str, spec: TableSpec, columns: dict) -> list[m.Check]:
    """Column-level checks first (in column order), then the table's."""
    out = []
    for cname, cspec in spec.columns.items():
        c = cspec.check
        if c is None:
            continue
        cpath = ("tables", name, "columns", cname, "check")
        if c.name:
            ctx.identifier(c.name, cpath + ("name",), "check")
        # the text is `check:` itself, or its expression: key
        text_at = cpath + ("expression",) if cpath + ("expression",) in ctx.doc.positions else cpath
        expressions.row_expression(ctx, name, columns, c.expression, text_at, "a CHECK")
        out.append(m.Check(naming.check_name(name, c.name or cname), c.expression, c.comment, column=cname))
    for i, c in enumerate(spec.checks):
        cpath = ("tables", name, "checks", i)
        ctx.identifier(c.name, cpath + ("name",), "check")
        expressions.row_expression(ctx, name, columns, c.expression, cpath + ("expression",), "a CHECK")
        out.append(m.Check(naming.check_name(name, c.name), c.expression, c.comment))
    return out


def excludes(ctx: Checker, name: str, spec: TableSpec, columns: dict) -> list[m.Exclude]:
    out = []
    for i, x in enumerate(spec.exclude):
        path = ("tables", name, "exclude", i)
        elements = [_element(ctx, name, columns, e, path + ("elements", j)) for j, e in enumerate(x.elements)]
        if x.where is not None:
            expressions.row_expression(ctx, name, columns, x.where, path + ("where",), "an exclusion's WHERE")
        if x.name:
            ctx.identifier(x.name, path + ("name",), "exclusion constraint")
        deferrable, deferred = deferral(ctx, x, path)
        labels = [label for _, label in elements]
        out.append(m.Exclude(x.name or naming.exclude_name(name, labels), tuple(e for e, _ in elements),
                             x.method, x.where, x.comment, deferrable, deferred))
    return out


def _element(ctx: Checker, table: str, columns: dict, spec, path: tuple) -> tuple[m.ExcludeElement, str]:
    from schemagen.spec.elements import label, operator_problem
    problem = operator_problem(spec.operator)
    if problem:
        ctx.error(path + ("operator",), problem)
    if spec.opclass is not None and not OPCLASS.match(spec.opclass):
        ctx.error(path + ("opclass",), f"'{spec.opclass}' is not an operator class name")
    operator = spec.operator.strip()
    if (spec.column is None) == (spec.expression is None):
        ctx.error(path, "an exclusion element needs either column: or expression:, not both")
        return m.ExcludeElement(None, "true", operator), "expr"
    if spec.column is not None:
        ctx.column_exists(table, columns, spec.column, path + ("column",))
        return m.ExcludeElement(spec.column, None, operator, spec.opclass), spec.column
    expressions.row_expression(ctx, table, columns, spec.expression, path + ("expression",), "an exclusion element")
    return m.ExcludeElement(None, spec.expression, operator, spec.opclass), label(spec.expression)
