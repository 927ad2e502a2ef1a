"""Several schemas in one file: the further schemas under `schemas:`, the `schema:` an enum,
table or view is placed in, and references written `schema.name`.

Names stay unique in the whole file (a table `events` in one schema and another `events`
elsewhere is an error: the ORM's modules and classes, and every lookup, go by the name), so
a bare name always finds its object; a qualified one must name the schema the object is in.
"""

from __future__ import annotations

from schemagen.diagnostics import did_you_mean
from schemagen.spec import model as m
from schemagen.spec.shapes_objects import SchemaSpec
from schemagen.spec.validate.context import Checker

RESERVED = ("schemagen", "information_schema")


def declared(ctx: Checker, raw, default: str) -> list[m.SchemaDecl]:
    """The further schemas `schemas:` declares, each a name with an optional comment."""
    out = []
    for name, data in (raw.items() if isinstance(raw, dict) else ()):
        path = ("schemas", name)
        if not isinstance(name, str) or not ctx.identifier(name, path, "schema", key=True):
            continue
        if name in RESERVED or name.startswith("pg_"):
            ctx.error(path, f"schema name '{name}' is reserved (schemagen keeps its history in 'schemagen'; "
                            "pg_* and information_schema belong to PostgreSQL)", key=True)
        elif name == default:
            ctx.error(path, f"'{name}' is the file's own schema (`schema: {default}`): list only the further "
                            "schemas under schemas:", key=True)
        spec = ctx.spec(SchemaSpec, data or {}, path)
        out.append(m.SchemaDecl(name, spec.comment if spec else None))
    return out


def place(ctx: Checker, raw, path: tuple, default: str) -> str:
    """The schema an object is placed in by its `schema:` key ("" for the file's own)."""
    given = raw.get("schema") if isinstance(raw, dict) else None
    if not isinstance(given, str) or given == default:
        return ""
    if given not in ctx.schema_names:
        ctx.error(path + ("schema",), f"unknown schema '{given}': declare it under schemas: (known: "
                  f"{', '.join(sorted(ctx.schema_names))})" + did_you_mean(given, ctx.schema_names))
        return ""
    return given


def target(ctx: Checker, written: str, path: tuple, what: str) -> str | None:
    """The name a reference finds: `events`, or `audit.events` checked against where events is
    placed; None (with an error) when the schema is wrong."""
    if "." not in written:
        return written
    schema, name = written.split(".", 1)
    if schema not in ctx.schema_names:
        ctx.error(path, f"unknown schema '{schema}' in '{written}': declare it under schemas:"
                  + did_you_mean(schema, ctx.schema_names))
        return None
    where = ctx.placed.get(name)
    if where is not None and where != schema:
        ctx.error(path, f"{what} '{name}' is in schema '{where}', not '{schema}': write {where}.{name}")
        return None
    return name
