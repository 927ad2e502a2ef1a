"""Column types: parse the spelling used in schema.yaml into one canonical type.

Each builtin knows its PostgreSQL spelling, its SQLAlchemy type and its Python
annotation, so the DDL and ORM renderers never disagree about a type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Builtin:
    name: str            # canonical schema.yaml spelling, also the DDL spelling
    max_args: int        # how many (n[,m]) modifiers it takes
    sa_type: str         # SQLAlchemy class in sqlalchemy.dialects.postgresql
    python: str          # annotation used in Mapped[...]
    sa_kwargs: str = ""  # constant keyword arguments for the SQLAlchemy type
    family: str = ""     # foreign keys may only join columns of one family


BUILTINS: dict[str, Builtin] = {b.name: b for b in [
    Builtin("uuid", 0, "UUID", "uuid.UUID", family="uuid"),
    Builtin("text", 0, "TEXT", "str", family="string"),
    Builtin("varchar", 1, "VARCHAR", "str", family="string"),
    Builtin("char", 1, "CHAR", "str", family="string"),
    Builtin("boolean", 0, "BOOLEAN", "bool", family="boolean"),
    Builtin("smallint", 0, "SMALLINT", "int", family="integer"),
    Builtin("integer", 0, "INTEGER", "int", family="integer"),
    Builtin("bigint", 0, "BIGINT", "int", family="integer"),
    Builtin("numeric", 2, "NUMERIC", "decimal.Decimal", family="numeric"),
    Builtin("real", 0, "REAL", "float", family="float"),
    Builtin("double precision", 0, "DOUBLE_PRECISION", "float", family="float"),
    Builtin("date", 0, "DATE", "datetime.date", family="date"),
    Builtin("time", 0, "TIME", "datetime.time", family="time"),
    Builtin("timestamp", 0, "TIMESTAMP", "datetime.datetime", "timezone=False", family="timestamp"),
    Builtin("timestamptz", 0, "TIMESTAMP", "datetime.datetime", "timezone=True", family="timestamptz"),
    Builtin("interval", 0, "INTERVAL", "datetime.timedelta", family="interval"),
    Builtin("json", 0, "JSON", "Any", family="json"),
    Builtin("jsonb", 0, "JSONB", "Any", family="jsonb"),
    Builtin("bytea", 0, "BYTEA", "bytes", family="bytea"),
]}

ALIASES = {
    "int": "integer", "int4": "integer", "int2": "smallint", "int8": "bigint",
    "bool": "boolean", "decimal": "numeric", "float8": "double precision",
    "float4": "real", "character varying": "varchar", "character": "char",
    "timestamp with time zone": "timestamptz",
    "timestamp without time zone": "timestamp",
}

_TYPE_RE = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_ ]*?)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?\s*$")


@dataclass(frozen=True)
class ColumnType:
    name: str                  # canonical builtin name, or the enum's name
    args: tuple[int, ...] = ()
    is_enum: bool = False

    @property
    def builtin(self) -> Builtin | None:
        return None if self.is_enum else BUILTINS[self.name]

    @property
    def family(self) -> str:
        return f"enum:{self.name}" if self.is_enum else BUILTINS[self.name].family

    def __str__(self) -> str:
        return self.name + (f"({','.join(map(str, self.args))})" if self.args else "")


class TypeError_(ValueError):
    """A type spelling we cannot accept; message is for people."""


def known_names(enum_names) -> list[str]:
    return sorted(set(BUILTINS) | set(ALIASES) | set(enum_names))


def parse_type(text: str, enum_names) -> ColumnType:
    """Parse 'numeric(10,2)', 'varchar', 'timestamptz' or an enum name."""
    m = _TYPE_RE.match(text)
    if not m:
        raise TypeError_(f"cannot read type '{text}'")
    raw, a1, a2 = m.group(1), m.group(2), m.group(3)
    args = tuple(int(a) for a in (a1, a2) if a is not None)
    if raw in enum_names:
        if args:
            raise TypeError_(f"enum type '{raw}' takes no modifiers")
        return ColumnType(raw, is_enum=True)
    name = " ".join(raw.lower().split())
    name = ALIASES.get(name, name)
    builtin = BUILTINS.get(name)
    if builtin is None:
        raise TypeError_(f"unknown type '{raw}'")
    if len(args) > builtin.max_args:
        raise TypeError_(f"type '{name}' takes at most {builtin.max_args} modifier(s), got {len(args)}")
    if name == "numeric" and len(args) == 2 and args[1] > args[0]:
        raise TypeError_(f"numeric scale {args[1]} is larger than its precision {args[0]}")
    if name == "numeric" and args and not 1 <= args[0] <= 1000:
        raise TypeError_("numeric precision must be between 1 and 1000")
    if name in ("varchar", "char") and args and not 1 <= args[0] <= 10485760:
        raise TypeError_(f"{name} length must be between 1 and 10485760")
    return ColumnType(name, args)
