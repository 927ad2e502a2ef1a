"""The runtime's tenant helper against a real server: the golden case tenant_rls applied by
`apply`, an application login role that is a member of tenant_app, two tenants through
generated/database/tenant.py, and a pooled connection that carries no tenant over."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from psycopg import errors, sql
from sqlalchemy import text

from tests.live.test_apply import evolve
from tests.support import CASES, ROOT, import_package


def case_spec() -> dict:
    import yaml
    return yaml.safe_load((CASES / "tenant_rls" / "schema.yaml").read_text())


@pytest.fixture
def app_url(empty_db):
    evolve(empty_db, case_spec())  # apply from empty converges, functions' grants included
    login = f"tenant_login_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(empty_db, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN IN ROLE tenant_app").format(sql.Identifier(login)))
    parts = urlsplit(empty_db)
    yield urlunsplit(parts._replace(netloc=f"{login}@{parts.hostname}:{parts.port}"))
    with psycopg.connect(empty_db, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(login)))
        conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(login)))


@pytest.fixture
def database(app_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", app_url)
    monkeypatch.setenv("DATABASE_POOL_PROFILE", "lambda")  # one pooled connection: reuse is certain
    package = import_package(ROOT / "generated" / "database")
    yield package
    package.dispose_engine()


def notes(session) -> list[tuple[str, str]]:
    return [tuple(r) for r in session.execute(text("SELECT owner_id, body FROM notes ORDER BY body"))]


def test_two_tenants_see_and_write_only_their_own_rows(database):
    for tenant, body in (("alice", "a1"), ("alice", "a2"), ("bob", "b1")):
        with database.tenant_session(tenant) as session:
            session.execute(text("INSERT INTO notes (owner_id, body) VALUES (:t, :b)"), {"t": tenant, "b": body})
    with database.tenant_session("alice") as session:
        assert notes(session) == [("alice", "a1"), ("alice", "a2")]
        assert session.execute(text("UPDATE notes SET body = 'x' WHERE owner_id = 'bob'")).rowcount == 0
    with database.tenant_session("bob") as session:
        assert notes(session) == [("bob", "b1")]
    with pytest.raises(Exception, match="row-level security"), database.tenant_session("bob") as session:
        session.execute(text("INSERT INTO notes (owner_id, body) VALUES ('alice', 'forged')"))


def test_the_setting_ends_with_the_transaction_on_a_pooled_connection(database):
    with database.tenant_session("alice") as session:
        session.execute(text("INSERT INTO notes (owner_id, body) VALUES ('alice', 'a1')"))
        pid = session.execute(text("SELECT pg_backend_pid()")).scalar()
    with database.session_scope() as session:  # the same connection, no tenant set
        assert session.execute(text("SELECT pg_backend_pid()")).scalar() == pid
        assert session.execute(text("SELECT current_setting('app.user_id', true)")).scalar() in (None, "")
        assert notes(session) == []  # a forgotten setting shows nothing, not everything


def test_set_local_inside_an_open_transaction(database):
    with database.session_scope() as session:
        database.set_local(session, "app.user_id", "carol")
        session.execute(text("INSERT INTO notes (owner_id, body) VALUES ('carol', 'c1')"))
        assert notes(session) == [("carol", "c1")]


def test_the_restrictive_policy_keeps_archived_notes_unchanged(database):
    with database.tenant_session("alice") as session:
        session.execute(text("INSERT INTO notes (owner_id, body, archived) VALUES ('alice', 'old', true)"))
    with database.tenant_session("alice") as session:
        assert session.execute(text("UPDATE notes SET body = 'new' WHERE body = 'old'")).rowcount == 0


def test_the_owner_is_bound_too_because_of_force(empty_db, app_url):
    """Superusers bypass row level security whatever FORCE says: the owner here is not one."""
    owner = f"tenant_owner_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(empty_db, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(owner)))
        conn.execute(sql.SQL("ALTER TABLE notes OWNER TO {}").format(sql.Identifier(owner)))
        conn.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(owner)))
        with pytest.raises(errors.InsufficientPrivilege, match="row-level security"):
            conn.execute("INSERT INTO notes (owner_id, body) VALUES ('x', 'y')")
        conn.execute("RESET ROLE")
        conn.execute("ALTER TABLE notes NO FORCE ROW LEVEL SECURITY")
        conn.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(owner)))
        conn.execute("INSERT INTO notes (owner_id, body) VALUES ('x', 'y')")  # without FORCE the owner bypasses
        conn.execute("RESET ROLE")
        conn.execute("DROP TABLE notes CASCADE")
        conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(owner)))
