"""The schema.yaml format as pydantic models: structure only.

These models check shapes and spellings (unknown keys are errors). Cross
references (does that table exist? is that type known?) are checked in
`validate.py`, which also turns these specs into the resolved model.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from schemagen.spec.shape_base import LintSpec, SequenceOptionsSpec, Spec, _scalar_default
from schemagen.spec.shapes_objects import DomainCheckSpec, DomainSpec, ExtensionSpec, SequenceSpec
from schemagen.spec.shapes_security import PolicySpec, RowLevelSecuritySpec

__all__ = ["DomainCheckSpec", "DomainSpec", "ExtensionSpec", "LintSpec", "SequenceOptionsSpec", "SequenceSpec",
           "Spec"]

Action = Literal["cascade", "restrict", "set null", "set default", "no action"]
ACTIONS = ("cascade", "restrict", "set null", "set default", "no action")
Initially = Literal["immediate", "deferred"]
# a storage parameter's value as YAML gives it; the allowed names and ranges are in spec/storage.py
StorageValue = bool | int | float | str


class EnumSpec(Spec):
    values: list[str] = Field(min_length=1)
    schema_: str | None = Field(default=None, alias="schema")  # default: the file's `schema:`
    comment: str | None = None
    lint: LintSpec | None = None


class OnDeleteSpec(Spec):
    """`on_delete: set null` or, to clear only some of the key's columns (PostgreSQL 15),
    `on_delete: {action: set null, columns: [author_id]}`."""
    action: Action
    columns: list[str] | None = Field(default=None, min_length=1)


def _action_word(value):
    return {"action": value} if isinstance(value, str) else value


class DeferrableSpec(Spec):
    """Constraints PostgreSQL can check at commit instead of at each statement."""
    deferrable: bool = False
    initially: Initially = "immediate"  # `deferred`: checked at COMMIT unless SET CONSTRAINTS says otherwise


class ColumnReferenceSpec(DeferrableSpec):
    """`references:` on a column: a single-column foreign key."""
    table: str
    column: str | None = None  # default: the referenced table's primary key
    on_delete: OnDeleteSpec = OnDeleteSpec(action="no action")
    on_update: Action = "no action"
    match: Literal["simple", "full"] = "simple"
    name: str | None = None
    comment: str | None = None
    relationship: str | None = None    # ORM attribute on this table (default: column minus _id)
    back_populates: str | None = None  # ORM attribute on the referenced table

    _on_delete_word = field_validator("on_delete", mode="before")(_action_word)


class ColumnCheckSpec(Spec):
    """`check:` on a column: `check: "price > 0"`, or a mapping naming it."""
    expression: str
    name: str | None = None  # default: the column's name (constraint <table>_<column>_check)
    comment: str | None = None


class IdentitySpec(SequenceOptionsSpec):
    """`identity: always`, `identity: by default`, or a mapping with `generated:` and sequence options."""
    generated: Literal["always", "by default"]


class ColumnSpec(Spec):
    type: str
    nullable: bool = False
    default: Any = None  # an SQL expression; YAML booleans and numbers are literals
    primary_key: bool = False
    unique: bool = False
    comment: str | None = None
    on_update: str | None = None  # SQL expression set by a BEFORE UPDATE trigger
    references: ColumnReferenceSpec | None = None
    identity: IdentitySpec | None = None
    generated: str | None = None  # SQL expression: GENERATED ALWAYS AS (...) STORED
    collation: str | None = None
    check: ColumnCheckSpec | None = None
    renamed_from: str | None = None  # read by diff/apply; kept in the model
    lint: LintSpec | None = None

    _default_is_scalar = field_validator("default", mode="before")(_scalar_default)

    @field_validator("check", mode="before")
    @classmethod
    def _check_text(cls, value):
        return {"expression": value} if isinstance(value, str) else value

    @field_validator("identity", mode="before")
    @classmethod
    def _identity_word(cls, value):
        return {"generated": value} if isinstance(value, str) else value


class TargetSpec(Spec):
    table: str
    columns: list[str] | None = None  # default: the referenced table's primary key


class ForeignKeySpec(DeferrableSpec):
    columns: list[str] = Field(min_length=1)
    references: TargetSpec
    on_delete: OnDeleteSpec = OnDeleteSpec(action="no action")
    on_update: Action = "no action"
    match: Literal["simple", "full"] = "simple"  # full: all key columns NULL, or none
    name: str | None = None
    comment: str | None = None
    relationship: str | None = None
    back_populates: str | None = None

    _on_delete_word = field_validator("on_delete", mode="before")(_action_word)


class UniqueSpec(DeferrableSpec):
    columns: list[str] = Field(min_length=1)
    nulls_not_distinct: bool = False  # PostgreSQL 15: NULLs count as equal, so one NULL row at most
    name: str | None = None
    comment: str | None = None


class CheckSpec(Spec):
    name: str
    expression: str
    comment: str | None = None


def _names_are_columns(value):
    """A bare name in a list of elements is {column: name}."""
    if isinstance(value, list):
        return [{"column": v} if isinstance(v, str) else v for v in value]
    return value


Method = Literal["btree", "hash", "gin", "gist", "spgist", "brin"]


class IndexColumnSpec(Spec):
    """One element of an index: a column or an expression, with its order, operator
    class and collation."""
    column: str | None = None
    expression: str | None = None  # e.g. lower(email)
    order: Literal["asc", "desc"] = "asc"
    nulls: Literal["first", "last"] | None = None
    opclass: str | None = None     # e.g. varchar_pattern_ops
    collation: str | None = None   # e.g. C


class IndexSpec(Spec):
    columns: list[IndexColumnSpec] = Field(min_length=1)  # a name, or {column|expression, order, ...}
    unique: bool = False
    nulls_not_distinct: bool = False  # unique only: NULLs count as equal
    where: str | None = None
    method: Method = "btree"
    include: list[str] = []  # INCLUDE: columns carried in the index, not part of its key
    with_: dict[str, StorageValue] = Field(default={}, alias="with")  # storage parameters
    name: str | None = None

    _names = field_validator("columns", mode="before")(_names_are_columns)


class ExcludeElementSpec(Spec):
    """One element of an exclusion constraint: a column or an expression, and the operator."""
    column: str | None = None
    expression: str | None = None
    operator: str  # e.g. '=', '&&'
    opclass: str | None = None


class ExcludeSpec(DeferrableSpec):
    """EXCLUDE: no two rows where every element's operator returns true."""
    elements: list[ExcludeElementSpec] = Field(min_length=1)
    method: Literal["btree", "hash", "gist", "spgist"] = "gist"
    where: str | None = None
    name: str | None = None
    comment: str | None = None


class PartitionElementSpec(Spec):
    column: str | None = None
    expression: str | None = None


class PartitionBySpec(Spec):
    """`partition_by: {range: [created_at]}`, `{list: [region]}` or `{hash: [id]}`."""
    range_: list[PartitionElementSpec] | None = Field(default=None, alias="range", min_length=1)
    list_: list[PartitionElementSpec] | None = Field(default=None, alias="list", min_length=1)
    hash_: list[PartitionElementSpec] | None = Field(default=None, alias="hash", min_length=1)

    _names = field_validator("range_", "list_", "hash_", mode="before")(_names_are_columns)

    def chosen(self) -> tuple[str, list[PartitionElementSpec]] | None:
        """(method, key elements) when exactly one method is given."""
        given = [(m, v) for m, v in (("range", self.range_), ("list", self.list_), ("hash", self.hash_))
                 if v is not None]
        return given[0] if len(given) == 1 else None


BoundValue = Any  # a value of the partition key: text, number, date, null, or minvalue/maxvalue


class PartitionSpec(Spec):
    """One declared partition (a key under `partitions:`): its bounds, or `default: true`;
    it may be partitioned itself."""
    from_: BoundValue = Field(default=None, alias="from")  # range: a value, or a list (one per key)
    to: BoundValue = None
    in_: list[BoundValue] | None = Field(default=None, alias="in", min_length=1)  # list
    modulus: int | None = None    # hash
    remainder: int | None = None  # hash
    default: bool = False
    with_: dict[str, StorageValue] = Field(default={}, alias="with")
    partition_by: PartitionBySpec | None = None
    partitions: dict[str, dict] = {}


class GeneratedPartitionsSpec(Spec):
    """`partitions: {monthly: {from: 2024-01-01, to: 2027-01-01}}`: one range partition per
    period from `from` (included) to `to` (excluded), named <table>_<period>."""
    from_: Any = Field(alias="from")
    to: Any
    with_: dict[str, StorageValue] = Field(default={}, alias="with")


class TableSpec(Spec):
    columns: dict[str, ColumnSpec] = Field(min_length=1)
    schema_: str | None = Field(default=None, alias="schema")  # default: the file's `schema:`
    comment: str | None = None
    module: str | None = None  # Python module of the ORM class (default: table name)
    class_: str | None = Field(default=None, alias="class")  # ORM class name
    primary_key: list[str] | None = None  # composite primary key
    foreign_keys: list[ForeignKeySpec] = []
    unique: list[UniqueSpec] = []
    checks: list[CheckSpec] = []
    exclude: list[ExcludeSpec] = []
    indexes: list[IndexSpec] = []
    with_: dict[str, StorageValue] = Field(default={}, alias="with")  # storage parameters
    unlogged: bool = False  # not written to the WAL: emptied after a crash, not replicated
    partition_by: PartitionBySpec | None = None
    partitions: dict[str, dict] = {}  # name -> bounds, or daily/weekly/monthly/quarterly/yearly: {from, to}
    renamed_from: str | None = None
    lint: LintSpec | None = None
    row_level_security: RowLevelSecuritySpec | None = None
    policies: list[PolicySpec] = []


class FileSpec(Spec):
    """Top level; extensions, enums, sequences, domains and tables are validated one by one so that one broken
    table does not hide the problems of the others."""
    schema_: str = Field(default="public", alias="schema")
    comment: str | None = None
    schemas: dict[str, dict | None] = {}  # further schemas (shapes_objects.SchemaSpec), validate/schemas.py
    extensions: dict[str, dict | None] = {}
    enums: dict[str, dict] = {}
    sequences: dict[str, dict] = {}
    domains: dict[str, dict] = {}
    tables: dict[str, dict] = Field(min_length=1)
    roles: dict[str, dict | None] = {}  # shapes_security.py: each checked on its own, like tables
    grants: list[dict] = []
    default_privileges: list[dict] = []
    views: dict[str, dict] = {}  # shapes in spec/shapes_views.py
    functions: dict[str, dict | list[dict]] = {}  # shapes in spec/shapes_functions.py; a list: overloads
    triggers: dict[str, dict] = {}  # table or view -> trigger name -> TriggerSpec
    aggregates: dict[str, dict] = {}
    ignore: dict | list | str | None = None  # checked by validate/ignore.py, which explains its mistakes
