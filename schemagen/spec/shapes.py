"""The schema.yaml format as pydantic models: structure only.

These models check shapes and spellings (unknown keys are errors). Cross
references (does that table exist? is that type known?) are checked in
`validate.py`, which also turns these specs into the resolved model.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Action = Literal["cascade", "restrict", "set null", "set default", "no action"]
ACTIONS = ("cascade", "restrict", "set null", "set default", "no action")


class Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True)


class LintSpec(Spec):
    """`lint: {ignore: {SG003: reason}}` silences rules here, each with its reason."""
    ignore: dict[str, str] = {}


class EnumSpec(Spec):
    values: list[str] = Field(min_length=1)
    comment: str | None = None
    lint: LintSpec | None = None


class ColumnReferenceSpec(Spec):
    """`references:` on a column: a single-column foreign key."""
    table: str
    column: str | None = None  # default: the referenced table's primary key
    on_delete: Action = "no action"
    on_update: Action = "no action"
    name: str | None = None
    comment: str | None = None
    relationship: str | None = None    # ORM attribute on this table (default: column minus _id)
    back_populates: str | None = None  # ORM attribute on the referenced table


class ColumnSpec(Spec):
    type: str
    nullable: bool = False
    default: Any = None  # an SQL expression; YAML booleans and numbers are literals
    primary_key: bool = False
    unique: bool = False
    comment: str | None = None
    on_update: str | None = None  # SQL expression set by a BEFORE UPDATE trigger
    references: ColumnReferenceSpec | None = None
    renamed_from: str | None = None  # read by diff/apply; kept in the model
    lint: LintSpec | None = None

    @field_validator("default", mode="before")
    @classmethod
    def _default_is_scalar(cls, value):
        if value is not None and not isinstance(value, (str, bool, int, float)):
            raise ValueError("default must be an SQL expression (a string), a number or a boolean")
        return value


class TargetSpec(Spec):
    table: str
    columns: list[str] | None = None  # default: the referenced table's primary key


class ForeignKeySpec(Spec):
    columns: list[str] = Field(min_length=1)
    references: TargetSpec
    on_delete: Action = "no action"
    on_update: Action = "no action"
    name: str | None = None
    comment: str | None = None
    relationship: str | None = None
    back_populates: str | None = None


class UniqueSpec(Spec):
    columns: list[str] = Field(min_length=1)
    name: str | None = None
    comment: str | None = None


class CheckSpec(Spec):
    name: str
    expression: str
    comment: str | None = None


class IndexColumnSpec(Spec):
    column: str
    order: Literal["asc", "desc"] = "asc"
    nulls: Literal["first", "last"] | None = None


class IndexSpec(Spec):
    columns: list[IndexColumnSpec] = Field(min_length=1)  # a name, or {column, order, nulls}
    unique: bool = False
    where: str | None = None
    method: Literal["btree", "hash", "gin", "gist", "spgist", "brin"] = "btree"
    name: str | None = None

    @field_validator("columns", mode="before")
    @classmethod
    def _names_are_columns(cls, value):
        if isinstance(value, list):
            return [{"column": v} if isinstance(v, str) else v for v in value]
        return value


class TableSpec(Spec):
    columns: dict[str, ColumnSpec] = Field(min_length=1)
    comment: str | None = None
    module: str | None = None  # Python module of the ORM class (default: table name)
    class_: str | None = Field(default=None, alias="class")  # ORM class name
    primary_key: list[str] | None = None  # composite primary key
    foreign_keys: list[ForeignKeySpec] = []
    unique: list[UniqueSpec] = []
    checks: list[CheckSpec] = []
    indexes: list[IndexSpec] = []
    renamed_from: str | None = None
    lint: LintSpec | None = None


class FileSpec(Spec):
    """Top level; enums and tables are validated one by one so that one broken
    table does not hide the problems of the others."""
    schema_: str = Field(default="public", alias="schema")
    comment: str | None = None
    enums: dict[str, dict] = {}
    tables: dict[str, dict] = Field(min_length=1)
    ignore: dict | list | str | None = None  # checked by validate/ignore.py, which explains its mistakes
