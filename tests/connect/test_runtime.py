"""The application's runtime package (generated/database): one engine per process,
sessions that commit or roll back, a Lambda pool that survives a dropped connection."""

from __future__ import annotations

import uuid

import psycopg
import pytest
from sqlalchemy import select, text
from sqlalchemy.pool import NullPool

from schemagen.render.pipeline import render_database
from tests.support import ROOT, import_package


@pytest.fixture
def runtime(spendsense_db, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", spendsense_db)
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "spendsense-api")
    monkeypatch.delenv("DATABASE_POOL_PROFILE", raising=False)
    database = import_package(ROOT / "generated" / "database")
    models = import_package(ROOT / "generated" / "models")
    yield database, models, spendsense_db
    database.dispose_engine()


def invocation(database, models):
    """What one Lambda invocation does: a query through the shared engine; returns the backend pid."""
    with database.session_scope() as session:
        session.scalars(select(models.Profile)).all()
        return session.execute(text("SELECT pg_backend_pid()")).scalar()


def test_generated_runtime_matches_schemagen_sources():
    generated = {p: (ROOT / "generated" / p).read_text() for p in render_database()}
    assert generated == render_database()
    assert (ROOT / "schemagen" / "connect" / "connection.py").read_text() in generated["database/connection.py"]


def test_rollback_on_exception_leaves_no_rows(runtime):
    database, models, url = runtime
    with pytest.raises(RuntimeError), database.session_scope() as session:
        session.add(models.Profile(user_id=uuid.uuid4(), email="a@example.com", role=models.UserRole.CONSUMER))
        session.flush()
        raise RuntimeError("handler failed")
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT count(*) FROM profiles").fetchone()[0] == 0
    with database.session_scope() as session:
        session.add(models.Profile(user_id=uuid.uuid4(), email="b@example.com", role=models.UserRole.CONSUMER))
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT count(*) FROM profiles").fetchone()[0] == 1


def test_engine_is_reused_across_invocations_with_the_lambda_profile(runtime):
    database, models, _ = runtime
    assert database.pool_profile() == "lambda"
    engine = database.get_engine()
    pids = {invocation(database, models) for _ in range(5)}
    assert database.get_engine() is engine
    assert len(pids) == 1  # one pooled connection, reused
    assert engine.pool.size() == 1 and engine.pool._max_overflow == 0


def test_pre_ping_replaces_a_connection_the_server_terminated(runtime):
    database, models, url = runtime
    first = invocation(database, models)
    with psycopg.connect(url, autocommit=True) as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s)", (first,)).fetchone()[0]
    second = invocation(database, models)  # would raise without pre-ping
    assert second != first


def test_rds_proxy_profile_uses_no_pool(runtime, monkeypatch):
    database, _, _ = runtime
    database.dispose_engine()
    monkeypatch.setenv("DATABASE_POOL_PROFILE", "rds-proxy")
    assert isinstance(database.get_engine().pool, NullPool)
    monkeypatch.setenv("DATABASE_POOL_PROFILE", "huge")
    database.dispose_engine()
    with pytest.raises(database.ConnectionConfigError, match="DATABASE_POOL_PROFILE"):
        database.get_engine()
