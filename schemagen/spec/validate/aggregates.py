"""Aggregates (`aggregates:`): argument and state types, and the state and final functions,
declared here with the signature CREATE AGGREGATE looks for, or written pg_catalog.<name>."""

from __future__ import annotations

from schemagen.spec import model as m
from schemagen.spec.shapes_functions import AggregateSpec
from schemagen.spec.validate.context import Checker
from schemagen.spec.validate.functions import routine_type


def aggregates(ctx: Checker, raw: dict, relations: dict, functions: list[m.Function]) -> list[m.Aggregate]:
    out = []
    names = {f.name for f in functions}
    for name, data in raw.items():
        path = ("aggregates", name)
        ctx.identifier(name, path, "aggregate", key=True)
        if name in names:
            ctx.error(path, f"aggregate '{name}' has the name of a function (an aggregate is a function: "
                            "PostgreSQL would not tell them apart by name)", key=True)
        spec = ctx.spec(AggregateSpec, data, path)
        if spec is None:
            continue
        args = tuple(routine_type(ctx, t, path + ("arguments", i), relations) for i, t in enumerate(spec.arguments))
        stype = routine_type(ctx, spec.stype, path + ("stype",), relations)
        declared = []
        if _support(ctx, spec.sfunc, (stype, *args), stype, path + ("sfunc",), functions):
            declared.append("sfunc")
        if spec.finalfunc and _support(ctx, spec.finalfunc, (stype,), None, path + ("finalfunc",), functions):
            declared.append("finalfunc")
        out.append(m.Aggregate(name, args, spec.sfunc, stype, spec.finalfunc, spec.initcond, spec.parallel,
                               spec.comment, tuple(declared)))
    return out


def _support(ctx: Checker, written: str, wanted: tuple, returns, path: tuple, functions: list[m.Function]) -> bool:
    """True when `written` is one of this schema's functions (checked against the signature
    CREATE AGGREGATE looks up); pg_catalog.<name> is left to PostgreSQL."""
    if written.startswith("pg_catalog."):
        return False
    keys = tuple(t.key for t in wanted)
    mine = [f for f in functions if f.name == written]
    if not any(tuple(t.key for t in f.signature) == keys for f in mine):
        have = ", ".join(f"{f.name}({', '.join(t.key for t in f.signature)})" for f in mine) or "none declared"
        ctx.error(path, f"'{written}' must be a function of this schema taking ({', '.join(keys)}) "
                        f"(have: {have}), or pg_catalog.<name>")
        return False
    fn = next(f for f in mine if tuple(t.key for t in f.signature) == keys)
    if returns is not None and (fn.returns is None or fn.returns.key != returns.key):
        ctx.error(path, f"state function '{written}' must return the state type {returns.key}")
    return True
