"""Databases holding the rendered target.

A scratch database is uniquely named and dropped afterwards whatever happens
(errors, Ctrl-C, SIGTERM). A cached target (opt-in, for dev servers) is kept,
read-only, under a name derived from the SQL it holds, so the next run with the
same schema skips building it. Both go to the tablespace `schemagen_scratch`
when the server has one (`schemagen dev up` puts it in RAM): building a
database is mostly creating files.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import sys
import threading
import time
import uuid

from schemagen.connect import dburl

TABLESPACE = "schemagen_scratch"
SCRATCH_PREFIX = "schemagen_scratch_"
ORPHAN_AGE = 3600  # seconds: far longer than any run takes to connect to its scratch database
TARGET_PREFIX = "schemagen_target_"
KEEP_TARGETS = 3  # cached targets kept per server (the newest), so switching branches stays quick


class ScratchError(Exception):
    """The scratch database could not be made; message is for people."""


def interruption(signum: int) -> KeyboardInterrupt:
    """A KeyboardInterrupt that remembers its signal (the CLI exits 128 + signum)."""
    exc = KeyboardInterrupt()
    exc.signum = signum
    return exc


@contextlib.contextmanager
def _sigterm_as_interrupt():
    """SIGTERM raises KeyboardInterrupt, so `finally` blocks still drop the scratch database."""
    def handler(signum, frame):
        raise interruption(signum)
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
        raise interruption(received[-1])


@contextlib.contextmanager
def scratch_database(server_url: str, sql: str, keep_as: str | None = None):
    """Yield the URL of a new database on server_url's server holding sql.
    keep_as: once loaded, keep it under this name, read-only, instead of dropping it."""
    name = _scratch_name()
    url = dburl.with_database(server_url, name)
    with _sigterm_as_interrupt():
        try:
            _create(server_url, name)
            _load(url, sql)
            if keep_as and _keep(server_url, name, keep_as):
                url = dburl.with_database(server_url, keep_as)
            yield url
        finally:
            with _signals_deferred():
                _drop(server_url, name)  # IF EXISTS: a kept database has its new name


def cache_wanted(target_cache: bool | None, dev_url: str | None) -> bool:
    """--target-cache / --no-target-cache, else on only for a --dev-url server: a live
    server never keeps a database of ours unasked."""
    return target_cache if target_cache is not None else bool(dev_url)


def _scratch_name() -> str:
    """Unique, and dated: a run killed outright (SIGKILL, power loss) cannot drop its
    own, so later runs drop those older than ORPHAN_AGE that nobody is connected to."""
    return f"{SCRATCH_PREFIX}{int(time.time())}_{os.getpid()}_{uuid.uuid4().hex[:8]}"


class EarlyScratch:
    """A scratch database being built in the background from a guess at the target SQL."""

    def __init__(self, server_url: str, sql: str):
        self.sql, self.name = sql, _scratch_name()
        self.url = dburl.with_database(server_url, self.name)
        self.created = self.loaded = False
        self._loading = None  # the connection loading it, so a wrong guess can be cancelled
        self._thread = threading.Thread(target=self._build, args=(server_url,), daemon=True)
        self._thread.start()

    def _build(self, server_url: str) -> None:
        try:
            _create(server_url, self.name)
            self.created = True
            _load(self.url, self.sql, on_connect=lambda conn: setattr(self, "_loading", conn))
            self.loaded = True
        except Exception:  # noqa: S110 - the ordinary path builds again and reports the problem
            pass
        finally:
            self._loading = None

    def take(self, sql: str, while_waiting=lambda: None) -> str | None:
        """The database's URL when the guess was sql and it loaded; else None.
        while_waiting() is called if it is still loading, for work that can overlap."""
        if sql != self.sql:
            self.cancel()
            return None
        if self._thread.is_alive():
            while_waiting()
        self._thread.join()
        return self.url if self.loaded else None

    def cancel(self) -> None:
        """Stop a load nobody will use (a wrong guess, or schema.yaml had errors)."""
        conn = self._loading
        if conn is not None:
            with contextlib.suppress(Exception):
                conn.cancel_safe(timeout=5)
        self._thread.join()


@contextlib.contextmanager
def early_scratch(server_url: str, guess: str | None):
    """Start building a scratch database from guess (the committed generated/schema.sql)
    while the caller is still reading schema.yaml, which takes about as long; yield an
    EarlyScratch (None without a guess). Dropped at the end, used or not."""
    if guess is None:
        yield None
        return
    with _sigterm_as_interrupt():
        early = None
        try:
            early = EarlyScratch(server_url, guess)
            yield early
        finally:
            with _signals_deferred():
                if early is not None:
                    early.cancel()  # and wait: a drop before its CREATE DATABASE would leave it behind
                    if early.created:
                        _drop(server_url, early.name)


@contextlib.contextmanager
def target_database(server_url: str, sql: str, cache: bool, while_building=lambda: None):
    """Yield the URL of a database holding sql: a scratch one, or with cache the
    kept one for this exact sql (built on first use). while_building() is called
    before a database is built, for work that can overlap with it."""
    if not cache:
        while_building()
        with scratch_database(server_url, sql) as url:
            yield url
        return
    name = TARGET_PREFIX + hashlib.sha256(f"v1\n{sql}".encode()).hexdigest()[:24]
    if not _exists(server_url, name):
        while_building()
        with scratch_database(server_url, sql, keep_as=name):
            pass
        _prune(server_url)
    yield dburl.with_database(server_url, name)


def _load(url: str, sql: str, on_connect=lambda conn: None) -> None:
    """sql into the database at url, in one transaction; on_connect(conn) sees the
    connection first (so another thread can cancel the load)."""
    import psycopg
    try:
        with psycopg.connect(url, connect_timeout=10) as conn, conn.transaction():
            on_connect(conn)
            conn.execute(sql)
    except psycopg.Error as exc:
        raise ScratchError(f"the rendered schema does not load into PostgreSQL: {dburl.reason(exc)}") from None


def _create(server_url: str, name: str) -> None:
    import psycopg
    try:
        with psycopg.connect(server_url, autocommit=True, connect_timeout=10) as admin:
            usable = admin.execute("SELECT has_tablespace_privilege(oid, 'CREATE') FROM pg_tablespace "
                                   "WHERE spcname = %s", (TABLESPACE,)).fetchone()
            where = f' TABLESPACE "{TABLESPACE}"' if usable and usable[0] else ""
            admin.execute(f'CREATE DATABASE "{name}"{where}')
    except psycopg.errors.InsufficientPrivilege:
        raise ScratchError(f"the role cannot create databases on {dburl.describe(server_url)}: pass "
                           "--dev-url with a server of the same PostgreSQL major version where it can") from None
    except psycopg.Error as exc:
        raise ScratchError(f"cannot create a scratch database on {dburl.describe(server_url)}: "
                           f"{dburl.reason(exc)}") from None


def _drop(server_url: str, name: str) -> None:
    """Drop our scratch database, and orphans of killed runs while at it."""
    import psycopg
    try:
        with psycopg.connect(server_url, autocommit=True, connect_timeout=10) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            _drop_orphans(admin)
    except psycopg.Error as exc:
        print(f"schemagen: could not drop scratch database {name}: {dburl.reason(exc)}", file=sys.stderr)


def _drop_orphans(admin) -> None:
    import psycopg
    names = [r[0] for r in admin.execute("SELECT datname FROM pg_database WHERE starts_with(datname, %s)",
                                         (SCRATCH_PREFIX,))]
    for name in names:
        stamp = name[len(SCRATCH_PREFIX):].split("_", 1)[0]
        if stamp.isdigit() and int(stamp) < time.time() - ORPHAN_AGE:
            # without FORCE: one somebody is still connected to stays
            with contextlib.suppress(psycopg.errors.ObjectInUse, psycopg.errors.InsufficientPrivilege):
                admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


def _exists(server_url: str, name: str) -> bool:
    import psycopg
    try:
        with psycopg.connect(server_url, autocommit=True, connect_timeout=10) as admin:
            return admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None
    except psycopg.Error as exc:
        raise ScratchError(f"cannot reach {dburl.describe(server_url)}: {dburl.reason(exc)}") from None


def _keep(server_url: str, name: str, keep_as: str) -> bool:
    """Rename the loaded scratch database to keep_as, read-only; False when another
    run kept the same target first (ours is then dropped as usual)."""
    import psycopg
    try:
        with psycopg.connect(server_url, autocommit=True, connect_timeout=10) as admin:
            admin.execute(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
            admin.execute(f'ALTER DATABASE "{name}" RENAME TO "{keep_as}"')
    except psycopg.errors.DuplicateDatabase:
        return False
    except psycopg.Error as exc:
        raise ScratchError(f"cannot keep the target database on {dburl.describe(server_url)}: "
                           f"{dburl.reason(exc)}") from None
    return True


def _prune(server_url: str) -> None:
    """Drop cached targets beyond the newest KEEP_TARGETS; one in use stays."""
    import psycopg
    with contextlib.suppress(psycopg.Error), \
            psycopg.connect(server_url, autocommit=True, connect_timeout=10) as admin:
        names = [r[0] for r in admin.execute(
            "SELECT datname FROM pg_database WHERE starts_with(datname, %s) ORDER BY oid::bigint DESC",
            (TARGET_PREFIX,))]
        for name in names[KEEP_TARGETS:]:
            with contextlib.suppress(psycopg.errors.ObjectInUse):
                admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
