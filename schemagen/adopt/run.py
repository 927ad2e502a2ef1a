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


def import_schema(url: str, schema: str = "public") -> Imported:
    import psycopg

    from schemagen.connect.dburl import describe, normalize
    with psycopg.connect(normalize(url), autocommit=True, application_name="schemagen import") as conn:
        cat = catalog.read(conn, schema)
    if cat is None:
        raise ImportError_(f"{describe(url)} has no schema {schema!r}")
    result = builder.build(cat)
    text = yaml_text(result.spec, f"{describe(url)}, schema {schema}")
    return Imported(text, result.left_out + _unreadable(text))


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
