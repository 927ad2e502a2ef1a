"""Enums, column types, defaults, identity, generated columns and collations."""

from __future__ import annotations

from schemagen.diagnostics import did_you_mean
from schemagen.spec import model as m
from schemagen.spec import naming
from schemagen.spec.shapes import ColumnSpec, EnumSpec
from schemagen.spec.types import BUILTINS, ColumnType, TypeError_, known_names, parse_type
from schemagen.spec.validate.context import Checker
from schemagen.spec.validate.sequences import identity

COLLATABLE = sorted(name for name, b in BUILTINS.items() if b.collatable)


def enums(ctx: Checker, raw_enums: dict) -> list[m.Enum]:
    out = []
    for name, raw in raw_enums.items():
        path = ("enums", name)
        ctx.identifier(name, path, "enum", key=True)
        spec = ctx.spec(EnumSpec, raw, path)
        if spec is None:
            continue
        seen = set()
        for i, value in enumerate(spec.values):
            if value in seen:
                ctx.error(path + ("values", i), f"enum '{name}' lists the value '{value}' twice")
            if not value or naming.too_long(value):
                ctx.error(path + ("values", i), f"enum value '{value}' must be 1 to 63 bytes long")
            seen.add(value)
        out.append(m.Enum(name, tuple(spec.values), spec.comment,
                          ctx.lint_ignore(spec.lint, path + ("lint", "ignore"))))
    return out


def default_value(ctx: Checker, default, path: tuple) -> str | None:
    """A default as SQL: YAML booleans and numbers are literals, strings are expressions."""
    if isinstance(default, bool):
        return "true" if default else "false"
    if isinstance(default, (int, float)):
        return repr(default)
    if isinstance(default, str):
        ctx.expression(default, path)
    return default


def column(ctx: Checker, table: str, name: str, spec: ColumnSpec, enum_names: set) -> m.Column:
    path = ("tables", table, "columns", name)
    ctx.identifier(name, path, "column", key=True)
    ctype = column_type(ctx, table, name, spec.type, enum_names)
    if spec.primary_key and spec.nullable:
        ctx.error(path + ("nullable",), f"primary key column '{table}.{name}' cannot be nullable")
    default = default_value(ctx, spec.default, path + ("default",))
    if spec.on_update is not None:
        ctx.expression(spec.on_update, path + ("on_update",))
    if spec.generated is not None:
        ctx.expression(spec.generated, path + ("generated",))
    _exclusive(ctx, f"{table}.{name}", spec, ctype, path)
    ident = identity(ctx, spec.identity, ctype, f"{table}.{name}", path + ("identity",))
    collation(ctx, spec.collation, ctype, f"column '{table}.{name}'", path + ("collation",))
    owns_sequence = ctype.serial or ident is not None
    return m.Column(name=name, type=ctype, nullable=spec.nullable, default=default,
                    comment=spec.comment, on_update=spec.on_update,
                    renamed_from=spec.renamed_from, attribute=naming.attribute_name(name),
                    lint_ignore=ctx.lint_ignore(spec.lint, path + ("lint", "ignore")),
                    identity=ident, generated=spec.generated, collation=spec.collation,
                    sequence=naming.sequence_name(table, name) if owns_sequence else None)


def _exclusive(ctx: Checker, where: str, spec: ColumnSpec, ctype: ColumnType, path: tuple) -> None:
    """Where a column's value comes from: a default, a sequence (serial, identity) or an
    expression (generated); at most one, and never NULL for a sequence."""
    sources = [k for k, on in (("default", spec.default is not None), ("identity", spec.identity is not None),
                               ("generated", spec.generated is not None), ("on_update", spec.on_update is not None))
               if on]
    if ctype.serial:
        for key in [k for k in sources if k != "on_update"]:
            ctx.error(path + (key,), f"column '{where}' is {ctype}, which already takes its values from its own "
                                     f"sequence (nextval); remove {key}: or use the plain {ctype.name} type")
    elif "generated" in sources and len(sources) > 1:
        other = next(k for k in sources if k != "generated")
        ctx.error(path + (other,), f"generated column '{where}' is computed from its expression: it cannot also "
                                   f"have {other}:")
    elif "identity" in sources and "default" in sources:
        ctx.error(path + ("default",), f"identity column '{where}' takes its values from its sequence: "
                                       "it cannot also have a default")
    if (ctype.serial or spec.identity is not None) and spec.nullable:
        what = ctype if ctype.serial else "identity"
        ctx.error(path + ("nullable",), f"{what} column '{where}' cannot be nullable (PostgreSQL makes it NOT NULL)")


def collation(ctx: Checker, name: str | None, ctype: ColumnType, what: str, path: tuple) -> None:
    if name is None:
        return
    if not name.strip() or '"' in name:
        ctx.error(path, f"collation name '{name}' is not usable")
    builtin = ctype.element.builtin
    if ctype.is_domain:
        ctx.error(path, f"{what} is of domain '{ctype.name}': set collation: on the domain")
    elif builtin is None or not builtin.collatable:
        ctx.error(path, f"{what} is {ctype}: a collation needs one of the text types "
                        f"({', '.join(COLLATABLE)})")


def column_type(ctx: Checker, table: str, name: str, text: str, enum_names: set) -> ColumnType:
    return type_at(ctx, ("tables", table, "columns", name, "type"), text, enum_names,
                   bad=(table, name))


def type_at(ctx: Checker, path: tuple, text: str, enum_names: set, bad=None) -> ColumnType:
    try:
        return parse_type(text, enum_names, ctx.domains)
    except TypeError_ as exc:
        word = text.split("(")[0].split("[")[0].strip()
        hint = did_you_mean(word, known_names(enum_names, ctx.domains)) if str(exc).startswith("unknown type") else ""
        if text.count("(") > text.count(")"):
            hint += " (in a {flow: mapping} a comma splits the value: quote it, e.g. 'numeric(10,2)')"
        ctx.error(path, f"{exc}{hint}")
        if bad:
            ctx.bad_types.add(bad)
        return ColumnType("text")  # keep going; the error is recorded
