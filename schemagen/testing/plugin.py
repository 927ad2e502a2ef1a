"""pytest plugin: a fresh PostgreSQL database holding your schema for every test.

Installed with schemagen (entry point `pytest11`), active in every project that has it:

- `schemagen_template` (session): a template database built once from schema.yaml (or, with
  `--schemagen-sql generated/schema.sql`, from that file), reused by later runs while the SQL
  is unchanged (its name carries the SQL's hash);
- `schemagen_db` (function): the URL of a new database cloned from the template
  (`CREATE DATABASE ... TEMPLATE`), dropped after the test;
- `schemagen_connection` (function): a SQLAlchemy connection to one session-wide clone, inside a
  transaction that is rolled back after the test (quicker; the test must not commit).

The server: SCHEMAGEN_TEST_DATABASE_URL (a role that may create databases), else the private
dev server under .schemagen/ (started if need be, and stopped at the end if this run started it).
"""

from __future__ import annotations

import hashlib
import os
import uuid
from pathlib import Path

import pytest

TEMPLATE_PREFIX = "schemagen_tpl_"
CLONE_PREFIX = "schemagen_test_"


def pytest_addoption(parser) -> None:
    group = parser.getgroup("schemagen", "databases from a schemagen schema.yaml")
    group.addoption("--schemagen-schema", default=None, help="schema file (default: schema.yaml, or the "
                    "schemagen_schema ini value)")
    group.addoption("--schemagen-sql", default=None, help="build the template from this SQL file instead "
                    "(e.g. generated/schema.sql)")
    parser.addini("schemagen_schema", "schema file for the schemagen fixtures", default="schema.yaml")


def _sql(config) -> str:
    sql_file = config.getoption("schemagen_sql")
    if sql_file:
        return Path(config.rootpath, sql_file).read_text(encoding="utf-8")
    from schemagen import api
    from schemagen.render.pipeline import render_schema_sql
    schema_file = config.getoption("schemagen_schema") or config.getini("schemagen_schema")
    return render_schema_sql(api.load(Path(config.rootpath, schema_file)))


@pytest.fixture(scope="session")
def schemagen_server(pytestconfig):
    """URL of a database on the server the fixtures use (any database: they connect to others)."""
    url = os.environ.get("SCHEMAGEN_TEST_DATABASE_URL")
    if url:
        yield url
        return
    from schemagen.dev.server import DevServer
    server = DevServer(Path(pytestconfig.rootpath, ".schemagen"))
    started = not server.running()
    url = server.up()
    try:
        yield url
    finally:
        if started:
            server.down()


def _admin(url: str):
    import psycopg
    return psycopg.connect(url, autocommit=True)


@pytest.fixture(scope="session")
def schemagen_template(pytestconfig, schemagen_server) -> str:
    """Name of the template database holding the schema (built once per SQL text)."""
    from schemagen.connect.dburl import with_database
    sql = _sql(pytestconfig)
    name = TEMPLATE_PREFIX + hashlib.sha256(sql.encode()).hexdigest()[:20]
    with _admin(schemagen_server) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            return name
        building = f"{name}_{uuid.uuid4().hex[:6]}"
        conn.execute(f'CREATE DATABASE "{building}"')
    try:
        import psycopg
        with psycopg.connect(with_database(schemagen_server, building)) as db, db.transaction():
            db.execute(sql)
        with _admin(schemagen_server) as conn:
            conn.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')  # visible only once complete
    except Exception:
        with _admin(schemagen_server) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)')
        raise
    return name


class Clones:
    """Databases copied from the template by one background thread that keeps its own
    connection: the next clone is made while the current test runs, and dropping happens
    behind the tests too, so a test waits only when clones are used faster than made."""

    def __init__(self, server_url: str, template: str):
        from concurrent.futures import ThreadPoolExecutor
        self.server_url, self.template = server_url, template
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="schemagen-clones")
        self.conn = None
        self.next = self.worker.submit(self._clone)

    def _admin(self):
        if self.conn is None or self.conn.closed:
            self.conn = _admin(self.server_url)
        return self.conn

    def _clone(self) -> str:
        from schemagen.connect.dburl import with_database
        conn = self._admin()
        name = CLONE_PREFIX + uuid.uuid4().hex[:12]
        # a file copy is quicker than WAL-logging a small template (PostgreSQL 15 and later)
        strategy = " STRATEGY = FILE_COPY" if conn.info.server_version >= 150000 else ""
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"{strategy}')
        return with_database(self.server_url, name)

    def _drop(self, url: str) -> None:
        name = url.rsplit("/", 1)[1].split("?", 1)[0]
        self._admin().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def take(self) -> str:
        url = self.next.result()
        self.next = self.worker.submit(self._clone)
        return url

    def give_back(self, url: str) -> None:
        self.worker.submit(self._drop, url)

    def close(self) -> None:
        try:
            self.give_back(self.next.result())
        finally:
            self.worker.submit(lambda: self.conn and self.conn.close())
            self.worker.shutdown(wait=True)


@pytest.fixture(scope="session")
def _schemagen_clones(schemagen_server, schemagen_template):
    clones = Clones(schemagen_server, schemagen_template)
    try:
        yield clones
    finally:
        clones.close()


@pytest.fixture
def schemagen_db(_schemagen_clones) -> str:
    """URL of a fresh database holding the schema, for this test alone."""
    url = _schemagen_clones.take()
    try:
        yield url
    finally:
        _schemagen_clones.give_back(url)


@pytest.fixture(scope="session")
def _schemagen_shared(_schemagen_clones):
    url = _schemagen_clones.take()
    try:
        yield url
    finally:
        _schemagen_clones.give_back(url)


@pytest.fixture
def schemagen_connection(_schemagen_shared):
    """A SQLAlchemy connection in a transaction rolled back after the test."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    from schemagen.connect.dburl import sqlalchemy_url
    engine = create_engine(sqlalchemy_url(_schemagen_shared), poolclass=NullPool)
    with engine.connect() as conn:
        tx = conn.begin()
        try:
            yield conn
        finally:
            tx.rollback()
    engine.dispose()
