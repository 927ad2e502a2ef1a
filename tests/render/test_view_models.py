"""The read-only class of a view (tests/cases/views): it reads the view's rows through a
Session, create_all makes the view and no table of that name, and writes raise."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session

from tests.support import CASES, import_package, sqlalchemy_url


def test_view_class_reads_rows_and_refuses_writes(empty_db):
    models = import_package(CASES / "views" / "expected" / "models")
    engine = create_engine(sqlalchemy_url(empty_db))
    models.Base.metadata.create_all(engine)
    try:
        with Session(engine) as session:
            kinds = dict(session.execute(text("SELECT relname, relkind FROM pg_class WHERE relname IN "
                                              "('customer_totals', 'daily_sales')")).all())
            assert kinds == {"customer_totals": "v", "daily_sales": "m"}
            ada = models.Customer(email="ada@example.com")
            session.add(ada)
            session.flush()
            session.add(models.Order(customer_id=ada.id, total=12))
            session.flush()
            row = session.scalars(select(models.CustomerTotal)).one()
            assert (row.customer_id, row.email, row.spent) == (ada.id, "ada@example.com", 12)
            session.add(models.CustomerTotal(customer_id=99, email="x", spent=1))
            with pytest.raises(TypeError, match="CustomerTotal is read-only"):
                session.flush()
            session.rollback()
        models.Base.metadata.drop_all(engine)
    finally:
        engine.dispose()
