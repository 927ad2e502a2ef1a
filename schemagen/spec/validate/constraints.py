"""Unique constraints, CHECKs (on the table and on a column) and exclusion constraints."""

from __future__ import annotations

import schemagen.spec.validate.expressions as expressions
from schemagen.spec import model as m
from schemagen.spec import naming
from schemagen.spec.shapes import DeferrableSpec, TableSpec
from schemagen.spec.validate.context import Checker

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

