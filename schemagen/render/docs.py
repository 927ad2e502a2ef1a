"""View-model for generated/SCHEMA.md: a Mermaid ER diagram and a data dictionary."""

from __future__ import annotations

import re
from dataclasses import dataclass

from schemagen.spec import model as m


def _cell(text: str | None) -> str:
    """Text for a Markdown table cell."""
    return (text or "").replace("|", "\\|").replace("\n", " ")


def mermaid_type(col: m.Column) -> str:
    """Mermaid attribute types are single words: numeric(10,2) -> numeric_10_2, text[] -> text_array."""
    return re.sub(r"[^A-Za-z0-9_]+", "_", str(col.type.element)).strip("_") + ("_array" if col.type.dims else "")


def type_label(col: m.Column) -> str:
    return str(col.type) + (f" collate {col.collation}" if col.collation else "")


def default_label(col: m.Column) -> str:
    """Where the value comes from: the default, the identity, the generating expression."""
    if col.identity:
        options = " ".join(sequence_options(col.identity.options))
        return f"identity {'always' if col.identity.always else 'by default'}" + (f" ({options})" if options else "")
    if col.generated is not None:
        return f"generated: {col.generated}"
    if col.type.serial:
        return f"nextval('{col.sequence}')"
    return col.default or ""


def sequence_options(options: m.SequenceOptions) -> list[str]:
    out = [f"{word} {value}" for word, value in (
        ("start", options.start), ("increment", options.increment), ("min", options.minvalue),
        ("max", options.maxvalue), ("cache", options.cache)) if value is not None]
    return out + (["cycle"] if options.cycle else [])


def domain_rows(schema: m.Schema) -> list[tuple[str, ...]]:
    """name, type, not null, default, checks, comment."""
    return [_cell_all((d.name, str(d.type) + (f" collate {d.collation}" if d.collation else ""),
                       "yes" if d.not_null else "no", d.default or "",
                       "; ".join(f"{c.name}: {c.expression}" for c in d.checks), d.comment))
            for d in schema.domains]


def sequence_rows(schema: m.Schema) -> list[tuple[str, ...]]:
    """name, type, options, owned by, comment."""
    return [_cell_all((q.name, q.type, ", ".join(sequence_options(q.options)),
                       ".".join(q.owned_by) if q.owned_by else "", q.comment)) for q in schema.sequences]


def extension_rows(schema: m.Schema) -> list[tuple[str, ...]]:
    return [_cell_all((x.name, x.schema, x.version or "default")) for x in schema.extensions]


def cardinality(table: m.Table, fk: m.ForeignKey) -> str:
    """Parent side, then child side: ||--o{ one parent, many children."""
    nullable = any(table.column(c).nullable for c in fk.columns)
    parent = "|o" if nullable else "||"
    child = "o|" if fk.one_to_one else "o{"
    return f"{parent}--{child}"


@dataclass(frozen=True)
class Relationship:
    parent: str
    child: str
    cardinality: str
    label: str


def relationships(schema: m.Schema) -> list[Relationship]:
    return [Relationship(fk.ref_table, t.name, cardinality(t, fk), ", ".join(fk.columns))
            for t in schema.tables for fk in t.foreign_keys]


def _keys(table: m.Table, col: m.Column) -> str:
    keys = []
    if col.name in table.primary_key.columns:
        keys.append("PK")
    if any(col.name in fk.columns for fk in table.foreign_keys):
        keys.append("FK")
    if any(u.columns == (col.name,) for u in table.uniques):
        keys.append("UK")
    return ", ".join(keys)


def _mermaid_comment(text: str | None) -> str:
    return f' "{_cell(text).replace(chr(34), chr(39))}"' if text else ""


@dataclass(frozen=True)
class TableDoc:
    name: str
    comment: str
    entity_lines: tuple[str, ...]
    columns: tuple[tuple[str, ...], ...]       # name, type, nullable, default, comment
    primary_key: str
    foreign_keys: tuple[tuple[str, ...], ...]  # name, columns, references, on delete, comment
    indexes: tuple[tuple[str, ...], ...]       # name, definition
    referenced_by: tuple[str, ...]


def table_doc(schema: m.Schema, table: m.Table) -> TableDoc:
    entity = [f"{mermaid_type(c)} {c.name}{(' ' + _keys(table, c)) if _keys(table, c) else ''}"
              f"{_mermaid_comment(c.comment)}" for c in table.columns]
    columns = [(c.name, _cell(type_label(c)), "yes" if c.nullable else "no", _cell(default_label(c)),
                _cell(c.comment)) for c in table.columns]
    fks = [(fk.name, ", ".join(fk.columns), f"{fk.ref_table}({', '.join(fk.ref_columns)})",
            fk.on_delete.upper(), _cell(fk.comment)) for fk in table.foreign_keys]
    indexes = [(u.name, f"UNIQUE ({', '.join(u.columns)})") for u in table.uniques]
    indexes += [(ix.name, ("UNIQUE " if ix.unique else "") + (f"USING {ix.method} " if ix.method != "btree" else "")
                 + "(" + ", ".join(c.name + (" DESC" if c.order == "desc" else "")
                                   + (f" NULLS {c.nulls.upper()}" if c.nulls else "") for c in ix.columns) + ")"
                 + (f" WHERE {ix.where}" if ix.where else "")) for ix in table.indexes]
    referenced = sorted({f"{t.name}({', '.join(fk.columns)})" for t, fk in schema.referencing(table.name)})
    return TableDoc(table.name, _cell(table.comment), tuple(entity), tuple(columns),
                    ", ".join(table.primary_key.columns), tuple(fks), tuple(_cell_all(i) for i in indexes),
                    tuple(referenced))


def _cell_all(row):
    return tuple(_cell(x) for x in row)
