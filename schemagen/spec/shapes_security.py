"""Shapes of access control: group roles (`roles:`), privileges (`grants:`,
`default_privileges:`), and per table row level security and policies."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from schemagen.spec.shape_base import Spec

Command = Literal["all", "select", "insert", "update", "delete"]


def _one_or_many(value):
    """`to: app` is `to: [app]`."""
    return [value] if isinstance(value, str) else value


class RoleSpec(Spec):
    """A NOLOGIN group role the schema grants to. Created when missing (roles belong to the
    whole server); login roles, their passwords and memberships stay in the deployment."""
    comment: str | None = None


class GrantSpec(Spec):
    """Privileges for roles on one kind of object. Exactly one of `schema`, `tables`,
    `sequences`, `functions`; `all` means every one of that kind schema.yaml declares."""
    to: list[str] = Field(min_length=1)
    privileges: list[str] = Field(min_length=1)  # select, insert, ... (lower case)
    schema_: bool = Field(default=False, alias="schema")  # on the schema itself (usage, create)
    tables: list[str] | Literal["all"] | None = None
    columns: list[str] | None = Field(default=None, min_length=1)  # per column: one table only
    sequences: list[str] | Literal["all"] | None = None
    functions: list[str] | Literal["all"] | None = None
    reason: str  # why the role needs it: rendered beside the GRANT and in SCHEMA.md

    _to_list = field_validator("to", "tables", "sequences", "functions", mode="before")(
        lambda v: v if v == "all" else _one_or_many(v))


class DefaultPrivilegeSpec(Spec):
    """ALTER DEFAULT PRIVILEGES IN SCHEMA: what objects created later (by the role that runs
    schemagen's DDL) give these roles."""
    to: list[str] = Field(min_length=1)
    privileges: list[str] = Field(min_length=1)
    objects: Literal["tables", "sequences", "functions"]  # not `on:`: YAML 1.1 reads on as true
    reason: str

    _to_list = field_validator("to", mode="before")(_one_or_many)


class RowLevelSecuritySpec(Spec):
    """`enable`: policies decide which rows roles see; `force`: the table's owner too."""
    enable: bool = True
    force: bool = False


class PolicySpec(Spec):
    name: str
    command: Command = "all"
    roles: list[str] = ["public"]
    using: str | None = None       # rows that may be seen (and updated or deleted)
    with_check: str | None = None  # rows that may be written
    restrictive: bool = False      # restrictive: must pass as well as one permissive policy
    comment: str | None = None

    _roles_list = field_validator("roles", mode="before")(_one_or_many)
