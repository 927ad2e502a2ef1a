"""The smallest pieces of DDL text: quoted names, string literals and type spellings."""

from __future__ import annotations

from schemagen.spec import model as m
from schemagen.spec.types import ColumnType


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def qualified(schema: m.Schema, name: str) -> str:
    """A table's, type's, view's or function's name with the schema it is in (a file may place
    objects in several: Schema.schema_of), so no DDL depends on search_path."""
    return f"{ident(schema.schema_of(name))}.{ident(name)}"


def sql_type(schema: m.Schema, ctype: ColumnType) -> str:
    """The type as DDL: the schema's own types (enums, domains) and extension types qualified,
    so they are found whatever the search_path."""
    if ctype.is_enum or ctype.is_domain:
        return qualified(schema, ctype.name) + "[]" * ctype.dims
    if ctype.extension:
        return f"{ident(schema.extension_schema(ctype.extension))}.{ident(ctype.name)}" + "[]" * ctype.dims
    return str(ctype)
