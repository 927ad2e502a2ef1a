"""The resolved schema: immutable, cross-checked, every name decided; renderers and the differ read only this."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from schemagen.spec.model_functions import Aggregate, Argument, Function, RoutineType, Trigger  # noqa: F401
from schemagen.spec.model_schemas import SchemaDecl as SchemaDecl  # re-exported: the model is one namespace
from schemagen.spec.model_security import DefaultPrivilege, Grant, Policy, Role, RowLevelSecurity  # noqa: F401
from schemagen.spec.model_views import View, ViewColumn  # noqa: F401
from schemagen.spec.types import ColumnType


@dataclass(frozen=True)
class Enum:
    name: str
    values: tuple[str, ...]
    comment: str | None = None
    lint_ignore: tuple[tuple[str, str], ...] = ()
    schema: str = ""                # the PostgreSQL schema it is in; "" for the file's own


@dataclass(frozen=True)
class Extension:
    name: str
    schema: str = "public"
    version: str | None = None


@dataclass(frozen=True)
class SequenceOptions:
    """Only what schema.yaml sets; PostgreSQL's defaults fill the rest."""
    start: int | None = None
    increment: int | None = None
    minvalue: int | None = None
    maxvalue: int | None = None
    cache: int | None = None
    cycle: bool = False


@dataclass(frozen=True)
class Sequence:
    name: str
    type: str = "bigint"            # smallint, integer or bigint
    options: SequenceOptions = SequenceOptions()
    owned_by: tuple[str, str] | None = None  # (table, column)
    comment: str | None = None
    lint_ignore: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Identity:
    always: bool                    # GENERATED ALWAYS, else BY DEFAULT
    options: SequenceOptions = SequenceOptions()


@dataclass(frozen=True)
class Check:
    name: str
    expression: str
    comment: str | None = None
    column: str | None = None       # declared on this column (`check:`), else on the table


@dataclass(frozen=True)
class Domain:
    name: str
    type: ColumnType                # the type it is over
    not_null: bool = False
    default: str | None = None
    collation: str | None = None
    checks: tuple[Check, ...] = ()  # expressions on VALUE
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
    identity: Identity | None = None
    generated: str | None = None    # SQL expression of a stored generated column
    collation: str | None = None
    sequence: str | None = None     # the sequence PostgreSQL makes for a serial or identity column


@dataclass(frozen=True)
class PrimaryKey:
    name: str
    columns: tuple[str, ...]


StorageParameters = tuple[tuple[str, str], ...]  # (name, value as PostgreSQL stores it), sorted


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
    on_delete_columns: tuple[str, ...] = ()  # SET NULL/SET DEFAULT only these (PostgreSQL 15)
    match_full: bool = False
    deferrable: bool = False
    initially_deferred: bool = False


@dataclass(frozen=True)
class Unique:
    name: str
    columns: tuple[str, ...]
    comment: str | None = None
    nulls_not_distinct: bool = False
    deferrable: bool = False
    initially_deferred: bool = False


@dataclass(frozen=True)
class IndexColumn:
    name: str                       # the column; "" for an expression
    order: str = "asc"
    nulls: str | None = None
    expression: str | None = None
    opclass: str | None = None
    collation: str | None = None
    label: str = ""                 # what names derived from it use: the column, or e.g. 'lower'


@dataclass(frozen=True)
class Index:
    name: str
    columns: tuple[IndexColumn, ...]
    unique: bool = False
    where: str | None = None
    method: str = "btree"
    include: tuple[str, ...] = ()
    storage: StorageParameters = ()
    nulls_not_distinct: bool = False


@dataclass(frozen=True)
class ExcludeElement:
    column: str | None
    expression: str | None
    operator: str
    opclass: str | None = None


@dataclass(frozen=True)
class Exclude:
    name: str
    elements: tuple[ExcludeElement, ...]
    method: str = "gist"
    where: str | None = None
    comment: str | None = None
    deferrable: bool = False
    initially_deferred: bool = False


@dataclass(frozen=True)
class PartitionKey:
    method: str                     # range | list | hash
    columns: tuple[str | None, ...]        # per element: the column, or None for an expression
    expressions: tuple[str | None, ...]    # per element: the expression, or None for a column


@dataclass(frozen=True)
class Bound:
    """One value of a partition bound."""
    kind: str                       # text | number | boolean | null | minvalue | maxvalue
    value: str = ""                 # text as PostgreSQL reads it ('2024-01-01 00:00:00+00', '42')


@dataclass(frozen=True)
class Partition:
    name: str
    default: bool = False           # DEFAULT: the rows no other partition takes
    lower: tuple[Bound, ...] = ()   # range: FROM (...), one per key element
    upper: tuple[Bound, ...] = ()   # range: TO (...)
    values: tuple[Bound, ...] = ()  # list: IN (...)
    modulus: int | None = None      # hash
    remainder: int | None = None
    storage: StorageParameters = ()
    partition_by: PartitionKey | None = None
    partitions: tuple[Partition, ...] = ()

    def walk(self):
        """This partition and its sub-partitions, parents first."""
        yield self
        for p in self.partitions:
            yield from p.walk()


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
    excludes: tuple[Exclude, ...] = ()
    storage: StorageParameters = ()
    unlogged: bool = False
    partition_by: PartitionKey | None = None
    partitions: tuple[Partition, ...] = ()
    row_level_security: RowLevelSecurity | None = None
    policies: tuple[Policy, ...] = ()
    schema: str = ""                # the PostgreSQL schema it is in; "" for the file's own

    def all_partitions(self) -> tuple[Partition, ...]:
        """Every partition at every level, parents before their sub-partitions."""
        return tuple(q for p in self.partitions for q in p.walk())

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
    extensions: tuple[Extension, ...] = ()
    sequences: tuple[Sequence, ...] = ()
    domains: tuple[Domain, ...] = ()   # in dependency order
    roles: tuple[Role, ...] = ()
    grants: tuple[Grant, ...] = ()
    default_privileges: tuple[DefaultPrivilege, ...] = ()
    views: tuple[View, ...] = ()       # in dependency order (what each reads first)
    ignore: tuple[tuple[str, tuple[str, ...]], ...] = ()  # `ignore:` patterns by kind, left alone in live databases
    functions: tuple[Function, ...] = ()    # functions and procedures, overloads in file order
    triggers: tuple[Trigger, ...] = ()
    aggregates: tuple[Aggregate, ...] = ()
    schemas: tuple[SchemaDecl, ...] = ()  # further schemas (`schemas:`); `name` is the default one
    placed: tuple[tuple[str, str], ...] = ()  # (name, schema) of every placed object (model_schemas.py)

    @property
    def schema_names(self) -> tuple[str, ...]:  # the default schema first
        return (self.name, *(s.name for s in self.schemas))

    def schema_of(self, name: str) -> str:  # of a table, enum, view (or what a table brings): names are unique
        return self._placed.get(name, self.name)

    def table(self, name: str) -> Table:
        return self._tables_by_name[name]

    def referencing(self, name: str) -> tuple[tuple[Table, ForeignKey], ...]:  # (child, fk) referencing name
        return self._references.get(name, ())

    # derived lookups, computed once: renderers ask for them per table
    @cached_property
    def _placed(self) -> dict[str, str]:
        return dict(self.placed)

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

    def domain(self, name: str) -> Domain:
        return next(d for d in self.domains if d.name == name)

    def extension_schema(self, name: str) -> str:
        return next((x.schema for x in self.extensions if x.name == name), "public")
