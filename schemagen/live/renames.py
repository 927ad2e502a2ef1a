"""Renames declared with `renamed_from`, so data survives instead of drop + add.

A table or column is renamed when the live database has the old name and not
the new one. Constraint and index names that follow the naming convention are
renamed with them (accounts_pkey -> ledgers_pkey), so no key or index is
rebuilt just because its name was derived from an old name.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemagen.render.sql import ident, qualified
from schemagen.spec import model as m
from schemagen.spec import naming


@dataclass(frozen=True)
class Rename:
    kind: str    # table | column | constraint | index | owned sequence
    table: str   # the table's new name (for column and constraint renames)
    old: str
    new: str


def _old_derived(table: m.Table, old_table: str, old_columns: dict[str, str]):
    """(new name, old name, kind) for every convention-derived name of the table."""
    def cols(names):
        return [old_columns.get(c, c) for c in names]
    out = [(table.primary_key.name, naming.pk_name(old_table), naming.pk_name(table.name), "constraint")]
    out += [(u.name, naming.unique_name(old_table, cols(u.columns)), naming.unique_name(table.name, u.columns),
             "constraint") for u in table.uniques]
    out += [(f.name, naming.fk_name(old_table, cols(f.columns)), naming.fk_name(table.name, f.columns),
             "constraint") for f in table.foreign_keys]
    out += [(c.name, naming.check_name(old_table, c.name[len(table.name) + 1:-len("_check")]), c.name,
             "constraint") for c in table.checks if c.name.startswith(table.name + "_")]
    out += [(ix.name, naming.index_name(old_table, [old_columns.get(c.name, c.label) if c.name else c.label
                                                    for c in ix.columns]),
             naming.index_name(table.name, [c.label for c in ix.columns]), "index") for ix in table.indexes]
    # serial and identity columns own a sequence named after them
    out += [(c.sequence, naming.sequence_name(old_table, old_columns.get(c.name, c.name)),
             naming.sequence_name(table.name, c.name), "owned sequence") for c in table.columns if c.sequence]
    # only names that really follow the convention are renamed with their table
    return [(new, old, kind) for new, old, conventional, kind in out if new == conventional and old != new]


def plan_renames(schema: m.Schema, live: set[tuple[str, str, str]]) -> list[Rename]:
    """The renames that live needs, from its objects (kind, table, name)."""
    tables = {o for k, o, _ in live if k == "table"}
    out: list[Rename] = []
    for table in schema.tables:
        live_name = table.name
        if table.renamed_from and table.name not in tables and table.renamed_from in tables:
            live_name = table.renamed_from
            out.append(Rename("table", table.name, table.renamed_from, table.name))
        if live_name not in tables:
            continue
        if live_name != table.name:  # partitions named after their table (generated ones) follow it
            out += [Rename("table", p.name, live_name + p.name[len(table.name):], p.name)
                    for p in table.all_partitions() if p.name.startswith(table.name + "_")
                    and live_name + p.name[len(table.name):] in tables and p.name not in tables]
        old_columns = {}
        for col in table.columns:
            if (col.renamed_from and ("column", live_name, col.name) not in live
                    and ("column", live_name, col.renamed_from) in live):
                old_columns[col.name] = col.renamed_from
                out.append(Rename("column", table.name, col.renamed_from, col.name))
        if live_name == table.name and not old_columns:
            continue
        for new, old, kind in _old_derived(table, live_name, old_columns):
            if (kind, live_name, old) in live and (kind, live_name, new) not in live:
                out.append(Rename(kind, table.name, old, new))
    order = {"table": 0, "column": 1, "constraint": 2, "index": 3, "owned sequence": 4}
    return sorted(out, key=lambda r: order[r.kind])


def statement(schema: m.Schema, r: Rename) -> str:
    old, new = r.old, r.new
    if r.kind == "table":
        return f"ALTER TABLE {qualified(schema, old)} RENAME TO {ident(new)}"
    if r.kind == "column":
        return f"ALTER TABLE {qualified(schema, r.table)} RENAME COLUMN {ident(old)} TO {ident(new)}"
    if r.kind == "constraint":
        return f"ALTER TABLE {qualified(schema, r.table)} RENAME CONSTRAINT {ident(old)} TO {ident(new)}"
    if r.kind == "owned sequence":
        return f"ALTER SEQUENCE {qualified(schema, old)} RENAME TO {ident(new)}"
    return f"ALTER INDEX {qualified(schema, old)} RENAME TO {ident(new)}"


def forward(schema: m.Schema, renames: list[Rename]) -> list[str]:
    return [statement(schema, r) for r in renames]


def backward(schema: m.Schema, renames: list[Rename]) -> list[str]:
    """The renames undone, last first: for a down migration, after its other changes are undone."""
    return [statement(schema, Rename(r.kind, r.table, r.new, r.old)) for r in reversed(renames)]
