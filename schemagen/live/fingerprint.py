"""The in-sync shortcut: two schemas with equal catalog digests need no plan.

The digest (catalog.py) is a sha256 over every object of the schema as
PostgreSQL stores it, made by the server in one round trip. When the live and
target digests are equal there is nothing to plan, and the diff engine (about a
second of inspection for a few hundred tables) need not run or even be imported.
The shortcut is sound because the digest covers more than the diff engine
compares; what it leaves out on purpose is listed in docs/live-changes.md and
pinned by tests/live/test_drift.py.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from schemagen.live import pgcatalog
from schemagen.live.scope import EVERYTHING, Scope


def digest(conn, schema: str, scope: Scope = EVERYTHING) -> str:
    """The digest the planner compares (it reads it with the rows, in the same query)."""
    return pgcatalog.rows_and_digest(conn, schema, scope)[1]


def same(live, target, schema: str, scope: Scope = EVERYTHING) -> bool:
    """True only when the two databases' schemas are the same in everything schemagen manages."""
    with ThreadPoolExecutor(max_workers=1) as pool:  # each waits on its own server
        theirs = pool.submit(digest, target, schema, scope)
        return digest(live, schema, scope) == theirs.result()
