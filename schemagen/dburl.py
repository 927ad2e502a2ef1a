"""Database URLs: one normal form, a SQLAlchemy form, and a masked form for people.

Passwords never reach output: every URL shown anywhere goes through `mask`.
"""

from __future__ import annotations

import os
from urllib.parse import quote, urlsplit, urlunsplit

from psycopg.conninfo import conninfo_to_dict


class UrlError(ValueError):
    """A database URL we cannot use; the message never holds the password."""


def normalize(url: str) -> str:
    """postgres://, postgresql:// and postgresql+psycopg:// as a libpq URL."""
    url = url.strip()
    for prefix in ("postgresql+psycopg://", "postgresql+psycopg2://", "postgres://"):
        if url.startswith(prefix):
            url = "postgresql://" + url[len(prefix):]
    if not url.startswith("postgresql://"):
        raise UrlError(f"not a PostgreSQL URL: {mask(url)} (expected postgresql://user@host:port/dbname)")
    return url


def sqlalchemy_url(url: str) -> str:
    return "postgresql+psycopg://" + normalize(url)[len("postgresql://"):]


def mask(url: str) -> str:
    """The URL with its password replaced by ***."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unreadable URL>"
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


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
    """--db flag, else DATABASE_URL."""
    url = flag or os.environ.get("DATABASE_URL")
    if not url:
        raise UrlError("no database given: pass --db URL or set DATABASE_URL "
                       "(for the local dev server: export DATABASE_URL=$(schemagen dev up))")
    return normalize(url)
