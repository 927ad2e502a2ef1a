"""Enums, column types, defaults, identity, generated columns and collations."""

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
from schemagen.spec.validate.sequences import identity

COLLATABLE = sorted(name for name, b in BUILTINS.items() if b.collatable)

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


def default_value(ctx: Checker, default, path: tuple) -> str | None:
    """A domain's default as SQL: YAML booleans and numbers are literals, strings are expressions."""
    if isinstance(default, (bool, int, float)):
        return literals.yaml_default(default)[0]
    if isinstance(default, str):
        ctx.expression(default, path, default=True)
    return default


def column(ctx: Checker, table: str, name: str, spec: ColumnSpec, enum_names: set) -> m.Column:
    path = ("tables", table, "columns", name)
    ctx.identifier(name, path, "column", key=True)
    ctype = column_type(ctx, table, name, spec.type, enum_names)
    if spec.primary_key and spec.nullable:
        ctx.error(path + ("nullable",), f"primary key column '{table}.{name}' cannot be nullable")
    expressions.system_column_name(ctx, table, name, path)
    if spec.generated is not None:
        ctx.expression(spec.generated, path + ("generated",))
    _exclusive(ctx, f"{table}.{name}", spec, ctype, path)
    ident = identity(ctx, spec.identity, ctype, f"{table}.{name}", path + ("identity",))
    collation(ctx, spec.collation, ctype, f"column '{table}.{name}'", path + ("collation",))
    owns_sequence = ctype.serial or ident is not None
    col = m.Column(name=name, type=ctype, nullable=spec.nullable, default=None,
                   comment=spec.comment, on_update=spec.on_update,
                   renamed_from=spec.renamed_from, attribute=naming.attribute_name(name),
                   lint_ignore=ctx.lint_ignore(spec.lint, path + ("lint", "ignore")),
                   identity=ident, generated=spec.generated, collation=spec.collation,
                   sequence=naming.sequence_name(table, name) if owns_sequence else None)
    return replace(col, default=default(ctx, table, col, spec.default, path + ("default",)))


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
