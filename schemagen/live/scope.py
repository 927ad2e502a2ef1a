"""What schemagen manages in a live schema: everything, but for the objects an `ignore:`
pattern names, and privileges only of the roles the schema names.

One Scope is applied to both databases before the diff engine compares them, to
the catalog digest and to schemagen's own planning, so an ignored object is never
created, altered or dropped, and never makes a plan.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

# the kinds a pattern can name; a child (column, constraint, index, trigger, policy)
# of an ignored table or view is ignored with it
KINDS = ("tables", "views", "sequences", "functions", "types", "extensions", "indexes", "triggers",
         "policies", "collations")


def pattern_problem(pattern) -> str | None:
    """Why a pattern is unusable, or None. `*` is any run of characters, `?` one character."""
    if not isinstance(pattern, str) or not pattern.strip():
        return "a pattern is a non-empty name; `*` matches any characters, `?` one"
    if pattern.strip() != pattern:
        return f"pattern {pattern!r} has spaces around it"
    if pattern.count("*") == len(pattern):
        return f"pattern {pattern!r} matches everything; list the names to leave alone"
    return None


def regex(pattern: str) -> str:
    """The pattern as an anchored POSIX regular expression (PostgreSQL's `~`) that Python's re reads alike."""
    out = "".join(".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in pattern)
    return f"^{out}$"


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
        return any(k == kind and any(re.match(regex(p), name, re.S) for p in patterns)
                   for k, patterns in self.ignore)

    def params(self) -> dict:
        """The catalog query's parameters (catalog.sql)."""
        return {"ignore": json.dumps({k: [regex(p) for p in patterns] for k, patterns in self.ignore}),
                "roles": sorted(self.roles)}

    def header(self) -> str | None:
        """'not managed: tables legacy_*, audit; extensions postgis' for the plan's header."""
        if not self.ignore:
            return None
        return "not managed: " + "; ".join(f"{k} {', '.join(p)}" for k, p in self.ignore)


EVERYTHING = Scope()
