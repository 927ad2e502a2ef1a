"""Indexes: their elements (columns or expressions, order, operator class, collation),
INCLUDE columns, storage parameters, NULLS NOT DISTINCT, and what each access method
can do."""

from __future__ import annotations

import importlib
import re

from schemagen.diagnostics import did_you_mean
from schemagen.spec import model as m
from schemagen.spec import naming, storage
from schemagen.spec.shapes import IndexSpec
from schemagen.spec.validate.context import Checker
from schemagen.spec.validate.storage import parameters

# what PostgreSQL's built-in access methods can do (pg_am / amapi: amcanorder, amcanunique,
# amcanmulticol, amcaninclude); these do not change between versions 12 and 17
CAN_ORDER = {"btree"}
CAN_UNIQUE = {"btree"}
SINGLE_COLUMN = {"hash", "spgist"}
CAN_INCLUDE = {"btree", "gist", "spgist"}

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
        ctx.expression(spec.where, path + ("where",))
        expression_columns(ctx, table, columns, spec.where, path + ("where",))
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
        if ctx.column_exists(table, columns, spec.column, path):
            type_problem = element_type_problem(method, columns[spec.column].type, spec.opclass)
            if type_problem:
                ctx.error(path, f"{table}.{spec.column}: {type_problem}")
        return m.IndexColumn(spec.column, spec.order, spec.nulls, None, spec.opclass, spec.collation, spec.column)
    ctx.expression(spec.expression, path + ("expression",))
    from schemagen.spec.elements import label
    expression_columns(ctx, table, columns, spec.expression, path + ("expression",))
    return m.IndexColumn("", spec.order, spec.nulls, spec.expression, spec.opclass, spec.collation,
                         label(spec.expression))


def expression_columns(ctx: Checker, table: str, columns: dict, text: str, path: tuple) -> None:
    """Every column an expression names must be one of the table's."""
    from schemagen.spec.elements import column_names
    for name in column_names(text):
        if name not in columns:
            ctx.error(path, f"table '{table}' has no column '{name}' (named in the expression)"
                      + did_you_mean(name, columns))


def method_rules(ctx: Checker, spec: IndexSpec, path: tuple) -> None:
    method = spec.method
    if spec.unique and method not in CAN_UNIQUE:
        ctx.error(path + ("unique",), f"a unique index must use btree, not {method}")
    if spec.nulls_not_distinct and not spec.unique:
        ctx.error(path + ("nulls_not_distinct",), "nulls_not_distinct applies to unique indexes only "
                                                  "(add unique: true)")
    if method not in CAN_ORDER and any(c.order != "asc" or c.nulls for c in spec.columns):
        ctx.error(path + ("columns",), f"index method {method} has no ASC/DESC or NULLS order")
    if method in SINGLE_COLUMN and len(spec.columns) > 1:
        ctx.error(path + ("columns",), f"index method {method} takes one column, not {len(spec.columns)}")
    if spec.include and method not in CAN_INCLUDE:
        ctx.error(path + ("include",), f"index method {method} cannot INCLUDE columns (btree, gist and "
                                       "spgist can)")
    keys = {c.column for c in spec.columns if c.column}
    for i, name in enumerate(spec.include):
        if name in keys:
            ctx.error(path + ("include", i), f"column '{name}' is already a key column of the index")


def element_type_problem(method: str, ctype, opclass: str | None) -> str | None:
    """HOOK for issue 12 item 4's check of index methods against element types. It reads the
    table of default operator classes per access method that branch `safeinput` generates
    from pg_catalog (schemagen/spec/catalog_data.py); until that module is on this branch,
    nothing is checked here and PostgreSQL reports a wrong method when the SQL runs."""
    try:
        data = importlib.import_module("schemagen.spec.catalog_data")
    except ImportError:
        return None
    if opclass is not None:  # an unknown name may come from an extension: only a known one of another method
        classes = getattr(data, "OPCLASSES", {})
        owners = sorted(m for m, names in classes.items() if opclass in names)
        if owners and method not in owners:
            return f"operator class {opclass} belongs to {', '.join(owners)}, not {method}"
        return None
    typname = "anyenum" if ctype.is_enum else getattr(data, "TYPNAMES", {}).get(ctype.name)
    defaults = getattr(data, "DEFAULT_OPCLASS_TYPES", {}).get(method)
    if typname is None or defaults is None or typname in defaults:
        return None
    usable = sorted(m for m, types in data.DEFAULT_OPCLASS_TYPES.items() if typname in types)
    return (f"type {ctype} has no default operator class for {method}"
            + (f" (it has for {', '.join(usable)}; or give opclass:)" if usable else " (give opclass:)"))
