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
    checks: tuple[tuple[str, ...], ...] = ()   # name, expression, comment
    storage: str = ""                          # options: unlogged, partition key, storage parameters
    partitions: tuple[tuple[str, ...], ...] = ()  # name, bounds (sub-partitions indented)


def _deferral(c) -> str:
    return (" DEFERRABLE" + (" INITIALLY DEFERRED" if c.initially_deferred else "")) if c.deferrable else ""


def _storage(params) -> str:
    return f" WITH ({', '.join(f'{k}={v}' for k, v in params)})" if params else ""


def _element(c: m.IndexColumn) -> str:
    text = c.expression if c.expression else c.name
    text += f' COLLATE "{c.collation}"' if c.collation else ""
    text += f" {c.opclass}" if c.opclass else ""
    text += " DESC" if c.order == "desc" else ""
    return text + (f" NULLS {c.nulls.upper()}" if c.nulls else "")


def index_definition(ix: m.Index) -> str:
    return (("UNIQUE " if ix.unique else "") + (f"USING {ix.method} " if ix.method != "btree" else "")
            + "(" + ", ".join(_element(c) for c in ix.columns) + ")"
            + (f" INCLUDE ({', '.join(ix.include)})" if ix.include else "")
            + (" NULLS NOT DISTINCT" if ix.nulls_not_distinct else "") + _storage(ix.storage)
            + (f" WHERE {ix.where}" if ix.where else ""))


def _exclude(x: m.Exclude) -> str:
    elements = ", ".join((e.column or f"({e.expression})") + (f" {e.opclass}" if e.opclass else "")
                         + f" WITH {e.operator}" for e in x.elements)
    return f"EXCLUDE USING {x.method} ({elements})" + (f" WHERE ({x.where})" if x.where else "") + _deferral(x)


def label(schema: m.Schema, name: str) -> str:
    """A name as the docs show it: with its schema when that is not the file's own."""
    where = schema.schema_of(name)
    return name if where == schema.name else f"{where}.{name}"


def _references(schema: m.Schema, fk: m.ForeignKey) -> str:
    return (f"{label(schema, fk.ref_table)}({', '.join(fk.ref_columns)})" + (" MATCH FULL" if fk.match_full else "")
            + _deferral(fk))


def _on_delete(fk: m.ForeignKey) -> str:
    return fk.on_delete.upper() + (f" ({', '.join(fk.on_delete_columns)})" if fk.on_delete_columns else "")


def _table_storage(table: m.Table) -> str:
    parts = ["UNLOGGED"] if table.unlogged else []
    if table.partition_by is not None:
        from schemagen.render.sql_tables import partition_key
        parts.append(f"PARTITION BY {partition_key(table.partition_by).replace(chr(34), '')}")
    return " ".join(parts) + _storage(table.storage)


def _partitions(parts, depth: int = 0) -> list[tuple[str, str]]:
    from schemagen.render.sql_tables import bound, partition_key
    out = []
    for p in parts:
        sub = f", PARTITION BY {partition_key(p.partition_by)}".replace('"', "") if p.partition_by else ""
        out.append(("&nbsp;&nbsp;" * depth + p.name, bound(p) + sub + _storage(p.storage)))
        out += _partitions(p.partitions, depth + 1)
    return out


def table_doc(schema: m.Schema, table: m.Table) -> TableDoc:
    entity = [f"{mermaid_type(c)} {c.name}{(' ' + _keys(table, c)) if _keys(table, c) else ''}"
              f"{_mermaid_comment(c.comment)}" for c in table.columns]
    columns = [(c.name, _cell(type_label(c)), "yes" if c.nullable else "no", _cell(default_label(c)),
                _cell(c.comment)) for c in table.columns]
    fks = [(fk.name, ", ".join(fk.columns), _references(schema, fk), _on_delete(fk), _cell(fk.comment))
           for fk in table.foreign_keys]
    indexes = [(u.name, "UNIQUE" + (" NULLS NOT DISTINCT" if u.nulls_not_distinct else "")
                + f" ({', '.join(u.columns)})" + _deferral(u)) for u in table.uniques]
    indexes += [(x.name, _exclude(x)) for x in table.excludes]
    indexes += [(ix.name, index_definition(ix)) for ix in table.indexes]
    referenced = sorted({f"{label(schema, t.name)}({', '.join(fk.columns)})"
                         for t, fk in schema.referencing(table.name)})
    checks = [(c.name, c.expression, _cell(c.comment)) for c in table.checks]
    return TableDoc(table.name, _cell(table.comment), tuple(entity), tuple(columns),
                    ", ".join(table.primary_key.columns), tuple(fks), tuple(_cell_all(i) for i in indexes),
                    tuple(referenced), tuple(_cell_all(c) for c in checks), _cell(_table_storage(table)),
                    tuple(_cell_all(p) for p in _partitions(table.partitions)))


def _cell_all(row):
    return tuple(_cell(x) for x in row)
