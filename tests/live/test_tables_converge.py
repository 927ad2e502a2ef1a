"""The golden cases constraints_rich, indexes_rich and partitioned, each reached from a
smaller previous version of itself holding rows: apply converges (diff empty after), the
rows stay, and the only UNSAFE steps are the ones expected (no table or column is lost)."""

from __future__ import annotations

import copy

import psycopg
import pytest
import yaml

from tests.live.test_apply import plan, run_apply
from tests.support import CASES


def golden(name: str) -> dict:
    return yaml.safe_load((CASES / name / "schema.yaml").read_text())


def constraints_before() -> dict:
    spec = golden("constraints_rich")
    tables = spec["tables"]
    for table in tables.values():
        for column in table["columns"].values():
            column.pop("check", None)
            if isinstance(column.get("references"), dict):
                column["references"] = {"table": column["references"]["table"]}
        table.pop("exclude", None)
        table.pop("checks", None)
    tables["authors"]["unique"] = [{"columns": ["tenant_id", "id"]}, {"columns": ["tenant_id", "handle"]}]
    tables["posts"]["unique"] = [{"columns": ["tenant_id", "rank"]}]
    tables["posts"]["foreign_keys"] = [{"columns": ["tenant_id", "author_id"],
                                        "references": {"table": "authors", "columns": ["tenant_id", "id"]}}]
    return spec


CONSTRAINT_ROWS = """
INSERT INTO tenants VALUES (1, 'one'), (2, 'two');
INSERT INTO postal_zones VALUES ('DE', '10115', 1), ('FR', '75001', 2);
INSERT INTO authors VALUES (1, 1, 'a@x.org', 'ada', 36), (2, 1, 'b@x.org', NULL, NULL), (3, 2, 'c@x.org', NULL, 50);
INSERT INTO categories VALUES (1, 0, 'none'), (1, 1, 'news'), (2, 0, 'none');
INSERT INTO posts VALUES (1, 1, 1, 1, 1, 'First', 'first', 'DE', '10115', now() - interval '1 day', now()),
                         (2, 1, 2, 0, 2, 'Second', 'second', NULL, NULL, NULL, NULL),
                         (3, 2, 3, 0, 1, 'Third', 'third', 'FR', '75001', now(), NULL);
INSERT INTO room_bookings VALUES (1, 10, '2024-01-01 09:00Z', '2024-01-01 10:00Z', false),
                                 (2, 10, '2024-01-01 09:30Z', '2024-01-01 10:30Z', true),
                                 (3, 10, '2024-01-01 10:00Z', '2024-01-01 11:00Z', false);
"""


def indexes_before() -> dict:
    spec = golden("indexes_rich")
    for table in spec["tables"].values():
        table.pop("indexes", None)
    return spec


INDEX_ROWS = """
INSERT INTO customers (id, email, name, country, external_ref)
SELECT g, 'User' || g || '@Example.org', 'name ' || g, CASE WHEN g % 3 = 0 THEN NULL ELSE 'DE' END,
       CASE WHEN g = 1 THEN NULL ELSE 'ref-' || g END FROM generate_series(1, 200) g;
INSERT INTO tickets (id, customer_id, subject, opened_at, closed_at, code)
SELECT g, 1 + g % 200, 'Subject ' || g, timestamptz '2024-01-01' + g * interval '1 hour',
       CASE WHEN g % 2 = 0 THEN timestamptz '2024-01-01' + g * interval '2 hour' END, 'c' || g
FROM generate_series(1, 500) g;
"""


def partitioned_before() -> dict:
    spec = golden("partitioned")
    tables = spec["tables"]
    del tables["readings"]
    tables["accounts"].pop("with")
    tables["events"]["partitions"] = {"monthly": {"from": "2024-01-01", "to": "2024-07-01"},
                                      "events_before_2024": {"from": "minvalue", "to": "2024-01-01"}}
    tables["events"]["indexes"] = tables["events"]["indexes"][:1]
    tables["orders"]["partitions"].pop("orders_us")
    sessions = tables["sessions"]
    sessions.pop("unlogged")
    sessions.pop("with")
    return spec


PARTITION_ROWS = """
INSERT INTO accounts VALUES (1, 'ada'), (2, 'bob');
INSERT INTO events (id, occurred_on, account_id, kind)
SELECT g, date '2023-12-01' + g % 200, 1 + g % 2, CASE WHEN g % 4 = 0 THEN 'heartbeat' ELSE 'click' END
FROM generate_series(1, 400) g WHERE date '2023-12-01' + g % 200 < date '2024-07-01';
-- no 'us' order yet: a new partition cannot take rows its table's default partition holds
INSERT INTO orders SELECT g, (ARRAY['de', 'fr', 'jp'])[1 + g % 3], g % 7, g FROM generate_series(1, 80) g;
INSERT INTO order_lines SELECT id, region, customer, 1, 'sku' FROM orders;
INSERT INTO sessions (token, account_id) SELECT gen_random_uuid(), 1 FROM generate_series(1, 20);
"""

CASE_PARAMS = {
    "constraints_rich": (constraints_before, CONSTRAINT_ROWS, {"posts", "room_bookings", "authors"}),
    "indexes_rich": (indexes_before, INDEX_ROWS, set()),
    "partitioned": (partitioned_before, PARTITION_ROWS, {"sessions"}),
}


def counts(url) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p') "
            "AND NOT relispartition")]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


@pytest.mark.parametrize("case", sorted(CASE_PARAMS))
def test_golden_case_converges_from_its_smaller_previous_version_with_rows(case, empty_db):
    before, rows, unsafe_tables = CASE_PARAMS[case]
    code, out, err = run_apply(empty_db, before())
    assert code == 0, err
    with psycopg.connect(empty_db, autocommit=True) as conn:
        conn.execute(rows)
    had = counts(empty_db)
    target = golden(case)
    code, out, err = run_apply(empty_db, copy.deepcopy(target), allow_unsafe=True)
    assert code == 0, f"{err}\n{out}"
    left = plan(empty_db, target)
    assert left.empty, left.render()
    now = counts(empty_db)
    assert {t: now[t] for t in had} == had
    unsafe = [line for line in out.splitlines() if line.startswith("-- UNSAFE")]
    assert not [u for u in unsafe if "drop" in u], unsafe
    assert {t for t in unsafe_tables if any(f" {t} " in u or u.endswith(f" {t}") for u in unsafe)} == unsafe_tables
