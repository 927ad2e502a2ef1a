"""SQL text for both kinds of connection, with SQLAlchemy imported only when it is used.

The modules whose queries the SQLAlchemy-free apply (quickapply.py) runs keep their SQL
as plain strings with SQLAlchemy's `:name` parameters; `text()` makes SQLAlchemy's
construct on first use (cached per string, so its compiled form is reused), and
`pyformat()` makes the same SQL psycopg runs directly.
"""

from __future__ import annotations

import re
from functools import cache

# SQLAlchemy's own rule for a bound parameter in text(): `:name`, not `::type` nor `\:`
_BIND = re.compile(r"(?<![:\w\x5c]):(\w+)(?!:)")


@cache
def text(sql: str):
    from sqlalchemy import text as make
    return make(sql)


@cache
def pyformat(sql: str) -> str:
    """sql with `:name` as psycopg's `%(name)s`, as SQLAlchemy compiles it for psycopg."""
    escaped = sql.replace("%", "%%")
    return _BIND.sub(lambda m: f"%({m.group(1)})s", escaped).replace("\\:", ":")
