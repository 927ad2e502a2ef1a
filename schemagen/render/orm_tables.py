"""View-model pieces of a model class that belong to its table rather than to a column:
`__table_args__` (keys, checks, exclusion constraints, foreign keys, table options),
indexes, and the DDL events for what SQLAlchemy has no construct for (partitions, and
table storage parameters, which SQLAlchemy 2.0's Table does not take)."""

from __future__ import annotations

from schemagen.render import pyformat as pf
from schemagen.render import sql_tables
from schemagen.render.pyimports import Imports
from schemagen.render.sqltext import ident, literal, qualified
from schemagen.spec import model as m

_ACTIONS = {"cascade": "CASCADE", "restrict": "RESTRICT", "set null": "SET NULL",
            "set default": "SET DEFAULT"}


def _target(schema: m.Schema, table: str, column: str) -> str:
    """'table.column', with the table's schema unless it is public and the metadata's own."""
    where = schema.schema_of(table)
    prefix = f"{where}." if where != "public" or where != schema.name else ""
    return pf.literal(f"{prefix}{table}.{column}")


def _names(names) -> str:
    return ", ".join(map(pf.literal, names))


def _deferral(constraint) -> list[str]:
    if not constraint.deferrable:
        return []
    return ["deferrable=True"] + (['initially="DEFERRED"'] if constraint.initially_deferred else [])


def _comment(constraint) -> list[str]:
    return [f"comment={pf.text(constraint.comment)}"] if constraint.comment else []


def check_call(check: m.Check, imports: Imports) -> str:
    imports.add("sqlalchemy", "CheckConstraint")
    args = [pf.text(check.expression), f"name={pf.literal(check.name)}", *_comment(check)]
    return f"CheckConstraint({', '.join(args)})"


def _unique(u: m.Unique, imports: Imports) -> str:
    imports.add("sqlalchemy", "UniqueConstraint")
    args = [_names(u.columns), f"name={pf.literal(u.name)}", *_deferral(u)]
    if u.nulls_not_distinct:
        args.append("postgresql_nulls_not_distinct=True")
    return f"UniqueConstraint({', '.join(args + _comment(u))})"


def _exclude(x: m.Exclude, imports: Imports) -> str:
    imports.add("sqlalchemy.dialects.postgresql", "ExcludeConstraint")
    elements, ops = [], {}
    for e in x.elements:
        if e.column is not None:
            elements.append(f"({pf.literal(e.column)}, {pf.literal(e.operator)})")
            if e.opclass:
                ops[e.column] = e.opclass
        else:
            imports.add("sqlalchemy", "text")
            element = f"({e.expression})" + (f" {e.opclass}" if e.opclass else "")
            elements.append(f"(text({pf.text(element, bare=True)}), {pf.literal(e.operator)})")
    args = elements + [f"name={pf.literal(x.name)}", f"using={pf.literal(x.method)}"]
    if x.where:
        imports.add("sqlalchemy", "text")
        args.append(f"where=text({pf.text(x.where, bare=True)})")
    if ops:
        args.append("ops={" + ", ".join(f"{pf.literal(k)}: {pf.literal(v)}" for k, v in ops.items()) + "}")
    return f"ExcludeConstraint({', '.join(args + _deferral(x))})"  # it takes no comment: see table_events


def _foreign_key(schema: m.Schema, fk: m.ForeignKey, imports: Imports) -> str:
    imports.add("sqlalchemy", "ForeignKeyConstraint")
    args = [f"[{_names(fk.columns)}]",
            f"[{', '.join(_target(schema, fk.ref_table, c) for c in fk.ref_columns)}]",
            f"name={pf.literal(fk.name)}"]
    if fk.on_delete in _ACTIONS:
        listed = f" ({', '.join(fk.on_delete_columns)})" if fk.on_delete_columns else ""
        args.append(f"ondelete={pf.literal(_ACTIONS[fk.on_delete] + listed)}")
    if fk.on_update in _ACTIONS:
        args.append(f"onupdate={pf.literal(_ACTIONS[fk.on_update])}")
    if fk.match_full:
        args.append('match="FULL"')
    return f"ForeignKeyConstraint({', '.join(args + _deferral(fk) + _comment(fk))})"


def _options(schema: m.Schema, table: m.Table) -> str | None:
    """The table's keyword options, as the mapping that ends __table_args__."""
    options = [f'"schema": {pf.literal(table.schema)}'] if table.schema and table.schema != schema.name else []
    if table.comment:
        options.append(f'"comment": {pf.text(table.comment)}')
    if table.unlogged:
        options.append('"prefixes": ["UNLOGGED"]')
    if table.partition_by is not None:
        options.append(f'"postgresql_partition_by": {pf.text(sql_tables.partition_key(table.partition_by))}')
    return "{" + ", ".join(options) + "}" if options else None


def table_args(schema: m.Schema, table: m.Table, imports: Imports) -> list[str]:
    pk = table.primary_key
    imports.add("sqlalchemy", "PrimaryKeyConstraint")
    out = [f"PrimaryKeyConstraint({_names(pk.columns)}, name={pf.literal(pk.name)})"]
    out += [_unique(u, imports) for u in table.uniques]
    # a column's CHECKs too: SQLAlchemy drops the comment of a constraint given to a column
    out += [check_call(c, imports) for c in table.checks]
    out += [_exclude(x, imports) for x in table.excludes]
    out += [_foreign_key(schema, fk, imports) for fk in table.foreign_keys]
    out += [index_call(table, ix, imports) for ix in table.indexes if not _by_attribute(ix)]
    options = _options(schema, table)
    return out + ([options] if options else [])


# --- indexes ----------------------------------------------------------------------------

def _by_attribute(index: m.Index) -> bool:
    """Whether every element is a column SQLAlchemy can order itself: such an index is
    declared after the class on its attributes; others go in __table_args__ as text."""
    return all(c.expression is None and c.collation is None and not (c.opclass and (c.order != "asc" or c.nulls))
               for c in index.columns)


def index_call(table: m.Table, index: m.Index, imports: Imports) -> str:
    imports.add("sqlalchemy", "Index")
    args = [pf.literal(index.name)]
    attribute = _by_attribute(index)
    for col in index.columns:
        if attribute:
            expr = f"{table.class_name}.{table.column(col.name).attribute}"
            expr += ".desc()" if col.order == "desc" else ""
            expr += f".nulls_{col.nulls}()" if col.nulls else ""
        elif col.expression is None and col.collation is None and col.order == "asc" and not col.nulls:
            expr = pf.literal(col.name)
        else:
            imports.add("sqlalchemy", "text")
            expr = f"text({pf.text(sql_tables.index_element(col), bare=True)})"
        args.append(expr)
    if index.unique:
        args.append("unique=True")
    if index.method != "btree":
        args.append(f"postgresql_using={pf.literal(index.method)}")
    ops = {c.name: c.opclass for c in index.columns if c.opclass and c.expression is None and not (
        c.collation or c.order != "asc" or c.nulls)}
    if ops:
        args.append("postgresql_ops={" + ", ".join(f"{pf.literal(k)}: {pf.literal(v)}" for k, v in ops.items()) + "}")
    if index.include:
        args.append(f"postgresql_include=[{_names(index.include)}]")
    if index.nulls_not_distinct:
        args.append("postgresql_nulls_not_distinct=True")
    if index.storage:
        args.append("postgresql_with={" + ", ".join(f"{pf.literal(k)}: {pf.literal(v)}" for k, v in index.storage)
                    + "}")
    if index.where:
        imports.add("sqlalchemy", "text")
        args.append(f"postgresql_where=text({pf.text(index.where, bare=True)})")
    return f"Index({', '.join(args)})"


def module_indexes(table: m.Table, imports: Imports) -> list[str]:
    """The indexes declared after the class, on its attributes."""
    return [index_call(table, ix, imports) for ix in table.indexes if _by_attribute(ix)]


def table_events(schema: m.Schema, table: m.Table) -> list[tuple[str, str]]:
    """(event, DDL) for the table's storage parameters and the comments of its exclusion
    constraints (SQLAlchemy's ExcludeConstraint takes no comment)."""
    events = []
    if table.storage:
        params = ", ".join(f"{k} = {v}" for k, v in table.storage)
        events.append(("after_create", f"ALTER TABLE {qualified(schema, table.name)} SET ({params})"))
    on = qualified(schema, table.name)
    events += [("after_create", f"COMMENT ON CONSTRAINT {ident(x.name)} ON {on} IS {literal(x.comment)}")
               for x in table.excludes if x.comment]
    return events


def partitions(schema: m.Schema, table: m.Table) -> list[str]:
    """CREATE TABLE ... PARTITION OF for every partition, parents first, run after the table
    and its indexes are created (so each partition gets the indexes as schema.sql gives them)."""
    return sql_tables.create_partitions(schema, table.name, table.partitions)
