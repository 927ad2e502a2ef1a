"""Connections to the databases schemagen works on: one engine per connection,
a shared search_path, readable connection errors, and the advisory lock that
serialises applies."""

from __future__ import annotations

import contextlib
import time

from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from schemagen.connect import dburl
from schemagen.spec import model as m

ADVISORY_LOCK_KEY = 0x5C4E_6A11  # "schemagen apply", the same in every database


class DatabaseError(Exception):
    """Could not connect or lock; the message names the database, never the password."""

    def __init__(self, message: str, exit_code: int = 2):
        super().__init__(message)
        self.exit_code = exit_code


def engine(url: str, search_path: str | None = None, **kwargs):
    """An engine for one connection. The diff engine writes some names without their
    schema, so live and scratch sessions share a search_path: the managed schema."""
    # jit off: catalog queries are large but quick, and compiling them took seconds
    connect_args = {"connect_timeout": 10, "application_name": "schemagen", "options": "-c jit=off"}
    if search_path:
        connect_args["options"] += f" -c search_path={search_path}"
    return create_engine(dburl.sqlalchemy_url(url), poolclass=NullPool, connect_args=connect_args, **kwargs)


def search_path(schema: m.Schema) -> str:
    return schema.name + (",public" if schema.name != "public" else "")  # names are plain identifiers


@contextlib.contextmanager
def connect(url: str, search_path: str | None = None):
    eng = engine(url, search_path)
    try:
        conn = eng.connect()
    except DBAPIError as exc:
        raise DatabaseError(f"cannot connect to {dburl.describe(url)}: {dburl.reason(exc)}") from None
    try:
        yield conn
    finally:
        conn.close()
        eng.dispose()


@contextlib.contextmanager
def advisory_lock(conn, wait: float, where: str):
    deadline = time.monotonic() + wait
    while not conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": ADVISORY_LOCK_KEY}).scalar():
        conn.commit()
        if time.monotonic() > deadline:
            raise DatabaseError(f"another schemagen apply holds the lock on {where}; gave up after {wait:g}s "
                             "(nothing was changed; try again, or raise --lock-wait)")
        time.sleep(0.2)
    conn.commit()
    try:
        yield
    finally:
        with contextlib.suppress(Exception):  # a dead connection has released it already
            if conn.in_transaction():
                conn.rollback()
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": ADVISORY_LOCK_KEY})
            conn.commit()


