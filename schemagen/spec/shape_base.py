"""The base of every schema.yaml shape, and what the shapes of tables and of the other
objects (shapes_objects.py) share."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True)


class LintSpec(Spec):
    """`lint: {ignore: {SG003: reason}}` silences rules here, each with its reason."""
    ignore: dict[str, str] = {}


def _scalar_default(value):
    if value is not None and not isinstance(value, (str, bool, int, float)):
        raise ValueError("default must be an SQL expression (a string), a number or a boolean")
    return value


class SequenceOptionsSpec(Spec):
    """Options of a sequence, standalone or behind an identity column (PostgreSQL's defaults when left out)."""
    start: int | None = None
    increment: int | None = None
    min: int | None = None
    max: int | None = None
    cache: int | None = None
    cycle: bool = False
