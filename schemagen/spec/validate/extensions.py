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
    for t in tables.values():
        for i, ix in enumerate(t.indexes):
            for j, element in enumerate(ix.columns):
                if element.opclass:
                    opclass_needs(ctx, names, ix.method, element.opclass,
                                  ("tables", t.name, "indexes", i, "columns", j, "opclass"))


def _extension_of(ctype: ColumnType) -> str:
    builtin = None if ctype.is_domain or ctype.is_enum else ctype.element.builtin
    return builtin.extension if builtin else ""


def _named(extension: str, method: str, names: str, pattern: str = "{}") -> dict:
    return {(method, pattern.format(n)): extension for n in names.split()}


_TYPES = ("bit bool bpchar bytea cidr date enum float4 float8 inet int2 int4 int8 interval macaddr macaddr8 "
          "numeric oid text time timestamp timestamptz timetz uuid")
# (index method, operator class) -> the extension that provides it (tests/spec/test_extension_opclasses.py
# checks each against PostgreSQL); pg_catalog's own classes need none
EXTENSION_OPCLASSES = {
    **_named("btree_gist", "gist", _TYPES + " cash vbit", "gist_{}_ops"),
    **_named("btree_gin", "gin", _TYPES + " char money name varbit varchar", "{}_ops"),
    **_named("pg_trgm", "gin", "gin_trgm_ops"), **_named("pg_trgm", "gist", "gist_trgm_ops"),
    **_named("citext", "btree", "citext_ops citext_pattern_ops"), **_named("citext", "hash", "citext_ops"),
    **_named("hstore", "btree", "btree_hstore_ops"), **_named("hstore", "gin", "gin_hstore_ops"),
    **_named("hstore", "gist", "gist_hstore_ops"), **_named("hstore", "hash", "hash_hstore_ops"),
    **_named("intarray", "gin", "gin__int_ops"), **_named("intarray", "gist", "gist__int_ops gist__intbig_ops"),
    **_named("ltree", "btree", "ltree_ops"), **_named("ltree", "gist", "gist_ltree_ops gist__ltree_ops"),
    **_named("cube", "btree", "cube_ops"), **_named("cube", "gist", "gist_cube_ops"),
}


def opclass_needs(ctx: Checker, declared, method: str, opclass: str, path: tuple) -> None:
    """An index element's operator class from an extension needs that extension declared
    (for the index checks: `opclass: gin_trgm_ops` without `extensions: {pg_trgm: {}}`)."""
    extension = EXTENSION_OPCLASSES.get((method, opclass))
    if extension and extension not in {x.name if hasattr(x, "name") else x for x in declared}:
        ctx.error(path, f"operator class {opclass} ({method}) needs the extension '{extension}': declare it "
                        f"under extensions: (extensions: {{{extension}: {{}}}})")
