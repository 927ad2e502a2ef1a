"""Database URLs: one normal form, a SQLAlchemy form, and a masked form for people.

Passwords never reach output: every URL shown anywhere goes through `mask`.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit, urlunsplit

from psycopg.conninfo import conninfo_to_dict

from schemagen.connect import connection


class UrlError(ValueError):
    """A database URL we cannot use; the message never holds the password."""


def normalize(url: str) -> str:
    """postgres://, postgresql:// and postgresql+psycopg:// as a libpq URL."""
    try:
        return connection.normalize(url)
    except connection.ConnectionConfigError as exc:
        raise UrlError(str(exc)) from None


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
    return "postgresql+psycopg://" + normalize(url)[len("postgresql://"):]


mask = connection.mask


def parts(url: str) -> dict:
    try:
        return conninfo_to_dict(normalize(url))
    except Exception as exc:  # psycopg's message may quote the URL: never show it
        raise UrlError(f"cannot read database URL {mask(url)}: {type(exc).__name__}") from None


def describe(url: str) -> str:
    """host:port/dbname as user (for messages)."""
    p = parts(url)
    return f"{p.get('host', 'localhost')}:{p.get('port', 5432)}/{p.get('dbname', '')} as {p.get('user', '?')}"


def with_database(url: str, dbname: str) -> str:
    """The same server and credentials, another database."""
    split = urlsplit(normalize(url))
    return urlunsplit(split._replace(path="/" + quote(dbname, safe="")))


def resolve(flag: str | None) -> str:
    """--db, DATABASE_URL, .env, then Secrets Manager (see connection.resolve)."""
    try:
        return connection.resolve(flag).url
    except connection.ConnectionConfigError as exc:
        raise UrlError(str(exc)) from None
