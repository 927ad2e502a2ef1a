"""Every query of the application's catalogue reaches its large table through the
index meant for it (with sequential scans off, a plan that still scans the table
proves that no index can serve the query). Not timed: bench/ measures."""

from __future__ import annotations

import psycopg
import pytest

from bench.datagen import generate
from bench.queries import CATALOGUE, index_used, parameters


@pytest.fixture(scope="module")
def loaded(server_url):
    from schemagen.connect.dburl import with_database
    from tests.support import ROOT, apply_sql
    name = "sgtest_query_plans"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    url = with_database(server_url, name)
    apply_sql(url, (ROOT / "generated" / "schema.sql").read_text())
    with psycopg.connect(url) as conn:
        counts = generate(conn, users=100, transactions_per_user=20)
    yield url, counts
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_generator_fills_every_table(loaded):
    _, counts = loaded
    assert counts["transactions"] == 2000 and all(n > 0 for n in counts.values())


@pytest.mark.parametrize("query", CATALOGUE, ids=[q.name for q in CATALOGUE])
def test_query_uses_its_index(loaded, query):
    url, _ = loaded
    with psycopg.connect(url) as conn:
        conn.execute("SET enable_seqscan = off")
        plan = conn.execute("EXPLAIN (FORMAT JSON) " + query.sql, parameters(conn)).fetchone()[0][0]
    assert index_used(plan, query) == query.index, plan
