"""View-model of the views section of generated/SCHEMA.md."""

from __future__ import annotations

from dataclasses import dataclass

from schemagen.render.sql_tables import index_element
from schemagen.spec import model as m


@dataclass(frozen=True)
class ViewDoc:
    name: str
    kind: str                          # view | materialized view
    comment: str | None
    properties: tuple[str, ...]        # options, what it reads
    columns: tuple[tuple[str, ...], ...]  # name, type, key, comment
    indexes: tuple[str, ...]
    query: str


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def view_doc(view: m.View) -> ViewDoc:
    props = [label for label, on in (("security_barrier", view.security_barrier),
                                     ("security_invoker", view.security_invoker),
                                     ("WITH NO DATA (filled by REFRESH)", view.materialized and not view.with_data))
             if on]
    if view.check_option:
        props.append(f"{view.check_option} check option")
    if view.reads:
        props.append("reads " + ", ".join(f"`{r}`" for r in view.reads))
    if view.class_name:
        props.append(f"read-only ORM class `{view.class_name}` (models/{view.module}.py)")
    columns = tuple((c.name, _cell(str(c.type)), "PK" if c.primary_key else "", _cell(c.comment))
                    for c in view.columns)
    indexes = tuple(f"{ix.name}: {'unique ' if ix.unique else ''}({', '.join(index_element(e) for e in ix.columns)})"
                    for ix in view.indexes)
    return ViewDoc(view.name, view.kind, view.comment, tuple(props), columns, indexes, view.query)
