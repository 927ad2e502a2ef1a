"""View-model of a view's read-only mapped class (models/<module>.py): a Table in a MetaData of
its own, so create_all never makes it a table (base.py's DDL events make the view), and mapper
events that refuse writes."""

from __future__ import annotations

from dataclasses import dataclass

from schemagen.render import orm_types
from schemagen.render import pyformat as pf
from schemagen.render.pyimports import Imports
from schemagen.spec import model as m


@dataclass(frozen=True)
class ViewModule:
    module: str
    class_name: str
    view_name: str                  # a Python literal
    kind: str
    docstring: str
    imports: tuple[str, ...]
    columns: tuple[str, ...]        # Column(...) calls
    annotations: tuple[tuple[str, str], ...]  # (attribute, Mapped[...] type)
    schema: str                     # a Python literal, or None


def view_module(schema: m.Schema, view: m.View) -> ViewModule:
    from schemagen.render.orm import docstring
    imports = Imports()
    imports.add("sqlalchemy", "Column", "MetaData", "Table", "event")
    imports.add("sqlalchemy.orm", "Mapped")
    imports.add(".base", "Base")
    columns, annotations = [], []
    for col in view.columns:
        args = [pf.literal(col.name), orm_types.sa_type(col.type, imports)]
        if col.attribute != col.name:
            args.append(f"key={pf.literal(col.attribute)}")
        if col.primary_key:
            args.append("primary_key=True")
        if col.comment:
            args.append(f"comment={pf.text(col.comment)}")
        columns.append(f"Column({', '.join(args)})")
        python = orm_types.python_type(col.type, imports)
        annotations.append((col.attribute, python if col.primary_key else f"{python} | None"))
    text = (view.comment + "\n\n" if view.comment else "") + (
        f"Read-only: the rows of {view.kind} {view.name}; inserting, updating or deleting raises TypeError.")
    return ViewModule(view.module, view.class_name, pf.literal(view.name), view.kind, docstring(text),
                      tuple(imports.lines()), tuple(columns), tuple(annotations),
                      _schema(schema, view))


def _schema(schema: m.Schema, view) -> str:
    """The view's schema for its Table: None when it is the metadata's own (Base's SCHEMA)."""
    where = view.schema or schema.name
    return "None" if where == "public" and where == schema.name else pf.literal(where)
