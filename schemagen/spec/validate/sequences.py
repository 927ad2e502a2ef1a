"""Sequences: standalone ones (`sequences:`), and the options of identity columns."""

from __future__ import annotations

from schemagen.diagnostics import did_you_mean
from schemagen.spec import model as m
from schemagen.spec.shapes import IdentitySpec, SequenceOptionsSpec, SequenceSpec
from schemagen.spec.types import ColumnType
from schemagen.spec.validate.context import Checker

INTEGERS = ("smallint", "integer", "bigint")
RANGE = {"smallint": (-(2 ** 15), 2 ** 15 - 1), "integer": (-(2 ** 31), 2 ** 31 - 1),
         "bigint": (-(2 ** 63), 2 ** 63 - 1)}


def options(ctx: Checker, spec: SequenceOptionsSpec, type_name: str, path: tuple) -> m.SequenceOptions:
    """The options as written, checked the way CREATE SEQUENCE checks them."""
    low, high = RANGE[type_name]
    out_of_range = False
    for key in ("start", "min", "max"):
        value = getattr(spec, key)
        if value is not None and not low <= value <= high:
            ctx.error(path + (key,), f"{key} {value} is out of range for {type_name} ({low} to {high})")
            out_of_range = True
    if spec.increment == 0:
        ctx.error(path + ("increment",), "increment must not be zero")
    if spec.cache is not None and spec.cache < 1:
        ctx.error(path + ("cache",), f"cache must be at least 1, not {spec.cache}")
    ascending = (spec.increment or 1) > 0
    minimum = spec.min if spec.min is not None else (1 if ascending else low)
    maximum = spec.max if spec.max is not None else (high if ascending else -1)
    if out_of_range:
        pass  # the limits themselves are wrong: said above
    elif minimum >= maximum:
        ctx.error(path + ("min" if spec.min is not None else "max",),
                  f"min ({minimum}) must be less than max ({maximum})")
    elif spec.start is not None and not minimum <= spec.start <= maximum:
        ctx.error(path + ("start",), f"start {spec.start} is outside min..max ({minimum} to {maximum})")
    return m.SequenceOptions(spec.start, spec.increment, spec.min, spec.max, spec.cache, spec.cycle)


def identity(ctx: Checker, spec: IdentitySpec | None, ctype: ColumnType, where: str, path: tuple
             ) -> m.Identity | None:
    if spec is None or ctype.serial:  # serial with identity is reported with the column
        return None
    if ctype.name not in INTEGERS or ctype.dims or ctype.is_domain or ctype.is_enum:
        ctx.error(path, f"identity column '{where}' must be smallint, integer or bigint, not {ctype}")
        return m.Identity(spec.generated == "always")
    return m.Identity(spec.generated == "always", options(ctx, spec, ctype.name, path))


def sequences(ctx: Checker, raw: dict, tables: dict) -> list[m.Sequence]:
    out = []
    for name, data in raw.items():
        path = ("sequences", name)
        ctx.identifier(name, path, "sequence", key=True)
        spec = ctx.spec(SequenceSpec, data, path)
        if spec is None:
            continue
        opts = options(ctx, spec, spec.type, path)
        owner = owned_by(ctx, spec.owned_by, tables, path + ("owned_by",)) if spec.owned_by else None
        out.append(m.Sequence(name, spec.type, opts, owner, spec.comment,
                              ctx.lint_ignore(spec.lint, path + ("lint", "ignore"))))
    return out


def owned_by(ctx: Checker, text: str, tables: dict, path: tuple) -> tuple[str, str] | None:
    table, _, column = text.partition(".")
    if not column:
        ctx.error(path, f"owned_by names a column as table.column, not '{text}'")
        return None
    if table not in tables:
        ctx.error(path, f"owned_by names unknown table '{table}'" + did_you_mean(table, tables))
        return None
    columns = {c.name for c in tables[table].columns}
    if column not in columns:
        ctx.error(path, f"table '{table}' has no column '{column}'" + did_you_mean(column, columns))
        return None
    return table, column
