"""A uniquely named scratch database holding the rendered target, dropped
afterwards whatever happens (errors, Ctrl-C, SIGTERM)."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import uuid

from . import dburl


class ScratchError(Exception):
    """The scratch database could not be made; message is for people."""


@contextlib.contextmanager
def _sigterm_as_interrupt():
    """SIGTERM raises KeyboardInterrupt, so `finally` blocks still drop the scratch database."""
    def handler(signum, frame):
        raise KeyboardInterrupt
    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def _signals_deferred():
    """Hold Ctrl-C and SIGTERM off while cleaning up, so the cleanup itself is not cut short."""
    received = []
    try:
        previous = {sig: signal.signal(sig, lambda s, f: received.append(s)) for sig in (signal.SIGINT, signal.SIGTERM)}
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if received:
        raise KeyboardInterrupt


@contextlib.contextmanager
def scratch_database(server_url: str, sql: str):
    """Yield the URL of a new database on server_url's server holding sql."""
    import psycopg
    name = f"schemagen_scratch_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    url = dburl.with_database(server_url, name)
    with _sigterm_as_interrupt():
        try:
            _create(server_url, name)
            try:
                with psycopg.connect(url, connect_timeout=10) as conn, conn.transaction():
                    conn.execute(sql)
            except psycopg.Error as exc:
                raise ScratchError(f"the rendered schema does not load into PostgreSQL: {dburl.reason(exc)}") from None
            yield url
        finally:
            with _signals_deferred():
                _drop(server_url, name)


def _create(server_url: str, name: str) -> None:
    import psycopg
    try:
        with psycopg.connect(server_url, autocommit=True, connect_timeout=10) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
    except psycopg.errors.InsufficientPrivilege:
        raise ScratchError(f"the role cannot create databases on {dburl.describe(server_url)}: pass "
                           "--dev-url with a server of the same PostgreSQL major version where it can") from None
    except psycopg.Error as exc:
        raise ScratchError(f"cannot create a scratch database on {dburl.describe(server_url)}: "
                           f"{dburl.reason(exc)}") from None


def _drop(server_url: str, name: str) -> None:
    import psycopg
    try:
        with psycopg.connect(server_url, autocommit=True, connect_timeout=10) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    except psycopg.Error as exc:
        print(f"schemagen: could not drop scratch database {name}: {dburl.reason(exc)}", file=sys.stderr)
