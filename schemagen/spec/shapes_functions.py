"""Shapes of functions and procedures (`functions:`), triggers (`triggers:`) and aggregates
(`aggregates:`)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from schemagen.spec.shape_base import LintSpec, Spec, _scalar_default


class ArgumentSpec(Spec):
    """One argument: `{name: a, type: integer}`, with its mode and default."""
    name: str | None = None
    type: str
    mode: Literal["in", "out", "inout", "variadic"] = "in"
    default: Any = None  # an SQL expression; YAML booleans and numbers are literals

    _default_is_scalar = field_validator("default", mode="before")(_scalar_default)


class ReturnsTableSpec(Spec):
    """`returns: {table: {id: integer, title: text}}`: RETURNS TABLE (...)."""
    table: dict[str, str] = Field(min_length=1)


class FunctionSpec(Spec):
    """A function (or, with `procedure: true`, a procedure); `body` is its source as text."""
    language: Literal["sql", "plpgsql"]
    body: str
    arguments: list[ArgumentSpec] = []
    returns: str | ReturnsTableSpec | None = None  # a type, 'setof <type>', or {table: {...}}; none for a procedure
    procedure: bool = False
    volatility: Literal["volatile", "stable", "immutable"] = "volatile"
    strict: bool = False
    security_definer: bool = False
    parallel: Literal["unsafe", "restricted", "safe"] = "unsafe"
    set: dict[str, str | int | float | bool | list[str]] = {}  # SET options; search_path may be a list
    comment: str | None = None
    lint: LintSpec | None = None


class TriggerSpec(Spec):
    """A trigger on the table or view it is listed under."""
    timing: Literal["before", "after", "instead of"]
    events: list[Literal["insert", "update", "delete", "truncate"]] = Field(min_length=1)
    update_of: list[str] = []                               # UPDATE OF these columns only
    for_each: Literal["row", "statement"] = "statement"
    when: str | None = None                                 # an SQL condition on OLD and NEW
    referencing: dict[Literal["old_table", "new_table"], str] = {}  # transition tables (AFTER only)
    function: str                                           # a declared function, or schema.name of an extension's
    arguments: list[str] = []                               # TG_ARGV: string literals
    comment: str | None = None


class AggregateSpec(Spec):
    """CREATE AGGREGATE: `arguments` are types; sfunc, finalfunc name declared functions (or built-ins)."""
    arguments: list[str] = Field(min_length=1)
    sfunc: str
    stype: str
    finalfunc: str | None = None
    initcond: str | None = None
    parallel: Literal["unsafe", "restricted", "safe"] = "unsafe"
    comment: str | None = None
