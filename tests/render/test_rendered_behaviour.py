"""What the golden cases' SQL does in PostgreSQL: hostile text stays text,
on_update triggers run, reference cycles and partial indexes work."""

from __future__ import annotations

import psycopg
import pytest
from psycopg import errors

from schemagen.spec.validate import load_schema
from tests.support import CASES, apply_sql


def load_case(name: str, make_database) -> str:
    url = make_database()
    apply_sql(url, (CASES / name / "expected" / "schema.sql").read_text())
    return url


def test_comments_and_defaults_with_quotes_semicolons_and_newlines_survive(make_database):
    url = load_case("quoting", make_database)
    table = load_schema(CASES / "quoting" / "schema.yaml").tables[0]
    with psycopg.connect(url, autocommit=True) as conn:
        comment = conn.execute("SELECT obj_description('public.\"order\"'::regclass, 'pg_class')").fetchone()[0]
        assert comment == table.comment and "\n" in comment and "'" in comment
        conn.execute('INSERT INTO "order" ("select", "limit") VALUES (1, 5)')
        row = conn.execute('SELECT "class", "metadata", "from", "user" FROM "order"').fetchone()
        assert row == ("it's; fine -- not a comment", {"a": "b;c"}, True, "%s")
        with pytest.raises(errors.CheckViolation):
            conn.execute('INSERT INTO "order" ("select", "limit") VALUES (2, -1)')
        tables = conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0]
        assert tables == 1  # nothing in a comment or default became a statement


def test_on_update_trigger_evaluates_each_expression(make_database):
    url = load_case("custom_schema", make_database)
    with psycopg.connect(url, autocommit=True) as conn:
        cid = conn.execute("INSERT INTO billing.customers (name) VALUES ('a') RETURNING id").fetchone()[0]
        conn.execute("UPDATE billing.customers SET name = 'b' WHERE id = %s", (cid,))
        conn.execute("UPDATE billing.customers SET name = 'c' WHERE id = %s", (cid,))
        revision = conn.execute("SELECT revision FROM billing.customers WHERE id = %s", (cid,)).fetchone()[0]
        assert revision == 2
        status = conn.execute("INSERT INTO billing.invoices (customer_id, total) VALUES (%s, 1) "
                              "RETURNING status", (cid,)).fetchone()[0]
        assert status == "draft"
        with pytest.raises(errors.ForeignKeyViolation):  # ON DELETE RESTRICT
            conn.execute("DELETE FROM billing.customers WHERE id = %s", (cid,))


def test_reference_cycle_and_self_reference(make_database):
    url = load_case("self_reference", make_database)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("INSERT INTO teams (id) VALUES (1)")
        conn.execute("INSERT INTO members (id, team_id) VALUES (10, 1), (11, 1)")
        conn.execute("UPDATE members SET mentor_id = 10 WHERE id = 11")
        conn.execute("UPDATE teams SET lead_id = 10 WHERE id = 1")
        conn.execute("DELETE FROM members WHERE id = 10")  # SET NULL on both references
        assert conn.execute("SELECT lead_id FROM teams").fetchone()[0] is None
        assert conn.execute("SELECT mentor_id FROM members WHERE id = 11").fetchone()[0] is None


def test_partial_unique_index_allows_duplicates_outside_its_predicate(make_database):
    url = load_case("indexes", make_database)
    with psycopg.connect(url, autocommit=True) as conn:
        insert = ("INSERT INTO events (id, account, happened_at, kind, deleted_at) "
                  "VALUES (%s, 'acc', now(), 'login', %s)")
        conn.execute(insert, (1, None))
        conn.execute(insert, (2, "2025-01-01"))  # deleted rows are outside the predicate
        with pytest.raises(errors.UniqueViolation):
            conn.execute(insert, (3, None))
        defs = [r[0] for r in conn.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'events'")]
    assert any("USING gin (payload)" in d for d in defs)
    assert any("USING brin (happened_at)" in d for d in defs)
    assert any("(account, happened_at DESC NULLS LAST)" in d for d in defs)
