"""Several PostgreSQL schemas in one file: the further schemas `schemas:` declares, where each
object is placed, and one schema's objects as a model of its own.

Names are unique in one schema.yaml whatever schema they are in, so an object is found by its
name alone and `Schema.schema_of(name)` says which schema qualifies it (render/sqltext.qualified
is the one place that writes a qualified name). Tables, enums and views carry `schema`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from schemagen.spec import naming


@dataclass(frozen=True)
class SchemaDecl:
    """A further schema declared under `schemas:`."""
    name: str
    comment: str | None = None


def placements(default: str, tables, enums, views) -> tuple[tuple[str, str], ...]:
    """(name, schema) for every object and for what a table brings into its schema: its
    partitions, the sequences of its serial and identity columns, its on_update function."""
    out = []
    for t in tables:
        where = t.schema or default
        out.append((t.name, where))
        out += [(p.name, where) for p in t.all_partitions()]
        out += [(c.sequence, where) for c in t.columns if c.sequence]
        if t.on_update_columns:
            out.append((naming.trigger_name(t.name), where))
    out += [(o.name, o.schema or default) for o in (*enums, *views)]
    return tuple(out)


def only(schema, name: str):
    """The objects of schema `name` as a model of its own (a live database is compared schema by
    schema); schema_of still answers for the others. Sequences, domains, extensions and access
    control stay with the default schema."""
    def mine(o) -> bool:
        return (o.schema or schema.name) == name
    default = name == schema.name
    comment = schema.comment if default else next((d.comment for d in schema.schemas if d.name == name), None)
    kept = {} if default else {"sequences": (), "domains": (), "extensions": (), "roles": (), "grants": (),
                               "default_privileges": ()}
    return replace(schema, name=name, tables=tuple(t for t in schema.tables if mine(t)),
                   enums=tuple(e for e in schema.enums if mine(e)), views=tuple(v for v in schema.views if mine(v)),
                   schemas=(), comment=comment, **kept)
