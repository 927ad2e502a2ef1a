"""`ignore:` patterns: the names of objects in the live database that schemagen leaves
alone (diff, apply and import), by kind. `*` matches any run of characters, `?` one."""

from __future__ import annotations

import re

# the kinds a pattern can name; a child (column, constraint, index, trigger, policy) of an
# ignored table or view is ignored with it
KINDS = ("tables", "views", "sequences", "functions", "types", "extensions", "indexes", "triggers",
         "policies", "collations")


def pattern_problem(pattern) -> str | None:
    """Why a pattern is unusable, or None."""
    if not isinstance(pattern, str) or not pattern:
        return "a pattern is a non-empty name; `*` matches any characters, `?` one"
    if pattern.strip() != pattern:
        return f"pattern {pattern!r} has spaces around it"
    if set(pattern) <= {"*"}:
        return f"pattern {pattern!r} matches everything: name what to leave alone"
    if len(pattern.encode()) > 63 and "*" not in pattern and "?" not in pattern:
        return f"pattern {pattern!r} is longer than any PostgreSQL name (63 bytes)"
    return None


def regex(pattern: str) -> str:
    """The pattern as an anchored regular expression that PostgreSQL's `~` and Python's re read alike."""
    out = "".join(".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in pattern)
    return f"^{out}$"


def matches(pattern: str, name: str) -> bool:
    return re.match(regex(pattern), name, re.S) is not None
