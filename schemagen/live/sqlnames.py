"""How a catalog object (catalog.Obj) is named in SQL: the keyword and the qualified name
that COMMENT ON, GRANT, ALTER and DROP take, and SQL literals that hold any text."""

from __future__ import annotations

from schemagen.live.pgcatalog import Obj
from schemagen.render.sqltext import ident


def literal(text: str) -> str:
    """A string constant that means the text whatever standard_conforming_strings says."""
    if "\\" in text:
        return "E'" + text.replace("\\", "\\\\").replace("'", "''") + "'"
    return "'" + text.replace("'", "''") + "'"


def qualified(schema: str, name: str) -> str:
    return f"{ident(schema)}.{ident(name)}"


_RELATION = {"r": "TABLE", "p": "TABLE", "f": "FOREIGN TABLE", "v": "VIEW", "m": "MATERIALIZED VIEW",
             "S": "SEQUENCE", "c": "TYPE"}
_PLAIN = {"index": "INDEX", "enum": "TYPE", "domain": "DOMAIN", "range": "TYPE", "type": "TYPE",
          "extension": "EXTENSION", "schema": "SCHEMA", "collation": "COLLATION", "statistics": "STATISTICS"}
_ROUTINE = {"function": "FUNCTION", "procedure": "PROCEDURE", "aggregate": "AGGREGATE"}
_ON_TABLE = {"constraint": "CONSTRAINT", "trigger": "TRIGGER", "policy": "POLICY", "rule": "RULE"}


def split(obj: Obj) -> tuple[str, str]:
    """(table, sub) for what belongs to a table (names may hold dots: the parent says where to cut)."""
    return obj.parent_name, obj.name[len(obj.parent_name) + 1:]


def routine(name: str) -> tuple[str, str]:
    """"f(integer, text)" -> ("f", "integer, text")."""
    head, _, args = name.rpartition("(")
    return head, args[:-1]


def keyword(obj: Obj) -> str:
    if obj.kind in ("table", "view", "sequence", "composite"):
        return _RELATION[obj.detail.get("relkind") or "r"]
    if obj.kind in _ROUTINE:
        return _ROUTINE[obj.kind]
    if obj.kind == "column":
        return "COLUMN"
    if obj.kind == "other":
        return obj.detail["type"].upper()
    return _ON_TABLE.get(obj.kind) or _PLAIN[obj.kind]


def name(obj: Obj, schema: str) -> str:
    """The object as its keyword's statements name it (without the keyword)."""
    kind = obj.kind
    if kind in _ROUTINE:
        fname, args = routine(obj.name)
        return f"{qualified(schema, fname)}({args})"
    if kind == "column":
        table, column = split(obj)
        return f"{qualified(schema, table)}.{ident(column)}"
    if kind in _ON_TABLE:
        parent, sub = split(obj)
        on = "DOMAIN " if obj.parent == "types" else ""
        return f"{ident(sub)} ON {on}{qualified(schema, parent)}"
    if kind in ("schema", "extension"):
        return ident(obj.name)
    if kind == "other":
        return obj.detail["identity"]
    return qualified(schema, obj.name)


def target(obj: Obj, schema: str) -> str:
    """KEYWORD name, as COMMENT ON and DROP take it."""
    return f"{keyword(obj)} {name(obj, schema)}"
