"""The smallest pieces of DDL text: quoted names and string literals."""

from __future__ import annotations

from schemagen.spec import model as m


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def qualified(schema: m.Schema, name: str) -> str:
    return f"{ident(schema.name)}.{ident(name)}"
