"""Column types: read the spelling used in schema.yaml into one canonical type.

Each builtin knows its PostgreSQL spelling, its SQLAlchemy type, its Python
annotation and the extension that defines it, so the DDL and ORM renderers never
disagree about a type. Plain spellings (`text`, `numeric(10,2)`, `integer[]`)
are read here; anything else (`timestamp(3) with time zone`, `interval day to
second`) is read by PostgreSQL's own parser (pglast), imported only then.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

MAX_LENGTH = 10485760   # varchar(n) and char(n)
PRECISION = (0, 6)      # time, timestamp, interval seconds


@dataclass(frozen=True)
class Builtin:
    name: str            # canonical schema.yaml spelling, also the DDL spelling
    max_args: int        # how many (n[,m]) modifiers it takes
    sa_type: str         # SQLAlchemy class in sqlalchemy.dialects.postgresql (or base.py's helpers)
    python: str          # annotation used in Mapped[...]
    sa_kwargs: str = ""  # constant keyword arguments for the SQLAlchemy type
    family: str = ""     # foreign keys may only join columns of one family
    modifier: str = ""   # SQLAlchemy keyword for the modifier; "" passes it positionally
    limits: tuple[int, int] = (1, MAX_LENGTH)  # allowed modifier values
    extension: str = ""  # the extension that defines the type
    collatable: bool = False


def _b(name, python, family=None, sa=None, **kw) -> Builtin:
    return Builtin(name, kw.pop("max_args", 0), sa or name.upper(), python, family=family or name, **kw)


def _ranges():
    out = []
    for name, python in (("int4", "int"), ("int8", "int"), ("num", "decimal.Decimal"),
                         ("ts", "datetime.datetime"), ("tstz", "datetime.datetime"), ("date", "datetime.date")):
        out.append(_b(f"{name}range", f"Range[{python}]"))
        out.append(_b(f"{name}multirange", f"list[Range[{python}]]"))
    return out


_TIMED = {"max_args": 1, "modifier": "precision", "limits": PRECISION}
BUILTINS: dict[str, Builtin] = {b.name: b for b in [
    _b("uuid", "uuid.UUID"),
    _b("text", "str", "string", collatable=True),
    _b("varchar", "str", "string", max_args=1, collatable=True),
    _b("char", "str", "string", max_args=1, collatable=True),
    _b("citext", "str", extension="citext"),  # not collatable here: SQLAlchemy drops its COLLATE
    _b("boolean", "bool"),
    _b("smallint", "int", "integer"),
    _b("integer", "int", "integer"),
    _b("bigint", "int", "integer"),
    _b("numeric", "decimal.Decimal", max_args=2, limits=(1, 1000)),
    _b("real", "float", "float"),
    _b("double precision", "float", "float", sa="DOUBLE_PRECISION"),
    _b("date", "datetime.date"),
    _b("time", "datetime.time", **_TIMED),
    _b("timetz", "datetime.time", sa="TIME", sa_kwargs="timezone=True", **_TIMED),
    _b("timestamp", "datetime.datetime", sa_kwargs="timezone=False", **_TIMED),
    _b("timestamptz", "datetime.datetime", sa="TIMESTAMP", sa_kwargs="timezone=True", **_TIMED),
    _b("interval", "datetime.timedelta", **_TIMED),
    _b("json", "Any"),
    _b("jsonb", "Any"),
    _b("bytea", "bytes"),
    _b("inet", "ipaddress.IPv4Address | ipaddress.IPv6Address | ipaddress.IPv4Interface | ipaddress.IPv6Interface"),
    _b("cidr", "ipaddress.IPv4Network | ipaddress.IPv6Network"),
    _b("macaddr", "str"),
    _b("macaddr8", "str"),
    _b("tsvector", "str"),
    _b("tsquery", "str"),
    _b("xml", "str", sa="XML"),
    _b("bit", "str", max_args=1, limits=(1, 83886080)),
    _b("varbit", "str", sa="BIT", sa_kwargs="varying=True", max_args=1, limits=(1, 83886080)),
    *_ranges(),
]}

ALIASES = {
    "int": "integer", "int4": "integer", "int2": "smallint", "int8": "bigint",
    "bool": "boolean", "decimal": "numeric", "float8": "double precision",
    "float4": "real", "character varying": "varchar", "character": "char",
    "timestamp with time zone": "timestamptz",
    "timestamp without time zone": "timestamp",
    "time with time zone": "timetz",
    "time without time zone": "time",
    "bit varying": "varbit",
}
# PostgreSQL's names for the types its grammar spells with keywords
_INTERNAL = {"int2": "smallint", "int4": "integer", "int8": "bigint", "float4": "real",
             "float8": "double precision", "bool": "boolean", "bpchar": "char"}
# serial is not a type: PostgreSQL makes an integer column, an owned sequence and a nextval default
SERIALS = {"smallserial": "smallint", "serial2": "smallint", "serial": "integer", "serial4": "integer",
           "bigserial": "bigint", "serial8": "bigint"}
_SERIAL_SPELLING = {"smallint": "smallserial", "integer": "serial", "bigint": "bigserial"}

# interval fields as PostgreSQL's grammar encodes them (datetime.h: MONTH 1, YEAR 2, DAY 3, HOUR 10, ...)
INTERVAL_FIELDS = ("year", "month", "day", "hour", "minute", "second", "year to month", "day to hour",
                   "day to minute", "day to second", "hour to minute", "hour to second", "minute to second")
_Y, _MO, _D, _H, _MI, _S = 1 << 2, 1 << 1, 1 << 3, 1 << 10, 1 << 11, 1 << 12
_FIELD_MASKS = {_Y: "year", _MO: "month", _D: "day", _H: "hour", _MI: "minute", _S: "second",
                _Y | _MO: "year to month", _D | _H: "day to hour", _D | _H | _MI: "day to minute",
                _D | _H | _MI | _S: "day to second", _H | _MI: "hour to minute", _H | _MI | _S: "hour to second",
                _MI | _S: "minute to second"}
_FULL_RANGE = 0x7FFF


@dataclass(frozen=True)
class ColumnType:
    name: str                  # canonical builtin name, or the enum's / domain's name
    args: tuple[int, ...] = ()
    is_enum: bool = False
    dims: int = 0              # array dimensions: text[] has 1
    fields: str = ""           # interval fields, e.g. "day to second"
    serial: bool = False       # spelt serial/bigserial/smallserial
    base: ColumnType | None = None  # a domain's own type (then name is the domain's)

    @property
    def is_domain(self) -> bool:
        return self.base is not None

    @property
    def builtin(self) -> Builtin | None:
        return None if self.is_enum or self.is_domain else BUILTINS[self.name]

    @property
    def element(self) -> ColumnType:
        return replace(self, dims=0) if self.dims else self

    @property
    def scalar(self) -> ColumnType:
        """The type underneath domains (keeping this column's array dimensions)."""
        return replace(self.base.scalar, dims=self.base.dims + self.dims) if self.base else self

    @property
    def family(self) -> str:
        if self.base is not None:
            return self.scalar.family
        core = f"enum:{self.name}" if self.is_enum else BUILTINS[self.name].family
        return core + "[]" * self.dims

    @property
    def extension(self) -> str:
        return self.builtin.extension if self.builtin else ""

    def __str__(self) -> str:
        if self.serial:
            return _SERIAL_SPELLING[self.name]
        text = self.name + (f" {self.fields}" if self.fields else "")
        text += f"({','.join(map(str, self.args))})" if self.args else ""
        return text + "[]" * self.dims


class TypeError_(ValueError):
    """A type spelling we cannot accept; message is for people."""


class NeedsDomain(TypeError_):
    """The spelling names a domain that is not resolved yet (domains may build on domains)."""

    def __init__(self, name: str):
        super().__init__(f"domain '{name}' is not resolved yet")
        self.name = name


def known_names(enum_names, domain_names=()) -> list[str]:
    return sorted(set(BUILTINS) | set(ALIASES) | set(SERIALS) | set(enum_names) | set(domain_names))


def parse_type(text: str, enum_names, domains: Mapping[str, ColumnType | None] | None = None) -> ColumnType:
    """Read 'numeric(10,2)', 'text[]', 'timestamptz(3)', 'interval day to second', an enum's
    or a domain's name. domains: name -> resolved type, or None while still unresolved."""
    domains = domains or {}
    spelling = " ".join(text.split())
    plain = _plain(spelling)
    if plain is not None and (plain[0] in enum_names or plain[0] in domains):
        raw, args, dims = plain
        if args:
            raise TypeError_(f"{'enum' if raw in enum_names else 'domain'} type '{raw}' takes no modifiers")
        if raw in enum_names:
            return ColumnType(raw, is_enum=True, dims=dims)
        if domains[raw] is None:
            raise NeedsDomain(raw)
        return ColumnType(raw, dims=dims, base=domains[raw])
    if plain is not None and not plain[0].lower().startswith("interval "):
        raw, args, dims = plain
        return _resolve(raw, raw.lower(), args, "", dims)
    name, args, fields, dims = _postgres_reading(spelling)
    return _resolve(name, name, args, fields, dims)


def _plain(spelling: str) -> tuple[str, tuple[int, ...], int] | None:
    """(name, modifiers, array dimensions) for 'name', 'name(n)', 'name(n,m)', each maybe
    followed by [] pairs; None for any other spelling."""
    dims, rest = 0, spelling
    while rest.endswith("[]"):
        rest, dims = rest[:-2].rstrip(), dims + 1
    args: tuple[int, ...] = ()
    if rest.endswith(")"):
        if "(" not in rest:
            return None
        rest, inner = rest[:-1].split("(", 1)
        parts = [p.strip() for p in inner.split(",")]
        if len(parts) > 2 or not all(p.isdigit() for p in parts):
            return None
        rest, args = rest.rstrip(), tuple(int(p) for p in parts)
    if not rest or not all(ch.isalnum() or ch in "_ " for ch in rest):
        return None
    return rest, args, dims


def _postgres_reading(spelling: str) -> tuple[str, tuple[int, ...], str, int]:
    """Let PostgreSQL's grammar read the spelling as the type of a cast: (name, modifiers,
    interval fields, array dimensions)."""
    from pglast import ast, parse_sql
    from pglast.parser import ParseError
    unreadable = TypeError_(f"cannot read type '{spelling}'")
    try:
        statements = parse_sql(f"SELECT NULL::{spelling}")
    except ParseError:
        raise unreadable from None
    select = statements[0].stmt if len(statements) == 1 else None
    if not isinstance(select, ast.SelectStmt) or len(select.targetList or ()) != 1 or any(
            getattr(select, k) for k in ("fromClause", "whereClause", "groupClause", "havingClause",
                                         "windowClause", "sortClause", "limitCount", "limitOffset",
                                         "lockingClause", "withClause", "distinctClause", "valuesLists")):
        raise unreadable
    target = select.targetList[0]
    cast = target.val
    if target.name or not isinstance(cast, ast.TypeCast) or not isinstance(cast.arg, ast.A_Const):
        raise unreadable
    type_name = cast.typeName
    if type_name.setof or type_name.pct_type:
        raise unreadable
    names = [n.sval for n in type_name.names]
    if len(names) == 2 and names[0] == "pg_catalog":
        name = _INTERNAL.get(names[1], names[1])
    elif len(names) == 1:
        name = names[0]
    else:
        raise TypeError_(f"write type '{spelling}' without a schema: schemagen places types itself")
    mods = []
    for mod in type_name.typmods or ():
        if not (isinstance(mod, ast.A_Const) and isinstance(mod.val, ast.Integer)):
            raise unreadable
        mods.append(mod.val.ival)
    bounds = [b.ival for b in type_name.arrayBounds or ()]
    if any(b != -1 for b in bounds):
        raise TypeError_(f"PostgreSQL does not enforce array sizes: write '{name}[]' instead of '{spelling}'")
    fields = ""
    if name == "interval" and mods:
        fields = "" if mods[0] == _FULL_RANGE else _FIELD_MASKS.get(mods[0], "?")
        mods = mods[1:]
    return name, tuple(mods), fields, len(bounds)


def _resolve(raw: str, name: str, args: tuple[int, ...], fields: str, dims: int) -> ColumnType:
    name = ALIASES.get(name, name)
    if name in SERIALS:
        if args or dims:
            raise TypeError_(f"'{raw}' takes no modifiers and cannot be an array")
        return ColumnType(SERIALS[name], serial=True)
    builtin = BUILTINS.get(name)
    if builtin is None:
        raise TypeError_(f"unknown type '{raw}'")
    if args and not builtin.max_args:
        raise TypeError_(f"type '{name}' takes no modifiers")
    if len(args) > builtin.max_args:
        raise TypeError_(f"type '{name}' takes at most {builtin.max_args} modifier(s), got {len(args)}")
    low, high = builtin.limits
    if args and not low <= args[0] <= high:
        what = "precision" if builtin.modifier == "precision" or name == "numeric" else "length"
        raise TypeError_(f"{name} {what} must be between {low} and {high}")
    if name == "numeric" and len(args) == 2 and args[1] > args[0]:
        raise TypeError_(f"numeric scale {args[1]} is larger than its precision {args[0]}")
    if fields == "?":
        raise TypeError_(f"interval fields must be one of: {', '.join(INTERVAL_FIELDS)}")
    if fields and args and not fields.endswith("second"):
        raise TypeError_(f"interval {fields} takes no precision (only fields ending in second do)")
    return ColumnType(name, args, dims=dims, fields=fields)


def typname(ctype: ColumnType) -> str | None:
    """The pg_type name index methods know the column's values by: a domain by the type it is
    over, arrays, enums, ranges and multiranges by their pseudo-types; None for a type from
    an extension (the catalogue table describes pg_catalog only: PostgreSQL judges those)."""
    from schemagen.spec.catalog_data import TYPNAMES
    if ctype.is_domain:
        return typname(ctype.scalar)
    if ctype.dims:
        return "anyarray"
    if ctype.is_enum:
        return "anyenum"
    if ctype.name.endswith("multirange"):
        return "anymultirange"
    if ctype.name.endswith("range"):
        return "anyrange"
    return None if ctype.extension else TYPNAMES[ctype.name]
