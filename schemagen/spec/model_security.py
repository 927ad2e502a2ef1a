"""The resolved access control: roles, privileges, row level security and policies."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Role:
    name: str
    comment: str | None = None


@dataclass(frozen=True)
class Grant:
    """Privileges of roles on one object (`kind`: schema, table, sequence, function); for a
    table, on some of its columns when `columns` is set."""
    kind: str
    object: str                     # the table, sequence or function name; the schema's for 'schema'
    privileges: tuple[str, ...]     # lower case, in PostgreSQL's order
    roles: tuple[str, ...]
    reason: str
    columns: tuple[str, ...] = ()
    arguments: str = ""             # a function's identity arguments ('' for none)
    overload: int = -1              # a declared function's place among those of its name (-1: not one)

    def entries(self) -> set[tuple[str, str, str, str, str]]:
        """(role, kind, object, column, privilege): the one form live databases are compared in."""
        on = (f"{self.object}({self.arguments})" if self.kind == "function" else self.object)
        return {(r, self.kind if not self.columns else "column", on, c, p)
                for r in self.roles for c in (self.columns or ("",)) for p in self.privileges}


@dataclass(frozen=True)
class DefaultPrivilege:
    on: str                         # tables, sequences or functions
    privileges: tuple[str, ...]
    roles: tuple[str, ...]
    reason: str

    def entries(self) -> set[tuple[str, str, str, str, str]]:
        return {(r, "default", self.on, "", p) for r in self.roles for p in self.privileges}


@dataclass(frozen=True)
class Policy:
    name: str
    command: str                    # all, select, insert, update, delete
    roles: tuple[str, ...]          # role names, or ('public',)
    using: str | None = None
    with_check: str | None = None
    restrictive: bool = False
    comment: str | None = None


@dataclass(frozen=True)
class RowLevelSecurity:
    enable: bool = True
    force: bool = False
