"""DDL for the objects beside tables: extensions, sequences, identity options and domains."""

from __future__ import annotations

from schemagen.render.sqltext import ident, literal, qualified, sql_type
from schemagen.spec import model as m


def create_extension(extension: m.Extension) -> str:
    sql = f"CREATE EXTENSION IF NOT EXISTS {ident(extension.name)} WITH SCHEMA {ident(extension.schema)}"
    return sql + (f" VERSION {literal(extension.version)}" if extension.version else "")


def sequence_options(options: m.SequenceOptions) -> list[str]:
    """The options schema.yaml sets, in CREATE SEQUENCE's words."""
    out = [f"{word} {value}" for word, value in (
        ("START WITH", options.start), ("INCREMENT BY", options.increment), ("MINVALUE", options.minvalue),
        ("MAXVALUE", options.maxvalue), ("CACHE", options.cache)) if value is not None]
    return out + (["CYCLE"] if options.cycle else [])


def identity_clause(identity: m.Identity) -> str:
    options = sequence_options(identity.options)
    sql = f"GENERATED {'ALWAYS' if identity.always else 'BY DEFAULT'} AS IDENTITY"
    return sql + (f" ({' '.join(options)})" if options else "")


def create_sequence(schema: m.Schema, sequence: m.Sequence) -> list[str]:
    name = qualified(schema, sequence.name)
    out = [" ".join([f"CREATE SEQUENCE {name} AS {sequence.type}", *sequence_options(sequence.options)])]
    if sequence.comment:
        out.append(f"COMMENT ON SEQUENCE {name} IS {literal(sequence.comment)}")
    return out


def sequence_owner(schema: m.Schema, sequence: m.Sequence) -> str:
    table, column = sequence.owned_by
    return f"ALTER SEQUENCE {qualified(schema, sequence.name)} OWNED BY {qualified(schema, table)}.{ident(column)}"


def create_domain(schema: m.Schema, domain: m.Domain) -> list[str]:
    name = qualified(schema, domain.name)
    parts = [f"CREATE DOMAIN {name} AS {sql_type(schema, domain.type)}"]
    if domain.collation:
        parts.append(f"COLLATE {ident(domain.collation)}")
    if domain.default is not None:
        parts.append(f"DEFAULT {domain.default}")
    if domain.not_null:
        parts.append("NOT NULL")
    parts += [f"CONSTRAINT {ident(c.name)} CHECK ({c.expression})" for c in domain.checks]
    out = [" ".join(parts)]
    if domain.comment:
        out.append(f"COMMENT ON DOMAIN {name} IS {literal(domain.comment)}")
    out += [f"COMMENT ON CONSTRAINT {ident(c.name)} ON DOMAIN {name} IS {literal(c.comment)}"
            for c in domain.checks if c.comment]
    return out
