"""DDL clauses for what tables, constraints and indexes may carry beyond their columns:
storage parameters, deferral, MATCH FULL, ON DELETE column lists, NULLS NOT DISTINCT,
exclusion constraints, index elements (expressions, operator classes, collations,
INCLUDE), and partitioning (the key, each partition's bounds, sub-partitions)."""

from __future__ import annotations

from schemagen.render.sqltext import ident, literal, qualified
from schemagen.spec import model as m


def _columns(names) -> str:
    return ", ".join(ident(n) for n in names)


def storage(params: m.StorageParameters) -> str:
    """' WITH (fillfactor = 70)', or '' (the values are validated words and numbers)."""
    return f" WITH ({', '.join(f'{k} = {v}' for k, v in params)})" if params else ""


def deferral(constraint) -> str:
    if not constraint.deferrable:
        return ""
    return " DEFERRABLE INITIALLY DEFERRED" if constraint.initially_deferred else " DEFERRABLE"


def unique(u: m.Unique) -> str:
    nulls = " NULLS NOT DISTINCT" if u.nulls_not_distinct else ""
    return f"CONSTRAINT {ident(u.name)} UNIQUE{nulls} ({_columns(u.columns)}){deferral(u)}"


def on_delete(fk: m.ForeignKey) -> str:
    if fk.on_delete == "no action":
        return ""
    listed = f" ({_columns(fk.on_delete_columns)})" if fk.on_delete_columns else ""
    return f" ON DELETE {fk.on_delete.upper()}{listed}"


def match(fk: m.ForeignKey) -> str:
    return " MATCH FULL" if fk.match_full else ""


def _element(column: str | None, expression: str | None) -> str:
    return ident(column) if column is not None else f"({expression})"


def exclude(x: m.Exclude) -> str:
    elements = ", ".join(_element(e.column, e.expression) + (f" {e.opclass}" if e.opclass else "")
                         + f" WITH {e.operator}" for e in x.elements)
    where = f" WHERE ({x.where})" if x.where else ""
    return f"CONSTRAINT {ident(x.name)} EXCLUDE USING {x.method} ({elements}){where}{deferral(x)}"


def column_checks(table: m.Table, col: m.Column) -> str:
    """The CHECKs declared on a column, written in its definition."""
    return "".join(f" CONSTRAINT {ident(c.name)} CHECK ({c.expression})" for c in table.checks
                   if c.column == col.name)


def index_element(col: m.IndexColumn) -> str:
    sql = _element(col.name if col.expression is None else None, col.expression)
    if col.collation:
        sql += f" COLLATE {ident(col.collation)}"
    if col.opclass:
        sql += f" {col.opclass}"
    if col.order == "desc":
        sql += " DESC"
    if col.nulls:
        sql += f" NULLS {col.nulls.upper()}"
    return sql


def index_tail(index: m.Index) -> str:
    """What follows an index's elements: INCLUDE, NULLS NOT DISTINCT, WITH and WHERE."""
    sql = f" INCLUDE ({_columns(index.include)})" if index.include else ""
    sql += " NULLS NOT DISTINCT" if index.nulls_not_distinct else ""
    sql += storage(index.storage)
    return sql + (f" WHERE {index.where}" if index.where else "")


# --- partitioning ---------------------------------------------------------------------

def partition_key(key: m.PartitionKey) -> str:
    """RANGE ("created_at"), as PARTITION BY takes it."""
    elements = ", ".join(_element(c, e) for c, e in zip(key.columns, key.expressions, strict=True))
    return f"{key.method.upper()} ({elements})"


def _bound(b: m.Bound) -> str:
    if b.kind == "text":
        return literal(b.value)
    return b.value if b.kind in ("number", "boolean") else b.kind.upper()


def bound(p: m.Partition) -> str:
    if p.default:
        return "DEFAULT"
    if p.modulus is not None:
        return f"FOR VALUES WITH (MODULUS {p.modulus}, REMAINDER {p.remainder})"
    if p.values:
        return f"FOR VALUES IN ({', '.join(_bound(v) for v in p.values)})"
    return (f"FOR VALUES FROM ({', '.join(_bound(v) for v in p.lower)}) "
            f"TO ({', '.join(_bound(v) for v in p.upper)})")


def table_tail(table: m.Table) -> str:
    """What follows CREATE TABLE's column list: PARTITION BY or WITH."""
    if table.partition_by is not None:
        return f" PARTITION BY {partition_key(table.partition_by)}"
    return storage(table.storage)


def create_partitions(schema: m.Schema, parent: str, partitions) -> list[str]:
    """CREATE TABLE ... PARTITION OF for each partition, each before its own sub-partitions."""
    out = []
    for p in partitions:
        sub = f" PARTITION BY {partition_key(p.partition_by)}" if p.partition_by else ""
        out.append(f"CREATE TABLE {qualified(schema, p.name)} PARTITION OF {qualified(schema, parent)} "
                   f"{bound(p)}{sub}{storage(p.storage)}")
        out += create_partitions(schema, p.name, p.partitions)
    return out


def create_index(schema: m.Schema, table: m.Table, index: m.Index) -> str:
    unique = "UNIQUE " if index.unique else ""
    using = f" USING {index.method}" if index.method != "btree" else ""
    columns = ", ".join(index_element(c) for c in index.columns)
    return (f"CREATE {unique}INDEX {ident(index.name)} ON {qualified(schema, table.name)}{using} ({columns})"
            + index_tail(index))
