"""Indexes: their elements (columns or expressions, order, operator class, collation),
INCLUDE columns, storage parameters, NULLS NOT DISTINCT, and what each access method
can do."""

from __future__ import annotations

import re

import schemagen.spec.validate.expressions as expressions
from schemagen.spec import model as m
from schemagen.spec import naming, storage, types
from schemagen.spec.catalog_data import DEFAULT_OPCLASS_TYPES, METHOD_PROPERTIES, OPCLASSES
from schemagen.spec.shapes import IndexSpec
from schemagen.spec.validate.context import Checker
from schemagen.spec.validate.storage import parameters

CAN_INCLUDE = {"btree", "gist", "spgist"}  # amcaninclude of the built-in access methods

# an operator class name, optionally schema-qualified: written into the DDL as is
OPCLASS = re.compile(r"^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$")


def index(ctx: Checker, table: str, columns: dict, spec: IndexSpec, path: tuple) -> m.Index:
    elements = tuple(element(ctx, table, columns, e, path + ("columns", i), spec.method)
                     for i, e in enumerate(spec.columns))
    names = [e.name for e in elements if e.name]
    if len(set(names)) != len(names):
        ctx.error(path + ("columns",), "a column is listed twice in the index")
    ctx.column_list(table, columns, spec.include, path + ("include",))
    if spec.name:
        ctx.identifier(spec.name, path + ("name",), "index")
    if spec.where is not None:
        expressions.row_expression(ctx, table, columns, spec.where, path + ("where",), "an index's WHERE")
    method_rules(ctx, spec, path)
    params = parameters(ctx, spec.with_, storage.INDEX[spec.method], path + ("with",), f"{spec.method} indexes")
    name = spec.name or naming.index_name(table, [e.label for e in elements])
    return m.Index(name, elements, spec.unique, spec.where, spec.method, tuple(spec.include), params,
                   spec.nulls_not_distinct)


def element(ctx: Checker, table: str, columns: dict, spec, path: tuple, method: str) -> m.IndexColumn:
    if (spec.column is None) == (spec.expression is None):
        ctx.error(path, "an index element needs either column: or expression:, not both")
        return m.IndexColumn("", label="expr")
    if spec.opclass is not None and not OPCLASS.match(spec.opclass):
        ctx.error(path + ("opclass",), f"'{spec.opclass}' is not an operator class name (e.g. varchar_pattern_ops)")
    if spec.collation is not None and not spec.collation.strip():
        ctx.error(path + ("collation",), "collation must not be empty")
    if spec.column is not None:
        if ctx.column_exists(table, columns, spec.column, path) and (table, spec.column) not in ctx.bad_types:
            element_type(ctx, method, columns[spec.column], spec.opclass, path)
        return m.IndexColumn(spec.column, spec.order, spec.nulls, None, spec.opclass, spec.collation, spec.column)
    expressions.row_expression(ctx, table, columns, spec.expression, path + ("expression",), "an index expression")
    from schemagen.spec.elements import label
    return m.IndexColumn("", spec.order, spec.nulls, spec.expression, spec.opclass, spec.collation,
                         label(spec.expression))


def method_rules(ctx: Checker, spec: IndexSpec, path: tuple) -> None:
    method = spec.method
    can_order, can_unique, multi_column = METHOD_PROPERTIES[method]
    if spec.unique and not can_unique:
        ctx.error(path + ("unique",), f"a unique index must use btree, not {method}")
    if spec.nulls_not_distinct and not spec.unique:
        ctx.error(path + ("nulls_not_distinct",), "nulls_not_distinct applies to unique indexes only "
                                                  "(add unique: true)")
    if not can_order and any(c.order != "asc" or c.nulls for c in spec.columns):
        ctx.error(path + ("columns",), f"index method {method} has no ASC/DESC or NULLS order")
    if not multi_column and len(spec.columns) > 1:
        ctx.error(path + ("columns",), f"index method {method} indexes one column; this index lists "
                                       f"{len(spec.columns)} (use btree, or one {method} index per column)")
    if spec.include and method not in CAN_INCLUDE:
        ctx.error(path + ("include",), f"index method {method} cannot INCLUDE columns (btree, gist and "
                                       "spgist can)")
    keys = {c.column for c in spec.columns if c.column}
    for i, name in enumerate(spec.include):
        if name in keys:
            ctx.error(path + ("include", i), f"column '{name}' is already a key column of the index")


def element_type(ctx: Checker, method: str, column: m.Column, opclass: str | None, path: tuple) -> None:
    """PostgreSQL indexes a column with a method through its default operator class, or the one
    named; a name it knows for another method only is an error (one it does not know may come
    from an extension)."""
    if opclass is not None:
        owners = sorted(am for am, names in OPCLASSES.items() if opclass in names)
        if owners and method not in owners:
            ctx.error(path + ("opclass",), f"operator class {opclass} belongs to {', '.join(owners)}, not {method}")
        return
    typname = types.typname(column.type)
    if typname is None or typname in DEFAULT_OPCLASS_TYPES[method]:
        return
    able = [am for am in METHOD_PROPERTIES if typname in DEFAULT_OPCLASS_TYPES[am]]
    ctx.error(path, f"index method {method} cannot index column '{column.name}' of type {column.type} "
                    f"(PostgreSQL has no default operator class for it); "
                    + (f"methods that can: {', '.join(able)}" if able else "no index method can"))
