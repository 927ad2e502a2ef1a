"""The golden cases' models hold real values of the richer types: identity and serial keys
come from the database, computed columns are read back, domain and enum values, arrays,
ranges, multiranges, network addresses and intervals round-trip through SQLAlchemy."""

from __future__ import annotations

import datetime
import ipaddress
from decimal import Decimal

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.dialects.postgresql import Range
from sqlalchemy.orm import Session

from tests.support import CASES, import_package, sqlalchemy_url


def session_for(case: str, url: str):
    models = import_package(CASES / case / "expected" / "models")
    engine = create_engine(sqlalchemy_url(url))
    models.Base.metadata.create_all(engine)
    return models, engine


def test_identity_and_serial_keys_come_from_the_database(empty_db):
    models, engine = session_for("identity_sequences", empty_db)
    with Session(engine) as session:
        customer = models.Customer(name="Ada")
        session.add(customer)
        session.flush()
        assert customer.id == 1 and customer.legacy_no == 1
        invoice = models.Invoice(customer_id=customer.id)
        ledger = models.Ledger()
        session.add_all([invoice, ledger])
        session.flush()
        assert (invoice.id, invoice.number, invoice.ticket) == (100, 10000, 1)
        assert (ledger.id, ledger.countdown) == (1, -1)
        session.commit()
    engine.dispose()


def test_rich_types_round_trip(empty_db):
    models, engine = session_for("types_rich", empty_db)
    day = datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC)
    values = dict(
        tags=["a", "b"], grid=[[1, 2], [3, 4]], levels=[models.Level.LOW, models.Level.HIGH], codes=["B", "a"],
        source_ip=ipaddress.ip_interface("10.1.2.3/24"), network=ipaddress.ip_network("10.1.2.0/24"),
        mac="08:00:2b:01:02:03", body="Zoë", label="x", search="'ship':1", query_="'ship' & 'fast'",
        valid=Range(day, day + datetime.timedelta(days=1)), days=Range(datetime.date(2025, 1, 1),
                                                                       datetime.date(2025, 2, 1)),
        busy=[Range(day, day + datetime.timedelta(hours=1))], ids=[Range(1, 5), Range(10, 20)],
        duration=datetime.timedelta(hours=1, seconds=1.5), flags="10101010", mask="101", document="<a>b</a>",
        price=Decimal("2.50"), qty=4)
    with Session(engine) as session:
        reading = models.Reading(**values)
        session.add(reading)
        session.commit()
        got = session.scalars(select(models.Reading)).one()
        for key, value in values.items():
            assert getattr(got, key) == value, key
        assert got.total == Decimal("10.00") and got.body_length == 3
        assert got.taken_at.microsecond % 1000 == 0  # timestamptz(3)
    engine.dispose()


def test_domains_hold_their_rules_in_the_models(empty_db):
    models, engine = session_for("domains_extensions", empty_db)
    with Session(engine) as session:
        customer = models.Customer(email="Ada@Example.com", zip="12345-6789", labels=["vip"],
                                    backup_emails=["ada@work.example"])
        session.add(customer)
        session.flush()
        order = models.Order(customer_id=customer.id, total=Decimal("12.00"), paid=Decimal("0"),
                              escalated=models.Priority.URGENT)
        session.add(order)
        session.commit()
        assert session.scalars(select(models.Customer.id).where(models.Customer.email == "ADA@example.COM")).one()
        assert session.scalars(select(models.Order)).one().escalated is models.Priority.URGENT
    with Session(engine) as session, pytest.raises(Exception, match="escalation_not_low_check"):
        session.add(models.Order(customer_id=1, total=Decimal("1"), paid=Decimal("0"),
                                  escalated=models.Priority.LOW))
        session.commit()
    engine.dispose()
