"""`ignore:`: name patterns, by kind, of objects in the live database that schemagen
leaves alone. A pattern must be usable, and must not match what schema.yaml itself
declares (an object cannot be both managed and left alone)."""

from __future__ import annotations

import difflib

from schemagen.spec.ignore import KINDS, matches, pattern_problem
from schemagen.spec.validate.context import Checker


def ignore(ctx: Checker, raw, declared: dict[str, set[str]]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The valid patterns as (kind, patterns), in KINDS order; every problem is recorded."""
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        ctx.error(("ignore",), "ignore: must map a kind of object (" + ", ".join(KINDS) + ") to a list of "
                  "name patterns")
        return ()
    found: dict[str, tuple[str, ...]] = {}
    for kind, patterns in raw.items():
        if kind not in KINDS:
            near = difflib.get_close_matches(str(kind), KINDS, n=1)
            hint = f" (did you mean '{near[0]}'?)" if near else f" (one of: {', '.join(KINDS)})"
            ctx.error(("ignore", kind), f"ignore: unknown kind of object '{kind}'{hint}", key=True)
            continue
        if isinstance(patterns, str):
            patterns = [patterns]
        if not isinstance(patterns, list):
            ctx.error(("ignore", kind), f"ignore: {kind}: a list of name patterns, like [legacy_*, audit_log]")
            continue
        good = []
        for i, pattern in enumerate(patterns):
            problem = pattern_problem(pattern)
            if problem:
                ctx.error(("ignore", kind, i), f"ignore: {kind}: {problem}")
                continue
            clash = sorted(n for n in declared.get(kind, ()) if matches(pattern, n))
            if clash:
                ctx.error(("ignore", kind, i), f"ignore: {kind}: pattern '{pattern}' matches {clash[0]}, which "
                          "schema.yaml declares: an object cannot be managed and left alone (narrow the pattern)")
                continue
            good.append(pattern)
        found[kind] = tuple(good)
    return tuple((k, found[k]) for k in KINDS if found.get(k))
