"""Database URLs: one normal form, a SQLAlchemy form, and a masked form for people.

Passwords never reach output: every URL shown anywhere goes through `mask`.
"""

from __future__ import annotations

from schemagen.connect import connection
from schemagen.connect import url as url_module


class UrlError(ValueError):
    """A database URL we cannot use; the message never holds the password."""


def normalize(url: str) -> str:
    """postgres://, postgresql:// and postgresql+psycopg:// as a libpq URL."""
    return _parsed(url).libpq()


def reason(exc: BaseException) -> str:
    """The server's own words for a database error (SQLAlchemy-wrapped or not), for people.
    libpq's connection messages name host, port and user, never the password."""
    orig = getattr(exc, "orig", None) or exc
    diag = getattr(orig, "diag", None)
    if diag is not None and diag.message_primary:
        return diag.message_primary
    text = " ".join(line.strip() for line in str(orig).splitlines() if line.strip())
    return text[:500] if text else type(orig).__name__


def sqlalchemy_url(url: str) -> str:
    return _parsed(url).sqlalchemy()


mask = url_module.mask


def _parsed(url: str) -> url_module.DatabaseUrl:
    try:
        return url_module.DatabaseUrl.parse(url)
    except url_module.ConnectionConfigError as exc:
        raise UrlError(str(exc)) from None


def parts(url: str) -> dict:
    """libpq's keywords for the URL (user, password, host, port, dbname, and the query's)."""
    p = _parsed(url)
    out = {
        "user": p.user,
        "password": p.password,
        "host": p.host,
        "port": str(p.port) if p.port else None,
        "dbname": p.dbname,
        **dict(p.query),
    }
    return {k: v for k, v in out.items() if v is not None}


def describe(url: str) -> str:
    """host:port/dbname as user (for messages)."""
    return _parsed(url).describe()


def with_database(url: str, dbname: str) -> str:
    """The same server and credentials, another database."""
    from dataclasses import replace

    return replace(_parsed(url), dbname=dbname).libpq()


def resolve(flag: str | None) -> str:
    """--db, DATABASE_URL, .env, then Secrets Manager (see connection.resolve)."""
    try:
        return connection.resolve(flag).url
    except connection.ConnectionConfigError as exc:
        raise UrlError(str(exc)) from None
