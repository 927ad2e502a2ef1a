"""Enums, column types and defaults."""

from __future__ import annotations

from dataclasses import replace

import schemagen.spec.validate.expressions as expressions
from schemagen.diagnostics import did_you_mean
from schemagen.spec import literals, naming
from schemagen.spec import model as m
from schemagen.spec.catalog_data import TYPNAMES
from schemagen.spec.shapes import ColumnSpec, EnumSpec
from schemagen.spec.types import ALIASES, BUILTINS, ColumnType, TypeError_, known_names, parse_type
from schemagen.spec.validate.context import Checker

# names a type: a user type with one of these would take over its columns
BUILTIN_TYPE_NAMES = frozenset(BUILTINS) | frozenset(ALIASES) | frozenset(TYPNAMES.values())


def enums(ctx: Checker, raw_enums: dict) -> list[m.Enum]:
    out = []
    for name, raw in raw_enums.items():
        path = ("enums", name)
        ctx.identifier(name, path, "enum", key=True)
        if name in BUILTIN_TYPE_NAMES:
            ctx.error(path, f"enum name '{name}' is the name of a built-in type: every column of type "
                            f"'{name}' would become this enum; choose another name", key=True)
        spec = ctx.spec(EnumSpec, raw, path)
        if spec is None:
            continue
        seen, members = set(), {}
        for i, value in enumerate(spec.values):
            member = naming.enum_member(value)
            if value in seen:
                ctx.error(path + ("values", i), f"enum '{name}' lists the value '{value}' twice")
            elif member in members:
                ctx.error(path + ("values", i), f"enum values '{members[member]}' and '{value}' would both be the "
                                                f"Python member {member}: rename one")
            members.setdefault(member, value)
            if not value or naming.too_long(value):
                ctx.error(path + ("values", i), f"enum value '{value}' must be 1 to 63 bytes long")
            seen.add(value)
        out.append(m.Enum(name, tuple(spec.values), spec.comment,
                          ctx.lint_ignore(spec.lint, path + ("lint", "ignore"))))
    return out


def column(ctx: Checker, table: str, name: str, spec: ColumnSpec, enum_names: set) -> m.Column:
    path = ("tables", table, "columns", name)
    ctx.identifier(name, path, "column", key=True)
    ctype = column_type(ctx, table, name, spec.type, enum_names)
    if spec.primary_key and spec.nullable:
        ctx.error(path + ("nullable",), f"primary key column '{table}.{name}' cannot be nullable")
    expressions.system_column_name(ctx, table, name, path)
    col = m.Column(name=name, type=ctype, nullable=spec.nullable, default=None,
                   comment=spec.comment, on_update=spec.on_update,
                   renamed_from=spec.renamed_from, attribute=naming.attribute_name(name),
                   lint_ignore=ctx.lint_ignore(spec.lint, path + ("lint", "ignore")))
    return replace(col, default=default(ctx, table, col, spec.default, path + ("default",)))


def default(ctx: Checker, table: str, col: m.Column, value, path: tuple) -> str | None:
    """The default as SQL: a YAML string is SQL as written; a YAML boolean or number
    becomes the literal PostgreSQL reads (.inf -> 'Infinity'). Both are checked."""
    if isinstance(value, str):
        expressions.default(ctx, table, col, value, path)
        return value
    if value is None:
        return None
    sql, const = literals.yaml_default(value)
    expressions.constant(ctx, table, col, _yaml_spelling(value), const, path)
    return sql


def _yaml_spelling(value: bool | int | float) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value != value:
        return ".nan"
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return ".inf" if value > 0 else "-.inf"
    return repr(value)


def column_type(ctx: Checker, table: str, name: str, text: str, enum_names: set) -> ColumnType:
    try:
        return parse_type(text, enum_names)
    except TypeError_ as exc:
        hint = did_you_mean(text.split("(")[0].strip(), known_names(enum_names)) \
            if str(exc).startswith("unknown type") else ""
        if text.count("(") > text.count(")"):
            hint += " (in a {flow: mapping} a comma splits the value: quote it, e.g. 'numeric(10,2)')"
        ctx.error(("tables", table, "columns", name, "type"), f"{exc}{hint}")
        ctx.bad_types.add((table, name))
        return ColumnType("text")  # keep going; the error is recorded
