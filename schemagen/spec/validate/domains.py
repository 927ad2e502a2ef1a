"""Domains: a named type over another (builtin, enum, or another domain), with its own
NOT NULL, default, collation and named CHECKs on VALUE. Domains may build on each
other, so they are resolved in dependency order."""

from __future__ import annotations

from schemagen.spec import model as m
from schemagen.spec import naming
from schemagen.spec.shapes import DomainSpec
from schemagen.spec.types import ColumnType, NeedsDomain, TypeError_, known_names, parse_type
from schemagen.spec.validate.columnrefs import domain_check
from schemagen.spec.validate.columns import collation, default_value, type_at
from schemagen.spec.validate.context import Checker


def domains(ctx: Checker, raw: dict, enum_names: set) -> list[m.Domain]:
    """Every domain in an order where each comes after the domain it is over; sets
    ctx.domains (name -> the type it is over) for the columns that use them."""
    specs = {}
    for name, data in raw.items():
        if ctx.identifier(name, ("domains", name), "domain", key=True) and name in known_names(()):
            ctx.error(("domains", name), f"domain '{name}' would hide the builtin type of that name", key=True)
        spec = ctx.spec(DomainSpec, data, ("domains", name))
        if spec is not None:
            specs[name] = spec
    scope: dict[str, ColumnType | None] = dict.fromkeys(raw)
    ctx.domains = scope
    order = _resolve(ctx, specs, scope, enum_names)
    for name in raw:
        if scope[name] is None:  # broken, or part of a cycle: reported; columns may still use it
            scope[name] = ColumnType("text")
    return [_domain(ctx, name, specs[name], scope[name]) for name in order]


def _resolve(ctx: Checker, specs: dict, scope: dict, enum_names: set) -> list[str]:
    order, pending = [], dict(specs)
    while pending:
        progressed = False
        for name, spec in list(pending.items()):
            try:
                scope[name] = parse_type(spec.type, enum_names, scope)
            except NeedsDomain:
                continue
            except TypeError_:
                scope[name] = type_at(ctx, ("domains", name, "type"), spec.type, enum_names)
            order.append(name)
            del pending[name]
            progressed = True
        if not progressed:
            break
    for name in pending:
        ctx.error(("domains", name, "type"), f"domain '{name}' is over itself, through "
                  f"{' -> '.join(_chain(name, specs, enum_names))}")
    return order


def _chain(start: str, specs: dict, enum_names: set) -> list[str]:
    """start -> the domain it is over -> ... until a name repeats."""
    chain, name = [start], start
    while True:
        try:
            parse_type(specs[name].type, enum_names, dict.fromkeys(specs))
            return chain
        except NeedsDomain as need:
            name = need.name
        chain.append(name)
        if name == start or name not in specs or chain.count(name) > 1:
            return chain


def _domain(ctx: Checker, name: str, spec: DomainSpec, base: ColumnType) -> m.Domain:
    path = ("domains", name)
    if base.serial:
        ctx.error(path + ("type",), f"domain '{name}' cannot be {base}: serial is not a type "
                                    f"(use {base.name}, and serial or identity on the column)")
    default = default_value(ctx, spec.default, path + ("default",))
    collation(ctx, spec.collation, base.scalar, f"domain '{name}'", path + ("collation",))
    checks, seen = [], set()
    for i, check in enumerate(spec.checks):
        cpath = path + ("checks", i)
        if check.name is not None:
            ctx.identifier(check.name, cpath + ("name",), "check")
        elif None in seen:
            ctx.error(cpath, f"domain '{name}' has more than one unnamed check: name them (name:)")
        if check.name in seen and check.name is not None:
            ctx.error(cpath + ("name",), f"domain '{name}' has two checks named '{check.name}'")
        seen.add(check.name)
        ctx.expression(check.expression, cpath + ("expression",))
        domain_check(ctx, name, check.expression, cpath + ("expression",))
        checks.append(m.Check(naming.domain_check_name(name, check.name), check.expression, check.comment))
    return m.Domain(name, base, spec.not_null, default, spec.collation, tuple(checks), spec.comment,
                    ctx.lint_ignore(spec.lint, path + ("lint", "ignore")))
