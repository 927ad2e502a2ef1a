"""Functions, procedures, triggers and aggregates in the resolved model."""

from __future__ import annotations

from dataclasses import dataclass

from schemagen.spec.types import ColumnType


@dataclass(frozen=True)
class RoutineType:
    """A type a routine takes or returns: a column type, a row type of this schema's table or
    view (`relation`), or a pseudo-type (trigger, void, record, anyelement...)."""
    ctype: ColumnType | None = None
    relation: str | None = None
    pseudo: str | None = None
    setof: bool = False

    @property
    def key(self) -> str:
        """What tells overloads apart (the type without SETOF)."""
        return self.pseudo or (f"{self.relation}%rowtype" if self.relation else str(self.ctype))

    def __str__(self) -> str:
        return ("setof " if self.setof else "") + (self.pseudo or self.relation or str(self.ctype))


@dataclass(frozen=True)
class Argument:
    name: str | None
    type: RoutineType
    mode: str = "in"                # in | out | inout | variadic
    default: str | None = None      # SQL expression

    @property
    def is_input(self) -> bool:
        return self.mode != "out"


@dataclass(frozen=True)
class Function:
    name: str
    language: str                   # sql | plpgsql
    body: str
    arguments: tuple[Argument, ...] = ()
    returns: RoutineType | None = None       # None: a procedure, or RETURNS TABLE
    returns_table: tuple[tuple[str, RoutineType], ...] = ()
    procedure: bool = False
    volatility: str = "volatile"
    strict: bool = False
    security_definer: bool = False
    parallel: str = "unsafe"
    settings: tuple[tuple[str, str], ...] = ()  # (name, value as SET writes it)
    comment: str | None = None
    lint_ignore: tuple[tuple[str, str], ...] = ()
    reads_views: bool = False       # an SQL body names a view: created after the views
    overload: int = 0               # its place among the functions of the same name (yaml path)

    @property
    def kind(self) -> str:
        return "procedure" if self.procedure else "function"

    @property
    def signature(self) -> tuple[RoutineType, ...]:
        return tuple(a.type for a in self.arguments if a.is_input)


@dataclass(frozen=True)
class Trigger:
    name: str
    on: str                         # the table or view
    timing: str                     # before | after | instead of
    events: tuple[str, ...]         # insert | update | delete | truncate, in that order
    update_of: tuple[str, ...] = ()
    for_each: str = "statement"
    when: str | None = None
    old_table: str | None = None
    new_table: str | None = None
    function: str = ""              # a declared function's name
    function_schema: str | None = None  # set when the function is an extension's or built in
    arguments: tuple[str, ...] = ()
    comment: str | None = None


@dataclass(frozen=True)
class Aggregate:
    name: str
    arguments: tuple[RoutineType, ...]
    sfunc: str
    stype: RoutineType
    finalfunc: str | None = None
    initcond: str | None = None
    parallel: str = "unsafe"
    comment: str | None = None
    declared: tuple[str, ...] = ()  # which of sfunc, finalfunc are this schema's functions
