"""Enums, column types and defaults."""

from __future__ import annotations

from schemagen.diagnostics import did_you_mean
from schemagen.spec import model as m
from schemagen.spec import naming
from schemagen.spec.shapes import ColumnSpec, EnumSpec
from schemagen.spec.types import ColumnType, TypeError_, known_names, parse_type
from schemagen.spec.validate.context import Checker


def enums(ctx: Checker, raw_enums: dict) -> list[m.Enum]:
    out = []
    for name, raw in raw_enums.items():
        path = ("enums", name)
        ctx.identifier(name, path, "enum", key=True)
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
    default = spec.default
    if isinstance(default, bool):
        default = "true" if default else "false"
    elif isinstance(default, (int, float)):
        default = repr(default)
    elif isinstance(default, str):
        ctx.expression(default, path + ("default",))
    if spec.on_update is not None:
        ctx.expression(spec.on_update, path + ("on_update",))
    return m.Column(name=name, type=ctype, nullable=spec.nullable, default=default,
                    comment=spec.comment, on_update=spec.on_update,
                    renamed_from=spec.renamed_from, attribute=naming.attribute_name(name),
                    lint_ignore=ctx.lint_ignore(spec.lint, path + ("lint", "ignore")))


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
