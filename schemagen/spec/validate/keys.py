"""One table without its foreign keys: columns, primary key, unique constraints,
checks and indexes."""

from __future__ import annotations

from dataclasses import replace

from schemagen.spec import model as m
from schemagen.spec import naming
from schemagen.spec.shapes import TableSpec
from schemagen.spec.validate.columns import column
from schemagen.spec.validate.context import Checker


def table(ctx: Checker, name: str, spec: TableSpec, enum_names: set) -> m.Table:
    path = ("tables", name)
    columns = {cname: column(ctx, name, cname, cspec, enum_names) for cname, cspec in spec.columns.items()}
    pk = primary_key(ctx, name, spec, columns)
    if pk is not None:  # primary key columns are NOT NULL whatever the spec says
        columns = {c: replace(col, nullable=False) if c in pk.columns else col for c, col in columns.items()}
    return m.Table(
        name=name, columns=tuple(columns.values()),
        primary_key=pk or m.PrimaryKey(naming.pk_name(name), ()),
        comment=spec.comment, uniques=tuple(uniques(ctx, name, spec, columns)),
        checks=tuple(checks(ctx, name, spec)),
        indexes=tuple(index(ctx, name, columns, ix, path + ("indexes", i)) for i, ix in enumerate(spec.indexes)),
        renamed_from=spec.renamed_from,
        lint_ignore=ctx.lint_ignore(spec.lint, path + ("lint", "ignore")))


def uniques(ctx: Checker, name: str, spec: TableSpec, columns: dict) -> list[m.Unique]:
    out = [m.Unique(naming.unique_name(name, [c]), (c,)) for c, cs in spec.columns.items() if cs.unique]
    for i, u in enumerate(spec.unique):
        upath = ("tables", name, "unique", i)
        ctx.column_list(name, columns, u.columns, upath + ("columns",))
        if u.name:
            ctx.identifier(u.name, upath + ("name",), "unique constraint")
        out.append(m.Unique(u.name or naming.unique_name(name, u.columns), tuple(u.columns), u.comment))
    return out


def checks(ctx: Checker, name: str, spec: TableSpec) -> list[m.Check]:
    out = []
    for i, c in enumerate(spec.checks):
        cpath = ("tables", name, "checks", i)
        ctx.identifier(c.name, cpath + ("name",), "check")
        ctx.expression(c.expression, cpath + ("expression",))
        out.append(m.Check(naming.check_name(name, c.name), c.expression, c.comment))
    return out


def primary_key(ctx: Checker, table: str, spec: TableSpec, columns: dict) -> m.PrimaryKey | None:
    path = ("tables", table)
    marked = [c for c, cs in spec.columns.items() if cs.primary_key]
    if spec.primary_key is not None and marked:
        ctx.error(path + ("primary_key",), f"table '{table}' declares its primary key twice: "
                  f"here and with primary_key: true on column '{marked[0]}'")
        return None
    names = spec.primary_key if spec.primary_key is not None else marked
    if len(marked) > 1:
        ctx.error(path + ("columns", marked[1], "primary_key"),
                  f"table '{table}' marks {len(marked)} columns as primary_key; list a composite "
                  f"key under the table's primary_key: instead")
        return None
    if not names:
        ctx.error(path, f"table '{table}' has no primary key (mark a column with "
                        "primary_key: true, or list columns under primary_key:)", key=True)
        return None
    if not ctx.column_list(table, columns, names, path + ("primary_key",)):
        return None
    for i, cname in enumerate(names):
        if spec.primary_key is not None and spec.columns[cname].nullable:
            ctx.error(path + ("primary_key", i), f"primary key column '{table}.{cname}' cannot be nullable")
    return m.PrimaryKey(naming.pk_name(table), tuple(names))


def index(ctx: Checker, table: str, columns: dict, spec, path: tuple) -> m.Index:
    names = [c.column for c in spec.columns]
    ctx.column_list(table, columns, names, path + ("columns",))
    if spec.name:
        ctx.identifier(spec.name, path + ("name",), "index")
    if spec.where is not None:
        ctx.expression(spec.where, path + ("where",))
    if spec.method != "btree":
        if spec.unique:
            ctx.error(path + ("unique",), f"a unique index must use btree, not {spec.method}")
        if any(c.order != "asc" or c.nulls for c in spec.columns):
            ctx.error(path + ("columns",), f"index method {spec.method} has no ASC/DESC or NULLS order")
    ix_columns = tuple(m.IndexColumn(c.column, c.order, c.nulls) for c in spec.columns)
    return m.Index(spec.name or naming.index_name(table, names), ix_columns, spec.unique, spec.where, spec.method)
