"""Shapes of views and materialized views (`views:`)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from schemagen.spec.shape_base import LintSpec, Spec
from schemagen.spec.shapes import IndexSpec


class ViewColumnSpec(Spec):
    """A column the view returns, declared for the ORM and the docs; `schemagen check`'s tests
    compare the declared type with what PostgreSQL says the query returns."""
    type: str
    comment: str | None = None
    primary_key: bool = False  # what the read-only ORM class is mapped by (SQLAlchemy needs one)


class ViewSpec(Spec):
    query: str  # one SELECT, as SQL text
    schema_: str | None = Field(default=None, alias="schema")  # default: the file's `schema:`
    comment: str | None = None
    columns: dict[str, ViewColumnSpec] = {}
    materialized: bool = False
    security_barrier: bool = False   # plain views only
    security_invoker: bool = False   # plain views only (PostgreSQL 15)
    check_option: Literal["local", "cascaded"] | None = None  # plain views only
    with_data: bool = True           # materialized only: WITH NO DATA leaves it to REFRESH
    indexes: list[IndexSpec] = []    # materialized only
    module: str | None = None
    class_: str | None = Field(default=None, alias="class")
    lint: LintSpec | None = None
