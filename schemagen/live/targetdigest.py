"""The catalog digest of a target database, remembered in the user cache.

A target database holding schema.sql is built only to be read; its digest (pgcatalog.py)
follows from the SQL, the server's version, the managed scope and the code that reads
the catalog, so it is kept under those: an apply to an empty schema then checks that the
result converged against it without building a target at all (quickapply.py). A stale
entry cannot pass a wrong result: the result is what that very SQL made, and when the
two digests differ the target is built and read before anything is said.
"""

from __future__ import annotations

import hashlib
import json

from schemagen.diagnostics import cache

KIND = "target-digests"


def _key(sql: str) -> str:
    from schemagen.live.pgcatalog import digest_query  # the query that reads the catalog, whole
    return hashlib.sha256(f"{digest_query()}\0{sql}".encode()).hexdigest()


def _entries(sql: str) -> dict:
    data = cache.read(KIND, _key(sql))
    try:
        entries = json.loads(data) if data else {}
    except ValueError:  # a damaged entry is a miss
        return {}
    return entries if isinstance(entries, dict) else {}


def _variant(server_version: str, params: dict) -> str:
    return f"{server_version} {json.dumps(params, sort_keys=True)}"


def known(sql: str) -> bool:
    """Whether any digest of this SQL is remembered (on some server, in some scope)."""
    return bool(_entries(sql))


def recall(sql: str, server_version: str, params: dict) -> str | None:
    value = _entries(sql).get(_variant(server_version, params))
    return value if isinstance(value, str) else None


def remember(sql: str, server_version: str, params: dict, digest: str) -> None:
    entries = _entries(sql)
    entries[_variant(server_version, params)] = digest
    cache.write(KIND, _key(sql), json.dumps(entries, sort_keys=True).encode())
