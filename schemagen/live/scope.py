"""What schemagen manages in a live schema: everything, but for the objects an `ignore:`
pattern names, and privileges only of the roles the schema names.

One Scope is applied to both databases before the diff engine compares them, to
the catalog digest and to schemagen's own planning, so an ignored object is never
created, altered or dropped, and never makes a plan.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from schemagen.spec import model as m
from schemagen.spec.ignore import KINDS, matches, regex


@dataclass(frozen=True)
class Scope:
    ignore: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (kind, patterns), kinds from KINDS
    roles: frozenset[str] = frozenset()                    # roles whose privileges are managed

    @classmethod
    def of(cls, ignore: dict[str, list[str]] | None = None, roles=()) -> Scope:
        ignore = ignore or {}
        unknown = set(ignore) - set(KINDS)
        if unknown:
            raise ValueError(f"unknown kind(s) to ignore: {', '.join(sorted(unknown))}")
        return cls(tuple((k, tuple(ignore[k])) for k in KINDS if ignore.get(k)), frozenset(roles))

    def merged(self, other: Scope) -> Scope:
        both: dict[str, list[str]] = {}
        for kind, patterns in self.ignore + other.ignore:
            both.setdefault(kind, [])
            both[kind] += [p for p in patterns if p not in both[kind]]
        return Scope.of(both, self.roles | other.roles)

    def ignored(self, kind: str | None, name: str | None) -> bool:
        if not kind or name is None:
            return False
        return any(k == kind and any(matches(p, name) for p in patterns) for k, patterns in self.ignore)

    def params(self) -> dict:
        """The catalog query's parameters (pgcatalog.sql)."""
        return {"ignore": json.dumps({k: [regex(p) for p in patterns] for k, patterns in self.ignore}),
                "roles": sorted(self.roles)}

    def header(self) -> str | None:
        """'not managed: tables legacy_*, audit; extensions postgis' for the plan's header."""
        if not self.ignore:
            return None
        return "not managed: " + "; ".join(f"{k} {', '.join(p)}" for k, p in self.ignore)


EVERYTHING = Scope()


def managed(schema: m.Schema, extra: Scope = EVERYTHING) -> Scope:
    """What schemagen manages for this schema.yaml: all but what its `ignore:` (and extra, from
    --ignore) leaves alone, and the privileges of the roles it declares, no other role's."""
    return Scope(schema.ignore, frozenset(r.name for r in schema.roles)).merged(extra)
