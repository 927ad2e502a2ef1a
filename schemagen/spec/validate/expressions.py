"""SQL expressions of one table, read by PostgreSQL's parser and checked against the
table: defaults (no column references; a constant must suit the column's type),
on_update (OLD./NEW. columns that exist), CHECKs and partial-index WHERE (columns of
the table). Each problem points at its place inside the expression."""

from __future__ import annotations

from schemagen.diagnostics import did_you_mean
from schemagen.spec import literals
from schemagen.spec import model as m
from schemagen.spec.expressions import Expression
from schemagen.spec.validate.context import Checker

# PostgreSQL's system columns: no user column may take their names
SYSTEM_COLUMNS = ("tableoid", "xmin", "cmin", "xmax", "cmax", "ctid")


def default(ctx: Checker, table: str, column: m.Column, text: str, path: tuple) -> None:
    """A default written as SQL (a YAML string)."""
    found = ctx.expression(text, path, default=True)
    for ref in found.columns:
        ctx.error_in_value(path, text, ref.offset, f"a default cannot use a column ('{ref.name}'): PostgreSQL "
                           "computes it before the row exists (use a trigger, or on_update for updates)")
    if found.ok and found.constant is not None:
        constant(ctx, table, column, text, found.constant, path)


def constant(ctx: Checker, table: str, column: m.Column, shown: str, const, path: tuple) -> None:
    if (table, column.name) in ctx.bad_types:
        return
    values = ctx.enum_values.get(column.type.name, ()) if column.type.is_enum else ()
    why = literals.problem(const, column.type, values)
    if why:
        ctx.error(path, f"{column.type} column '{table}.{column.name}' cannot default to {shown}: {why}")


def on_update(ctx: Checker, table: str, columns: dict, column: m.Column, path: tuple) -> None:
    text = column.on_update
    found = ctx.expression(text, path, in_function_body=True)
    for ref in found.columns:
        if ref.qualifier in ("old", "new") and ref.fields == 2:
            _exists(ctx, table, columns, ref, text, path)
        else:
            ctx.error_in_value(path, text, ref.offset, f"in on_update, name a column as OLD.{ref.name} (the row "
                               f"before the update) or NEW.{ref.name} (the row being written)")


def row_expression(ctx: Checker, table: str, columns: dict, text: str, path: tuple, what: str) -> Expression:
    """A CHECK or an index's WHERE: columns of this table, plain or as table.column."""
    found = ctx.expression(text, path)
    for ref in found.columns:
        if ref.qualifier not in (None, table) or ref.fields > 2:
            ctx.error_in_value(path, text, ref.offset, f"{what} can only use columns of table '{table}' "
                               f"('{ref.qualifier}.{ref.name}' is not one)")
        elif ref.name in SYSTEM_COLUMNS and ref.name not in columns:
            ctx.error_in_value(path, text, ref.offset, f"{what} cannot use the system column '{ref.name}'")
        else:
            _exists(ctx, table, columns, ref, text, path)
    return found


def _exists(ctx: Checker, table: str, columns: dict, ref, text: str, path: tuple) -> None:
    if ref.name not in columns:
        ctx.error_in_value(path, text, ref.offset, f"table '{table}' has no column '{ref.name}'"
                           + did_you_mean(ref.name, columns))


def system_column_name(ctx: Checker, table: str, name: str, path: tuple) -> None:
    if name in SYSTEM_COLUMNS:
        ctx.error(path, f"column name '{name}' is taken by a PostgreSQL system column "
                        f"({', '.join(SYSTEM_COLUMNS)}); choose another", key=True)
