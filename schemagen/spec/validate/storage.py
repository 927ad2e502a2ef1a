"""Storage parameters (`with:`) of tables, partitions and indexes."""

from __future__ import annotations

from schemagen.diagnostics import did_you_mean
from schemagen.spec import model as m
from schemagen.spec import storage
from schemagen.spec.validate.context import Checker


def parameters(ctx: Checker, values: dict, catalogue: dict, path: tuple, what: str) -> m.StorageParameters:
    """The parameters as PostgreSQL stores them, in the order written (PostgreSQL keeps
    that order); each unknown name or bad value is reported at its key."""
    out = []
    for key, value in values.items():
        param = catalogue.get(key)
        if param is None:
            known = ", ".join(sorted(catalogue)) if len(catalogue) <= 4 else ""
            hint = did_you_mean(key, list(catalogue)) or (f" ({what} takes {known})" if known else "")
            ctx.error(path + (key,), f"unknown storage parameter '{key}' for {what}{hint}", key=True)
            continue
        why = storage.problem(param, value)
        if why:
            ctx.error(path + (key,), f"storage parameter {key}: {why}, got {_show(value)}")
            continue
        out.append((key, storage.normal_value(value)))
    return tuple(out)


def _show(value) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return repr(value) if isinstance(value, str) else str(value)
