"""One table without its foreign keys: columns, primary key, unique, check and
exclusion constraints, indexes, storage and partitioning."""

from __future__ import annotations

from dataclasses import replace

import schemagen.spec.validate.constraints as constraints
import schemagen.spec.validate.expressions as expressions
import schemagen.spec.validate.partitions as partitions
from schemagen.spec import model as m
from schemagen.spec import naming, storage
from schemagen.spec.shapes import TableSpec
from schemagen.spec.validate.columns import column
from schemagen.spec.validate.context import Checker
from schemagen.spec.validate.indexes import index
from schemagen.spec.validate.storage import parameters


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
    key, parts = partitions.partitioning(ctx, name, spec, columns)
    table = m.Table(
        name=name, columns=tuple(columns.values()),
        primary_key=pk or m.PrimaryKey(naming.pk_name(name), ()),
        comment=spec.comment, uniques=tuple(constraints.uniques(ctx, name, spec, columns)),
        checks=tuple(constraints.checks(ctx, name, spec, columns)),
        indexes=tuple(index(ctx, name, columns, ix, path + ("indexes", i)) for i, ix in enumerate(spec.indexes)),
        renamed_from=spec.renamed_from,
        lint_ignore=ctx.lint_ignore(spec.lint, path + ("lint", "ignore")),
        excludes=tuple(constraints.excludes(ctx, name, spec, columns)),
        storage=() if key else parameters(ctx, spec.with_, storage.TABLE, path + ("with",), "tables"),
        unlogged=spec.unlogged, partition_by=key, partitions=parts)
    partitions.check_keys(ctx, table, spec)
    return table


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
