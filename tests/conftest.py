"""Test fixtures: a real PostgreSQL, and a fresh database per test that needs one.

SCHEMAGEN_TEST_DATABASE_URL may name a server (any database on it; the role
must be able to create databases). Otherwise the suite starts its own private
server with `schemagen.dev.server` in a temporary folder and stops it at the end.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import ExitStack
from pathlib import Path

import psycopg
import pytest

from schemagen.connect.dburl import with_database
from schemagen.dev.server import DevServer
from tests.support import ROOT, apply_sql, scratch_db


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory):
    """schemagen's user cache in a folder of the run's own (subprocesses inherit it)."""
    os.environ["SCHEMAGEN_CACHE_DIR"] = str(tmp_path_factory.mktemp("schemagen-cache"))


@pytest.fixture(scope="session")
def dev_server():
    """The server the suite started itself, or None when SCHEMAGEN_TEST_DATABASE_URL names one."""
    if os.environ.get("SCHEMAGEN_TEST_DATABASE_URL"):
        yield None
        return
    root = Path(tempfile.mkdtemp(prefix="schemagen-test-"))
    server = DevServer(root)
    try:
        server.up()
        yield server
    finally:
        server.down()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def server_url(dev_server):
    return os.environ.get("SCHEMAGEN_TEST_DATABASE_URL") or dev_server.url()


@pytest.fixture(scope="session")
def scram_server():
    """A server of the suite's own where members of sg_password_users must log in with a
    scram-sha-256 password over TCP (whatever server SCHEMAGEN_TEST_DATABASE_URL names, its
    auth rules are not ours to change). Yields (admin URL, port)."""
    root = Path(tempfile.mkdtemp(prefix="schemagen-scram-"))
    server = DevServer(root)
    try:
        url = with_database(server.up(), "postgres")
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CREATE ROLE sg_password_users NOLOGIN")
        hba = server.datadir / "pg_hba.conf"
        rules = ("host all +sg_password_users 127.0.0.1/32 scram-sha-256\n"
                 "host all +sg_password_users ::1/128 scram-sha-256\n")
        hba.write_text(rules + hba.read_text())
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("SELECT pg_reload_conf()")
        yield url, server.state()["port"]
    finally:
        server.down()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def password_role(scram_server):
    """(user, password, port) of a role that must log in with its password (scram)."""
    url, port = scram_server
    user, password = "sg_password_user", "Right-Pa55"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {user} LOGIN PASSWORD '{password}' IN ROLE sg_password_users")
    return user, password, port


@pytest.fixture
def make_database(server_url):
    """make_database() -> URL of a new empty database, dropped after the test."""
    with ExitStack() as stack:
        yield lambda: with_database(server_url, stack.enter_context(scratch_db(server_url)))


@pytest.fixture
def empty_db(make_database) -> str:
    return make_database()


@pytest.fixture
def spendsense_db(make_database) -> str:
    """A database holding the committed generated/schema.sql."""
    url = make_database()
    apply_sql(url, (ROOT / "generated" / "schema.sql").read_text())
    return url


