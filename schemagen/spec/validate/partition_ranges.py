"""Partition bounds: values as PostgreSQL reads them, partitions generated per period
(`monthly: {from: 2024-01-01, to: 2027-01-01}` -> 36 partitions), and the checks that
need all of a table's partitions at once (overlapping ranges, a list value twice, hash
moduli, one default)."""

from __future__ import annotations

import datetime
import re

from schemagen.spec import model as m
from schemagen.spec import storage
from schemagen.spec.validate.context import Checker
from schemagen.spec.validate.storage import parameters

PERIODS = ("daily", "weekly", "monthly", "quarterly", "yearly")
MAX_GENERATED = 10000
TIME_TYPES = ("date", "timestamp", "timestamptz")
_START = {"daily": "a day", "weekly": "a Monday", "monthly": "the first of a month",
          "quarterly": "the first of January, April, July or October", "yearly": "the first of January"}


def bound(ctx: Checker, value, ctype, path: tuple, *, nulls: bool = False) -> m.Bound:
    """One bound value; dates and times on a timestamptz key are written in UTC so the bound
    does not depend on the session's time zone."""
    type_name = ctype.name if ctype is not None and not ctype.is_enum else None
    if value is None:
        if not nulls:
            ctx.error(path, "a range bound cannot be null (use minvalue or maxvalue)")
        return m.Bound("null")
    if isinstance(value, bool):
        return m.Bound("boolean", "true" if value else "false")
    if isinstance(value, (int, float)):
        return m.Bound("number", repr(value) if isinstance(value, float) else str(value))
    if isinstance(value, (datetime.date, datetime.datetime)):
        return m.Bound("text", _time_text(value, type_name))
    if isinstance(value, str):
        if not nulls and value.strip().lower() in ("minvalue", "maxvalue"):
            return m.Bound(value.strip().lower())
        return m.Bound("text", value)
    ctx.error(path, "expected one value (text, a number, a date, or minvalue/maxvalue)")
    return m.Bound("null")


def _time_text(value, type_name: str | None) -> str:
    if not isinstance(value, datetime.datetime):
        if type_name not in ("timestamp", "timestamptz"):
            return value.isoformat()
        value = datetime.datetime.combine(value, datetime.time())
    text = value.isoformat(sep=" ")
    if type_name == "timestamptz" and value.tzinfo is None:
        text += "+00"
    return text


# --- generated partitions ------------------------------------------------------------

def _aligned(period: str, d: datetime.date) -> bool:
    return {"daily": True, "weekly": d.weekday() == 0, "monthly": d.day == 1,
            "quarterly": d.day == 1 and d.month % 3 == 1, "yearly": d.day == 1 and d.month == 1}[period]


def _align_down(period: str, d: datetime.date) -> datetime.date:
    if period == "weekly":
        return d - datetime.timedelta(days=d.weekday())
    if period == "monthly":
        return d.replace(day=1)
    if period == "quarterly":
        return d.replace(day=1, month=d.month - (d.month - 1) % 3)
    return d.replace(day=1, month=1) if period == "yearly" else d


def _next(period: str, d: datetime.date) -> datetime.date:
    if period in ("daily", "weekly"):
        return d + datetime.timedelta(days=1 if period == "daily" else 7)
    months = {"monthly": 1, "quarterly": 3, "yearly": 12}[period]
    month = d.month - 1 + months
    return d.replace(year=d.year + month // 12, month=month % 12 + 1)


def _name(parent: str, period: str, d: datetime.date) -> str:
    if period == "yearly":
        return f"{parent}_{d.year}"
    if period == "quarterly":
        return f"{parent}_{d.year}_q{(d.month - 1) // 3 + 1}"
    if period == "monthly":
        return f"{parent}_{d.year}_{d.month:02d}"
    return f"{parent}_{d.year}_{d.month:02d}_{d.day:02d}"


def _date(ctx: Checker, value, path: tuple) -> datetime.date | None:
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
    ctx.error(path, f"expected a date (YYYY-MM-DD), got {value!r}")
    return None


def generate(ctx: Checker, parent: str, period: str, spec, key: m.PartitionKey, columns: dict, path: tuple
             ) -> list[m.Partition]:
    column = key.columns[0] if key.method == "range" and len(key.columns) == 1 else None
    ctype = columns[column].type if column in columns else None
    if ctype is None or ctype.is_enum or ctype.name not in TIME_TYPES:
        ctx.error(path, f"{period}: makes range partitions on one column of type date, timestamp or "
                        f"timestamptz; '{parent}' is not partitioned that way", key=True)
        return []
    start, end = _date(ctx, spec.from_, path + ("from",)), _date(ctx, spec.to, path + ("to",))
    if start is None or end is None:
        return []
    ok = True
    for which, d in (("from", start), ("to", end)):
        if not _aligned(period, d):
            ctx.error(path + (which,), f"{period} partitions start on {_START[period]}: {d} is not one "
                                       f"(did you mean {_align_down(period, d)}?)")
            ok = False
    if end <= start:
        ctx.error(path + ("to",), f"to: ({end}) must come after from: ({start})")
        ok = False
    if not ok:
        return []
    params = parameters(ctx, spec.with_, storage.TABLE, path + ("with",), "tables")
    out, d = [], start
    while d < end:
        if len(out) >= MAX_GENERATED:
            ctx.error(path, f"{period}: from {start} to {end} makes more than {MAX_GENERATED} partitions")
            return []
        following = _next(period, d)
        out.append(m.Partition(_name(parent, period, d), lower=(m.Bound("text", _time_text(d, ctype.name)),),
                               upper=(m.Bound("text", _time_text(following, ctype.name)),), storage=params))
        d = following
    return out


# --- all partitions of one parent together ---------------------------------------------

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2}(\+00)?)?$")


def _sortable(b: m.Bound):
    """A value ranges can be compared by, or None when this module cannot compare it."""
    if b.kind in ("minvalue", "maxvalue"):
        return b.kind
    if b.kind == "number":
        return float(b.value)
    if b.kind == "text" and _ISO.match(b.value):
        return b.value
    return None


def _before(a, b) -> bool:
    if a == "minvalue" or b == "maxvalue":
        return a != b
    if a == "maxvalue" or b == "minvalue":
        return False
    return a < b


def check_together(ctx: Checker, key: m.PartitionKey, placed: list[tuple[m.Partition, tuple]]) -> None:
    defaults = [where for p, where in placed if p.default]
    for where in defaults[1:]:
        ctx.error(where, "a partitioned table has one default partition at most")
    if key.method == "range" and len(key.columns) == 1:
        _ranges(ctx, [(p, w) for p, w in placed if p.lower and p.upper])
    if key.method == "list":
        seen: dict[m.Bound, str] = {}
        for p, where in placed:
            for v in p.values:
                if v in seen and seen[v] != p.name:
                    ctx.error(where, f"partitions '{seen[v]}' and '{p.name}' both take the value "
                                     f"{v.value or v.kind.upper()}")
                seen.setdefault(v, p.name)
    if key.method == "hash":
        _hashes(ctx, [(p, w) for p, w in placed if p.modulus])


def _ranges(ctx: Checker, placed) -> None:
    spans = []
    values = [_sortable(b) for p, _ in placed for b in (p.lower[0], p.upper[0])]
    plain = {type(v) for v in values if v not in ("minvalue", "maxvalue")}
    if None in values or len(plain) > 1:
        return  # values this module cannot compare: PostgreSQL checks them
    for p, where in placed:
        low, high = _sortable(p.lower[0]), _sortable(p.upper[0])
        if not _before(low, high):
            ctx.error(where, f"partition '{p.name}': from: must be below to:")
            continue
        spans.append((low, high, p.name, where))
    spans.sort(key=lambda s: (s[0] != "minvalue", s[0] if s[0] != "minvalue" else 0))
    for (_, high, name, _), (low, _, other, where) in zip(spans, spans[1:], strict=False):
        if _before(low, high):
            ctx.error(where, f"partitions '{name}' and '{other}' overlap")


def _hashes(ctx: Checker, placed) -> None:
    seen = {}
    for p, where in placed:
        if (p.modulus, p.remainder) in seen:
            ctx.error(where, f"partitions '{seen[(p.modulus, p.remainder)]}' and '{p.name}' have the same "
                             "modulus and remainder")
        seen.setdefault((p.modulus, p.remainder), p.name)
    moduli = sorted({p.modulus for p, _ in placed})
    for small, large in zip(moduli, moduli[1:], strict=False):
        if large % small:
            ctx.error(placed[0][1], f"hash partition moduli must each divide the next larger one; "
                                    f"{small} does not divide {large}")
