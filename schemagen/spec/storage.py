"""Storage parameters (`with:`) PostgreSQL 15 accepts on tables and on each index
method, with their kinds and ranges (from PostgreSQL's reloptions.c), so a typo or a
value out of range is a schema.yaml error rather than a failed apply.

A parameter's value is stored by PostgreSQL as the text it was given (pg_class.reloptions
holds 'fillfactor=70'); `normal_value` decides that text once, so schema.sql, the models
and the catalog agree.
"""

from __future__ import annotations

from dataclasses import dataclass

INT_MAX = 2147483647
_BOOL_WORDS = ("true", "false", "on", "off", "yes", "no", "1", "0")


@dataclass(frozen=True)
class Parameter:
    kind: str                      # bool, int, real, enum
    low: float = 0
    high: float = INT_MAX
    words: tuple[str, ...] = ()    # enum: the values it takes


def _int(low, high=INT_MAX) -> Parameter:
    return Parameter("int", low, high)


_BOOL, _REAL_0_100 = Parameter("bool"), Parameter("real", 0, 100)

# parameters a table's TOAST table takes too, as toast.<name>
_AUTOVACUUM = {
    "autovacuum_enabled": _BOOL,
    "autovacuum_vacuum_threshold": _int(0),
    "autovacuum_vacuum_insert_threshold": _int(-1),
    "autovacuum_vacuum_scale_factor": _REAL_0_100,
    "autovacuum_vacuum_insert_scale_factor": _REAL_0_100,
    "autovacuum_vacuum_cost_delay": _REAL_0_100,
    "autovacuum_vacuum_cost_limit": _int(1, 10000),
    "autovacuum_freeze_min_age": _int(0, 1000000000),
    "autovacuum_freeze_max_age": _int(100000, 2000000000),
    "autovacuum_freeze_table_age": _int(0, 2000000000),
    "autovacuum_multixact_freeze_min_age": _int(0, 1000000000),
    "autovacuum_multixact_freeze_max_age": _int(10000, 2000000000),
    "autovacuum_multixact_freeze_table_age": _int(0, 2000000000),
    "log_autovacuum_min_duration": _int(-1),
    "vacuum_index_cleanup": Parameter("enum", words=("auto",) + _BOOL_WORDS),
    "vacuum_truncate": _BOOL,
}

TABLE = {
    "fillfactor": _int(10, 100),
    "toast_tuple_target": _int(128, 8160),
    "parallel_workers": _int(0, 1024),
    "autovacuum_analyze_threshold": _int(0),
    "autovacuum_analyze_scale_factor": _REAL_0_100,
    "user_catalog_table": _BOOL,
    **_AUTOVACUUM,
    **{f"toast.{k}": v for k, v in _AUTOVACUUM.items()},
}

_FILLFACTOR = {"fillfactor": _int(10, 100)}
INDEX = {
    "btree": {**_FILLFACTOR, "deduplicate_items": _BOOL},
    "hash": _FILLFACTOR,
    "gist": {**_FILLFACTOR, "buffering": Parameter("enum", words=("auto", "on", "off"))},
    "spgist": _FILLFACTOR,
    "gin": {"fastupdate": _BOOL, "gin_pending_list_limit": _int(64)},
    "brin": {"pages_per_range": _int(1, 131072), "autosummarize": _BOOL},
}


def normal_value(value) -> str:
    """The text PostgreSQL stores for a value given in YAML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value).strip().lower() if isinstance(value, str) else str(value)


def problem(param: Parameter, value) -> str | None:
    """Why value does not suit param, or None."""
    if param.kind == "bool":
        if isinstance(value, bool) or (isinstance(value, str) and value.strip().lower() in _BOOL_WORDS):
            return None
        return "expected true or false"
    if param.kind == "enum":
        text = normal_value(value)
        return None if text in param.words else f"expected one of {', '.join(param.words)}"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "expected a number"
    if param.kind == "int" and not isinstance(value, int):
        return "expected a whole number"
    if not param.low <= value <= param.high:
        high = "" if param.high == INT_MAX else f" and {param.high:g}"
        return f"must be between {param.low:g}{high}" if high else f"must be at least {param.low:g}"
    return None
