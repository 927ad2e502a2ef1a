"""Drops that PostgreSQL will refuse because something the plan leaves in place depends on
the object: an ignored view that calls an aggregate schema.yaml neither declares nor
ignores, a view in another schema that reads a dropped table. The whole apply would fail
and roll back at that statement; the plan says so beforehand instead, on the statement
("fails"), with what to do about it.

Only dependents outside what schemagen manages count (ignored, or in another schema): a
managed dependent that stays would be a planning error, which apply's own transaction
catches.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import text

from schemagen.live.depends import inside, whole
from schemagen.live.plan import Step

# a view depends on things through its _RETURN rule: name the view
_DESCRIBE = text("""
SELECT n, coalesce(
    (SELECT pg_describe_object('pg_class'::regclass, r.ev_class, 0) FROM pg_rewrite r
     WHERE split_part(n, '/', 1) = 'pg_rewrite' AND r.oid = CAST(split_part(n, '/', 2) AS oid)
       AND r.rulename = '_RETURN'),
    pg_describe_object(CAST(split_part(n, '/', 1) AS regclass), CAST(split_part(n, '/', 2) AS oid),
                       CAST(split_part(n, '/', 3) AS integer)))
FROM unnest(CAST(:nodes AS text[])) n
""")


def _managed(node: str, side) -> bool:
    return node in side.by_node or whole(node) in side.by_node


def refused(effects, live, conn) -> dict[str, list[str]]:
    """SQL of each drop PostgreSQL refuses -> what, left in place by the plan, depends on its object."""
    kept = [e for e in effects if not e.pruned]
    gone = set().union(*(e.removes for e in kept)) if kept else set()
    released = set().union(*(e.releases for e in kept)) if kept else set()
    found: dict[str, list[str]] = {}
    for e in kept:
        if not e.removes:
            continue
        stay = [b for b in live.graph.blockers(e.removes)
                if not inside(b, gone) and b not in released and not _managed(b, live)]
        if stay:
            found[e.stmt.sql] = sorted(set(stay))
    if not found:
        return {}
    nodes = sorted({n for ns in found.values() for n in ns})
    names = dict(conn.execute(_DESCRIBE, {"nodes": nodes}).all())
    return {sql: sorted({names.get(n) or n for n in ns}) for sql, ns in found.items()}


def mark(steps: list[Step], blocked: dict[str, list[str]]) -> list[Step]:
    """The steps, with each refused drop marked "fails" and why."""
    out = []
    for step in steps:
        users = blocked.get(step.sql)
        if users:
            step = replace(step, risk="fails", unsafe=(
                f"fails: {', '.join(users)} depend{'s' if len(users) == 1 else ''} on it and this plan leaves "
                f"{'it' if len(users) == 1 else 'them'} in place (ignored, or in another schema): "
                "add this object to ignore: too, or drop what depends on it first"))
        out.append(step)
    return out
