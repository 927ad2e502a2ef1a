"""One table without its foreign keys: columns, primary key, unique constraints,
checks and indexes."""

from __future__ import annotations

from dataclasses import replace

import schemagen.spec.validate.expressions as expressions
from schemagen.spec import model as m
from schemagen.spec import naming
from schemagen.spec.catalog_data import DEFAULT_OPCLASS_TYPES, METHOD_PROPERTIES, TYPNAMES
from schemagen.spec.shapes import TableSpec
from schemagen.spec.validate.columns import column
from schemagen.spec.validate.context import Checker


def table(ctx: Checker, name: str, spec: TableSpec, enum_names: set) -> m.Table:
    path = ("tables", name)
    columns = {cname: column(ctx, name, cname, cspec, enum_names) for cname, cspec in spec.columns.items()}
    for cname, col in columns.items():
        if col.on_update is not None:
            expressions.on_update(ctx, name, columns, col, path + ("columns", cname, "on_update"))
    renamed_columns(ctx, name, spec)
    pk = primary_key(ctx, name, spec, columns)
    if pk is not None:  # primary key columns are NOT NULL whatever the spec says
        columns = {c: replace(col, nullable=False) if c in pk.columns else col for c, col in columns.items()}
    return m.Table(
        name=name, columns=tuple(columns.values()),
        primary_key=pk or m.PrimaryKey(naming.pk_name(name), ()),
        comment=spec.comment, uniques=tuple(uniques(ctx, name, spec, columns)),
        checks=tuple(checks(ctx, name, spec, columns)),
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


def renamed_columns(ctx: Checker, name: str, spec: TableSpec) -> None:
    """renamed_from names the old name, which must be gone (and be claimed once)."""
    claimed: dict[str, str] = {}
    for cname, cspec in spec.columns.items():
        old, path = cspec.renamed_from, ("tables", name, "columns", cname, "renamed_from")
        if old is None:
            continue
        if old in spec.columns:
            ctx.error(path, f"renamed_from: column '{old}' still exists in table '{name}'; renamed_from names "
                            "a column that is gone (drop the key once the rename has been applied)")
        elif old in claimed:
            ctx.error(path, f"renamed_from: column '{claimed[old]}' was already renamed from '{old}'")
        claimed.setdefault(old, cname)


def checks(ctx: Checker, name: str, spec: TableSpec, columns: dict) -> list[m.Check]:
    out = []
    for i, c in enumerate(spec.checks):
        cpath = ("tables", name, "checks", i)
        ctx.identifier(c.name, cpath + ("name",), "check")
        expressions.row_expression(ctx, name, columns, c.expression, cpath + ("expression",), "a CHECK")
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
        expressions.row_expression(ctx, table, columns, spec.where, path + ("where",), "an index's WHERE")
    can_order, can_unique, multi_column = METHOD_PROPERTIES[spec.method]
    if spec.unique and not can_unique:
        ctx.error(path + ("unique",), f"a unique index must use btree, not {spec.method}")
    if not can_order and any(c.order != "asc" or c.nulls for c in spec.columns):
        ctx.error(path + ("columns",), f"index method {spec.method} has no ASC/DESC or NULLS order")
    if not multi_column and len(names) > 1:
        ctx.error(path + ("columns",), f"index method {spec.method} indexes one column; this index lists "
                                       f"{len(names)} (use btree, or one {spec.method} index per column)")
    for i, cname in enumerate(names):
        if cname in columns and (table, cname) not in ctx.bad_types:
            element_type(ctx, spec.method, columns[cname], path + ("columns", i))
    ix_columns = tuple(m.IndexColumn(c.column, c.order, c.nulls) for c in spec.columns)
    return m.Index(spec.name or naming.index_name(table, names), ix_columns, spec.unique, spec.where, spec.method)


def element_type(ctx: Checker, method: str, column: m.Column, path: tuple) -> None:
    """PostgreSQL indexes a column with a method only through a default operator class."""
    typname = "anyenum" if column.type.is_enum else TYPNAMES[column.type.name]
    if typname in DEFAULT_OPCLASS_TYPES[method]:
        return
    able = [am for am in METHOD_PROPERTIES if typname in DEFAULT_OPCLASS_TYPES[am]]
    ctx.error(path, f"index method {method} cannot index column '{column.name}' of type {column.type} "
                    f"(PostgreSQL has no default operator class for it); "
                    + (f"methods that can: {', '.join(able)}" if able else "no index method can"))
