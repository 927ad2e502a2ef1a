"""Views and materialized views in the resolved model."""

from __future__ import annotations

from dataclasses import dataclass

from schemagen.spec.types import ColumnType


@dataclass(frozen=True)
class ViewColumn:
    name: str
    type: ColumnType
    comment: str | None = None
    primary_key: bool = False
    attribute: str = ""


@dataclass(frozen=True)
class View:
    name: str
    query: str                      # the SELECT as written, without a trailing semicolon
    reads: tuple[str, ...] = ()     # tables and views of this schema the query names (parse tree)
    comment: str | None = None
    columns: tuple[ViewColumn, ...] = ()
    materialized: bool = False
    security_barrier: bool = False
    security_invoker: bool = False
    check_option: str | None = None  # local | cascaded
    with_data: bool = True
    indexes: tuple = ()             # of model.Index (materialized only)
    module: str = ""
    class_name: str = ""            # the read-only ORM class; "" when no columns are declared
    lint_ignore: tuple[tuple[str, str], ...] = ()
    definition: str = ""            # the query as the DDL writes it: the schema's relations qualified
    schema: str = ""                # the PostgreSQL schema it is in; "" for the file's own

    @property
    def kind(self) -> str:
        return "materialized view" if self.materialized else "view"
