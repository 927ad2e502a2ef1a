"""The generated SQLAlchemy models run: they import, configure, build the same
schema as schema.sql (compared in PostgreSQL's catalog) and round-trip data."""

from __future__ import annotations

import datetime
import subprocess
import sys
import uuid
from decimal import Decimal

import psycopg
import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session, configure_mappers

from tests.catalog import difference, snapshot
from tests.support import ROOT, import_package, sqlalchemy_url


@pytest.fixture(scope="module")
def models():
    return import_package(ROOT / "generated" / "models")


def test_models_import_and_mappers_configure(models):
    configure_mappers()
    assert {m.class_.__name__ for m in models.Base.registry.mappers} == {
        "Profile", "ConsentRecord", "Account", "Transaction", "ComputedFeature", "PersonaAssignment",
        "Recommendation", "DecisionTrace", "ChatLog", "OperatorAction"}
    assert models.Profile.accounts.property.mapper.class_ is models.Account
    assert models.Recommendation.decision_trace.property.uselist is False
    assert models.OperatorAction.operator.property.mapper.class_ is models.Profile


def test_create_all_builds_the_same_schema_as_schema_sql(models, spendsense_db, empty_db):
    engine = create_engine(sqlalchemy_url(empty_db))
    models.Base.metadata.create_all(engine)
    engine.dispose()
    with psycopg.connect(spendsense_db) as a, psycopg.connect(empty_db) as b:
        from_sql, from_orm = snapshot(a), snapshot(b)
    assert len(from_sql["tables"]) == 10
    assert difference(from_sql, from_orm) == ""


def test_round_trip_keeps_decimal_and_jsonb_exactly(models, empty_db):
    engine = create_engine(sqlalchemy_url(empty_db))
    models.Base.metadata.create_all(engine)
    trace = {"rules": ["utilization>50%"], "score": 0.1 + 0.2, "nested": {"ok": True, "none": None}}
    user_id = uuid.uuid4()
    with Session(engine) as session:
        profile = models.Profile(user_id=user_id, email="ada@example.com", role=models.UserRole.CONSUMER)
        account = models.Account(user=profile, account_type=models.AccountType.CREDIT_CARD,
                                 balance=Decimal("-1234.56"), limit=Decimal("99999999.99"))
        session.add(models.Transaction(user=profile, account=account, date=datetime.date(2025, 1, 31),
                                       merchant="Café \"Zoë\"; DROP", amount=Decimal("-0.01")))
        rec = models.Recommendation(user=profile, type=models.RecommendationType.OFFER, title="t",
                                    rationale="r")
        session.add(models.DecisionTrace(recommendation=rec, trace_data=trace))
        session.commit()
    with Session(engine) as session:
        profile = session.get(models.Profile, user_id)
        assert profile.role is models.UserRole.CONSUMER
        assert profile.accounts[0].limit == Decimal("99999999.99")
        assert profile.accounts[0].balance == Decimal("-1234.56")
        assert profile.transactions[0].amount == Decimal("-0.01")
        assert profile.transactions[0].merchant == "Café \"Zoë\"; DROP"
        got = session.scalars(select(models.DecisionTrace)).one()
        assert got.trace_data == trace
        assert got.recommendation.decision_trace is got
        assert isinstance(got.id, uuid.UUID)
    engine.dispose()


def test_orm_delete_of_a_profile_lets_the_database_cascade(models, empty_db):
    engine = create_engine(sqlalchemy_url(empty_db))
    models.Base.metadata.create_all(engine)
    with Session(engine) as session:
        profile = models.Profile(user_id=uuid.uuid4(), email="x@example.com", role=models.UserRole.CONSUMER)
        models.ChatLog(user=profile, message="m", response="r")
        session.add(profile)
        session.commit()
        session.delete(profile)
        session.commit()
        assert session.scalars(select(models.ChatLog)).all() == []
    engine.dispose()


def test_generated_code_passes_ruff():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--isolated",
                             str(ROOT / "generated")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
