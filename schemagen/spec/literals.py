"""Does a constant default fit its column's type? Answered the way PostgreSQL 15 would
answer when the table is created or when the default is first used (tests/spec/
test_literals.py checks every rule against the server), plus a few refusals of our
own where PostgreSQL would accept and surprise: a fraction for an integer column
(rounded), and 'now'/'today' for a date or time column (read once, at CREATE TABLE).

A constant with an explicit cast ('{}'::jsonb) is left to PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from dataclasses import replace
from decimal import Decimal, localcontext

from schemagen.diagnostics import did_you_mean
from schemagen.spec.catalog_data import ASSIGNMENT_CASTS, TYPNAMES
from schemagen.spec.expressions import Constant
from schemagen.spec.types import ColumnType, TypeError_, parse_type

_INT_RANGE = {"smallint": 2**15, "integer": 2**31, "bigint": 2**63}
_NUMBER = re.compile(r"^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$")
_INFINITY = {"infinity", "+infinity", "-infinity", "inf", "+inf", "-inf"}
_UUID = re.compile(r"^(\{)?[0-9a-fA-F]{4}(-?[0-9a-fA-F]{4}){7}(?(1)\})$")
# PostgreSQL's interval input: quantities with units, hh:mm[:ss], y-m, plain seconds, or ISO 8601
_QUANTITY = r"[+-]?(\d+(\.\d*)?|\.\d+)"
_UNIT = (r"(microseconds?|us|milliseconds?|ms|seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w"
         r"|months?|mons?|years?|yrs?|y|decades?|decs?|centur(y|ies)|c|millenni(um|a|ums)|mils?)")
_INTERVAL_PART = rf"({_QUANTITY}\s*{_UNIT}|[+-]?\d+:\d+(:\d+(\.\d*)?)?|[+-]?\d+-\d+|{_QUANTITY})"
_INTERVAL = re.compile(rf"^\s*@?\s*{_INTERVAL_PART}(\s+{_INTERVAL_PART})*(\s+ago)?\s*$", re.I)
_ISO_INTERVAL = re.compile(r"^P(?=.)(\d+(\.\d+)?[YMWD])*(T(?=.)(\d+(\.\d+)?[HMS])+)?$", re.I)
# any type converts to a string type when stored (PostgreSQL's automatic I/O conversion)
_STRING_TYPNAMES = {"text", "varchar", "bpchar"}
_FIXED_AT_CREATION = {"now", "today", "tomorrow", "yesterday"}
# below half the smallest subnormal a value rounds to zero, from max + half an ulp to infinity
_FLOAT_RANGE = {"real": (Decimal(2) ** -150, Decimal("3.4028235677973366e38")),
                "double precision": (Decimal(2) ** -1075, Decimal("1.797693134862315807e308"))}


def yaml_default(value: bool | int | float) -> tuple[str, Constant]:
    """SQL for a YAML boolean or number given as a default, and the constant it is.
    Infinities and NaN become strings ('Infinity'), the spelling PostgreSQL reads."""
    if isinstance(value, bool):
        return ("true" if value else "false"), Constant("boolean", value)
    if isinstance(value, int):
        return str(value), Constant("integer", value)
    if math.isnan(value) or math.isinf(value):
        word = "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
        return f"'{word}'", Constant("string", word)
    return repr(value), Constant("numeric", repr(value))


def problem(const: Constant, ctype: ColumnType, enum_values: tuple[str, ...] = ()) -> str | None:
    """Why the constant cannot be the column's default, or None when it fits."""
    if const.kind == "null" or ctype.dims or ctype.is_domain or ctype.extension:
        return None  # arrays, domains and extension types: PostgreSQL judges the literal
    if const.cast is not None:
        return _cast_problem(const, ctype, enum_values)
    if ctype.is_enum:
        if const.kind != "string":
            return f"write one of its values as a string, e.g. '{enum_values[0]}'" if enum_values else "write a string"
        if const.value not in enum_values:
            return f"'{const.value}' is not a value of enum '{ctype.name}'" + did_you_mean(const.value, enum_values)
        return None
    check = _CHECKS.get(ctype.builtin.family)
    return check(const, ctype) if check else None


def _cast_problem(const: Constant, ctype: ColumnType, enum_values: tuple[str, ...]) -> str | None:
    """'7'::integer: the literal must suit the cast's type, and that type must be one
    PostgreSQL converts to the column's when storing (an assignment cast)."""
    try:
        cast = parse_type(const.cast, {ctype.name} if ctype.is_enum else set())
    except TypeError_:
        return None  # a type schema.yaml does not know: PostgreSQL will judge
    inner = problem(replace(const, cast=None), cast, enum_values if cast.is_enum else ())
    if inner is not None:
        return inner
    source, target = _typname(cast), _typname(ctype)
    if target in _STRING_TYPNAMES:  # the cast value's text must fit; its literal is a fair lower bound
        return _string(replace(const, cast=None), ctype)
    if source == target or (source, target) in ASSIGNMENT_CASTS:
        return None
    return f"PostgreSQL does not store a {cast.name} in a {ctype.name} column (no assignment cast)"


def _typname(ctype: ColumnType) -> str:
    return ctype.name if ctype.is_enum else TYPNAMES[ctype.name]


def _boolean(const: Constant, ctype: ColumnType) -> str | None:
    if const.kind == "boolean" or (const.kind == "string" and _is_boolean_input(const.value)):
        return None
    return "write true or false"


def _is_boolean_input(text: str) -> bool:
    """PostgreSQL's boolin: a case-insensitive prefix of true/false/yes/no, on, off (2+), 1, 0."""
    word = text.strip().lower()
    if not word:
        return False
    if word in ("1", "0", "on"):
        return True
    if len(word) >= 2 and "off".startswith(word) and word != "o":
        return True
    return any(full.startswith(word) for full in ("true", "false", "yes", "no"))


def _integer(const: Constant, ctype: ColumnType) -> str | None:
    limit = _INT_RANGE[ctype.name]
    if const.kind == "integer":
        value = const.value
    elif const.kind == "numeric":
        number = Decimal(const.value)
        if number != number.to_integral_value():
            return "it is not a whole number (PostgreSQL would round it)"
        value = int(number)
    elif const.kind == "string" and re.fullmatch(r"\s*[+-]?\d+\s*", const.value):
        value = int(const.value)
    elif const.kind == "string":
        return f"'{const.value}' is not an integer"
    else:
        return f"a {const.kind} is not an integer"
    return None if -limit <= value < limit else f"out of range for {ctype.name}"


def _number_text(const: Constant) -> str | None:
    if const.kind in ("integer", "numeric"):
        return str(const.value)
    if const.kind == "string":
        return const.value
    return None


def _numeric(const: Constant, ctype: ColumnType) -> str | None:
    text = _number_text(const)
    if text is None:
        return f"a {const.kind} is not a number"
    word = text.strip().lower()
    if word == "nan":
        return None
    if word in _INFINITY:
        return "numeric with a precision cannot hold an infinite value" if ctype.args else None
    if not _NUMBER.match(text):
        return f"'{text}' is not a number"
    if not ctype.args:
        return None
    precision, scale = ctype.args[0], ctype.args[1] if len(ctype.args) > 1 else 0
    number = Decimal(text)
    if number and number.adjusted() >= precision:
        return f"it does not fit {ctype} (at most {precision - scale} digit(s) before the point)"
    with localcontext() as exact:
        exact.prec = 2 * precision + 10
        rounded = number.quantize(Decimal(1).scaleb(-scale))
    if rounded and rounded.adjusted() + 1 > precision - scale:
        return f"it does not fit {ctype} (at most {precision - scale} digit(s) before the point)"
    return None


def _float(const: Constant, ctype: ColumnType) -> str | None:
    text = _number_text(const)
    if text is None:
        return f"a {const.kind} is not a number"
    word = text.strip().lower()
    if word == "nan" or word in _INFINITY:
        return None
    if not _NUMBER.match(text):
        return f"'{text}' is not a number"
    value = abs(Decimal(text))
    low, high = _FLOAT_RANGE[ctype.name]
    if value and not low <= value < high:  # would round to zero or to infinity
        return f"out of range for {ctype.name}"
    return None


def _string(const: Constant, ctype: ColumnType) -> str | None:
    if not ctype.args:
        return None
    if const.kind == "boolean":
        text = "true" if const.value else "false"
    elif const.kind == "bits":
        text = const.value[1:]
    elif const.kind == "numeric":
        text = format(Decimal(const.value), "f")
    else:
        text = str(const.value)
    limit = ctype.args[0]
    # longer is refused unless the rest is spaces (PostgreSQL drops those)
    if len(text) > limit and text[limit:].strip(" "):
        return f"it is longer than {limit} character(s)"
    return None


def _uuid(const: Constant, ctype: ColumnType) -> str | None:
    if const.kind != "string":
        return f"a {const.kind} is not a uuid"
    return None if _UUID.match(const.value) else f"'{const.value}' is not a uuid"


def _temporal(const: Constant, ctype: ColumnType) -> str | None:
    if const.kind != "string":
        return f"a {const.kind} is not a {ctype.name}"
    word = const.value.strip().lower()
    if word in _FIXED_AT_CREATION:
        return (f"'{const.value}' is read once, when the table is created; for the time of each insert "
                "use now() or CURRENT_DATE")
    if (word in ("infinity", "-infinity", "epoch") and ctype.name != "time") or (
            word == "allballs" and ctype.name == "time"):
        return None
    text = const.value.strip()
    try:
        if ctype.name != "time":
            dt.datetime.fromisoformat(text)
        elif ":" not in text or re.search(r"\d[Tt]\d", text):  # a date alone; PostgreSQL's time refuses 'T'
            raise ValueError(text)
        elif ":" in text[:3]:
            dt.time.fromisoformat(text)
        else:  # a timestamp: PostgreSQL keeps its time of day
            dt.datetime.fromisoformat(text)
    except ValueError:
        example = {"date": "2024-01-31", "time": "13:45:00"}.get(ctype.name, "2024-01-31 13:45:00+00")
        return f"'{const.value}' is not an ISO 8601 {ctype.name} (e.g. '{example}'; or cast it: '...'::{ctype.name})"
    return None


def _interval(const: Constant, ctype: ColumnType) -> str | None:
    if const.kind != "string":
        return f"a {const.kind} is not an interval (write e.g. '1 day')"
    return None if _INTERVAL.match(const.value) or _ISO_INTERVAL.match(const.value.strip()) else \
        f"'{const.value}' is not an interval (e.g. '1 day', '2 hours 30 minutes', 'P1DT2H')"


def _json(const: Constant, ctype: ColumnType) -> str | None:
    if const.kind != "string":
        return f"write JSON as a string, e.g. '{const.value}'" if const.kind != "boolean" else \
            f"write JSON as a string, e.g. '{str(const.value).lower()}'"
    try:
        json.loads(const.value, parse_constant=_no_constant)
    except ValueError:
        return f"'{const.value}' is not JSON"
    return None


def _no_constant(name: str):
    raise ValueError(name)


def _bytea(const: Constant, ctype: ColumnType) -> str | None:
    if const.kind != "string":
        return f"a {const.kind} is not bytea"
    text = const.value
    if text.startswith("\\x"):
        ok = re.fullmatch(r"(\s*[0-9a-fA-F]{2})*\s*", text[2:]) is not None
    else:
        ok = re.fullmatch(r"([^\\]|\\\\|\\[0-3][0-7]{2})*", text, re.S) is not None
    return None if ok else f"'{text}' is not bytea input (hex: '\\x0a1b', or escapes '\\\\' and '\\ooo')"


_CHECKS = {
    "boolean": _boolean, "integer": _integer, "numeric": _numeric, "float": _float, "string": _string,
    "uuid": _uuid, "date": _temporal, "time": _temporal, "timestamp": _temporal, "timestamptz": _temporal,
    "interval": _interval, "json": _json, "jsonb": _json, "bytea": _bytea,
}
