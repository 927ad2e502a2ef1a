"""`schemagen import`: connect, read, build, and say what was left out."""

from __future__ import annotations

from dataclasses import dataclass

from schemagen.adopt import build as builder
from schemagen.adopt import catalog
from schemagen.adopt.yaml_text import yaml_text


@dataclass
class Imported:
    text: str
    left_out: list[tuple[str, str, str]]


class ImportError_(Exception):
    """The database could not be read; message is for people."""


def import_schema(url: str, schema: str = "public", scope=None) -> Imported:
    """scope: a live.scope.Scope whose `ignore` patterns name what to leave out of the file."""
    import psycopg

    from schemagen.connect.dburl import describe, normalize
    with psycopg.connect(normalize(url), autocommit=True, application_name="schemagen import") as conn:
        cat = catalog.read(conn, schema)
    if cat is None:
        raise ImportError_(f"{describe(url)} has no schema {schema!r}")
    if scope is not None:
        _leave_ignored(cat, scope)
    result = builder.build(cat)
    text = yaml_text(result.spec, f"{describe(url)}, schema {schema}")
    return Imported(text, result.left_out + _unreadable(text))


def _leave_ignored(cat, scope) -> None:
    """Drop what `ignore` names; columns, keys and indexes of a dropped table go with it."""
    relation = {"r": "tables", "p": "tables", "f": "tables", "v": "views", "m": "views"}
    cat.tables = [t for t in cat.tables if not scope.ignored(relation.get(t[2], "tables"), t[1])]
    cat.enums = [e for e in cat.enums if not scope.ignored("types", e[0])]
    cat.other_types = [t for t in cat.other_types if not scope.ignored("types", t[0])]
    cat.functions = [f for f in cat.functions if not scope.ignored("functions", f[0])]
    cat.indexes = [i for i in cat.indexes if not scope.ignored("indexes", i[1])]
    cat.triggers = [g for g in cat.triggers if not scope.ignored("triggers", g[1])]
    kinds = {"sequence": "sequences", "policy": "policies"}
    cat.others = [o for o in cat.others if not scope.ignored(kinds.get(o[0]), o[1].split(" on ")[0])
                  and not (o[0] in ("policy", "row level security", "privileges")
                           and scope.ignored("tables", o[1].split(" on ")[-1]))]


def _unreadable(text: str) -> list[tuple[str, str, str]]:
    """What the written file would fail validation on (names the format does not accept, say),
    so that nothing unusable is handed over as if it were complete."""
    from schemagen.diagnostics import SchemaError
    from schemagen.spec.loader import parse
    from schemagen.spec.validate import validate
    try:
        validate(parse(text, "schema.yaml"))
    except SchemaError as exc:
        return [("schema.yaml problem", f"line {d.line}", d.message) for d in exc.diagnostics]
    return []
