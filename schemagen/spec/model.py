"""The resolved schema: immutable, cross-checked, every name decided.

Renderers and the differ read only this; none of them looks at YAML again.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from schemagen.spec.types import ColumnType


@dataclass(frozen=True)
class Enum:
    name: str
    values: tuple[str, ...]
    comment: str | None = None
    lint_ignore: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    nullable: bool
    default: str | None = None      # SQL expression
    comment: str | None = None
    on_update: str | None = None    # SQL expression, maintained by a trigger
    renamed_from: str | None = None
    attribute: str = ""             # Python attribute name in the ORM class
    lint_ignore: tuple[tuple[str, str], ...] = ()  # (rule code, reason)


@dataclass(frozen=True)
class PrimaryKey:
    name: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class ForeignKey:
    name: str
    columns: tuple[str, ...]
    ref_table: str
    ref_columns: tuple[str, ...]
    on_delete: str = "no action"
    on_update: str = "no action"
    comment: str | None = None
    one_to_one: bool = False        # the child columns are unique
    relationship: str = ""          # child-side ORM attribute
    back_populates: str = ""        # parent-side ORM attribute


@dataclass(frozen=True)
class Unique:
    name: str
    columns: tuple[str, ...]
    comment: str | None = None


@dataclass(frozen=True)
class Check:
    name: str
    expression: str
    comment: str | None = None


@dataclass(frozen=True)
class IndexColumn:
    name: str
    order: str = "asc"
    nulls: str | None = None


@dataclass(frozen=True)
class Index:
    name: str
    columns: tuple[IndexColumn, ...]
    unique: bool = False
    where: str | None = None
    method: str = "btree"


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    primary_key: PrimaryKey
    comment: str | None = None
    module: str = ""
    class_name: str = ""
    foreign_keys: tuple[ForeignKey, ...] = ()
    uniques: tuple[Unique, ...] = ()
    checks: tuple[Check, ...] = ()
    indexes: tuple[Index, ...] = ()
    renamed_from: str | None = None
    lint_ignore: tuple[tuple[str, str], ...] = ()  # (rule code, reason)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def on_update_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.on_update)


@dataclass(frozen=True)
class Schema:
    name: str
    enums: tuple[Enum, ...]
    tables: tuple[Table, ...]
    comment: str | None = None
    ignore: tuple[tuple[str, tuple[str, ...]], ...] = ()  # `ignore:` patterns by kind, left alone in live databases

    def table(self, name: str) -> Table:
        return self._tables_by_name[name]

    def referencing(self, name: str) -> tuple[tuple[Table, ForeignKey], ...]:
        """(child table, foreign key) for every foreign key that references table name."""
        return self._references.get(name, ())

    # derived lookups, computed once: renderers ask for them per table
    @cached_property
    def _tables_by_name(self) -> dict[str, Table]:
        return {t.name: t for t in self.tables}

    @cached_property
    def _references(self) -> dict[str, tuple[tuple[Table, ForeignKey], ...]]:
        found: dict[str, list] = {}
        for child in self.tables:
            for fk in child.foreign_keys:
                found.setdefault(fk.ref_table, []).append((child, fk))
        return {name: tuple(pairs) for name, pairs in found.items()}

    def enum(self, name: str) -> Enum:
        return next(e for e in self.enums if e.name == name)
