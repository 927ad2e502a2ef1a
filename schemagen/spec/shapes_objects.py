"""Shapes of the schema's objects besides tables and enums: standalone sequences, domains
and extensions."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from schemagen.spec.shape_base import LintSpec, SequenceOptionsSpec, Spec, _scalar_default


class SequenceSpec(SequenceOptionsSpec):
    """A standalone sequence (`sequences:`), usable in defaults as nextval('name')."""
    type: Literal["smallint", "integer", "bigint"] = "bigint"
    owned_by: str | None = None  # table.column: dropped with that column
    comment: str | None = None
    lint: LintSpec | None = None


class DomainCheckSpec(Spec):
    name: str | None = None  # one CHECK may go unnamed: PostgreSQL calls it {domain}_check
    expression: str
    comment: str | None = None


class DomainSpec(Spec):
    """A named type over another, with its own NOT NULL, default and CHECKs (on VALUE)."""
    type: str
    not_null: bool = False
    default: Any = None
    collation: str | None = None
    checks: list[DomainCheckSpec] = []
    comment: str | None = None
    lint: LintSpec | None = None

    _default_is_scalar = field_validator("default", mode="before")(_scalar_default)


class ExtensionSpec(Spec):
    """An extension the schema needs, created first (CREATE EXTENSION IF NOT EXISTS)."""
    schema_: str = Field(default="public", alias="schema")
    version: str | None = None

    @field_validator("version", mode="before")
    @classmethod
    def _version_is_text(cls, value):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            raise ValueError(f"write the version as a string (YAML reads {value} as a number): version: '{value}'")
        return value


class SchemaSpec(Spec):
    """A further schema (`schemas:`) that tables, enums and views may be placed in with `schema:`."""
    comment: str | None = None
