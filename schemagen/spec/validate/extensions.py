"""Extensions: what schema.yaml declares, and the types that need one declared."""

from __future__ import annotations

from schemagen.spec import model as m
from schemagen.spec.shapes import ExtensionSpec
from schemagen.spec.types import ColumnType
from schemagen.spec.validate.context import Checker


def extensions(ctx: Checker, raw: dict) -> list[m.Extension]:
    out = []
    for name, data in raw.items():
        path = ("extensions", name)
        if not name or not all(ch.isascii() and (ch.isalnum() or ch in "_-") for ch in name):
            ctx.error(path, f"invalid extension name '{name}'", key=True)
        spec = ctx.spec(ExtensionSpec, data if data is not None else {}, path)
        if spec is None:
            continue
        ctx.identifier(spec.schema_, path + ("schema",), "schema")
        if spec.version is not None and not spec.version.strip():
            ctx.error(path + ("version",), "version must not be empty (leave it out for the default version)")
        out.append(m.Extension(name, spec.schema_, spec.version))
    return out


def needed(ctx: Checker, declared: list[m.Extension], domains: list[m.Domain], tables: dict) -> None:
    """A type from an extension (citext, ...) needs that extension under extensions:."""
    names = {x.name for x in declared}
    uses = [(("domains", d.name, "type"), d.type) for d in domains]
    uses += [(("tables", t.name, "columns", c.name, "type"), c.type) for t in tables.values() for c in t.columns
             if not c.type.is_domain]
    for path, ctype in uses:
        extension = _extension_of(ctype)
        if extension and extension not in names:
            ctx.error(path, f"type '{ctype}' needs the extension '{extension}': declare it under "
                            f"extensions: (extensions: {{{extension}: {{}}}})")


def _extension_of(ctype: ColumnType) -> str:
    builtin = None if ctype.is_domain or ctype.is_enum else ctype.element.builtin
    return builtin.extension if builtin else ""
