"""The safety class of every statement kind the table features add, checked against
PostgreSQL: a step marked as rewriting a table must change that table's relfilenode, and
no other table's relfilenode may change. Each case starts from a table with rows."""

from __future__ import annotations

import copy

import psycopg
import pytest

from tests.live.test_apply import plan, run_apply

BASE = {"tables": {
    "parents": {"columns": {"id": {"type": "integer", "primary_key": True},
                            "a": {"type": "integer", "nullable": True},
                            "b": {"type": "integer", "nullable": True}},
                "unique": [{"columns": ["a", "b"]}]},
    "items": {"columns": {"id": {"type": "integer", "primary_key": True},
                          "a": {"type": "integer", "nullable": True},
                          "b": {"type": "integer", "nullable": True},
                          "name": {"type": "text"},
                          "starts": {"type": "timestamp"}}},
    "events": {"columns": {"id": {"type": "integer"}, "at": {"type": "date"}},
               "primary_key": ["id", "at"], "partition_by": {"range": ["at"]},
               "partitions": {"monthly": {"from": "2024-01-01", "to": "2024-03-01"}}},
}}
ROWS = """
INSERT INTO parents VALUES (1, 1, 1), (2, NULL, NULL);
INSERT INTO items SELECT g, 1, 1, 'n' || g, timestamp '2024-01-01' + g * interval '1 day' FROM generate_series(1, 50) g;
INSERT INTO events SELECT g, date '2024-01-01' + g % 59 FROM generate_series(1, 100) g;
"""


def _items(spec, **changes):
    spec["tables"]["items"].update(changes)


def _events(spec, **changes):
    spec["tables"]["events"].update(changes)


CASES = {  # name: (edit of BASE, a piece of the plan it must hold)
    "storage parameters": (lambda s: _items(s, **{"with": {"fillfactor": 70, "autovacuum_enabled": False}}),
                           'ALTER TABLE "public"."items" SET'),
    "unlogged": (lambda s: _items(s, unlogged=True), "set unlogged"),
    "column check": (lambda s: s["tables"]["items"]["columns"]["name"].update(check="name <> ''"),
                     "items_name_check"),
    "unique nulls not distinct": (lambda s: s["tables"]["parents"].update(
        unique=[{"columns": ["a", "b"], "nulls_not_distinct": True}]), "UNIQUE NULLS NOT DISTINCT"),
    "deferrable unique": (lambda s: _items(s, unique=[{"columns": ["name"], "deferrable": True}]), "DEFERRABLE"),
    "exclusion constraint": (lambda s: _items(s, exclude=[{"elements": [
        {"expression": "tsrange(starts, starts + interval '1 hour')", "operator": "&&"}]}]), "EXCLUDE USING gist"),
    "foreign key match full, set null (cols), deferrable": (lambda s: _items(s, foreign_keys=[{
        "columns": ["a", "b"], "references": {"table": "parents", "columns": ["a", "b"]}, "match": "full",
        "on_delete": {"action": "set null", "columns": ["b"]}, "deferrable": True, "initially": "deferred"}]),
        "MATCH FULL"),
    "rich index": (lambda s: _items(s, indexes=[{
        "columns": [{"expression": "lower(name)", "opclass": "text_pattern_ops"}],
        "include": ["a"], "with": {"fillfactor": 60}}]),
                   "CREATE INDEX CONCURRENTLY"),
    "new partition": (lambda s: _events(s, partitions={"monthly": {"from": "2024-01-01", "to": "2024-05-01"}}),
                      "PARTITION OF"),
    "detached partition": (lambda s: _events(s, partitions={"monthly": {"from": "2024-02-01", "to": "2024-03-01"}}),
                           "DETACH PARTITION"),
    "index on a partitioned table": (lambda s: _events(s, indexes=[{"columns": ["at"]}]), "ON ONLY"),
}


def relfilenodes(url) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        return dict(conn.execute("SELECT relname, relfilenode FROM pg_class WHERE relkind = 'r' "
                                 "AND relnamespace = 'public'::regnamespace").fetchall())


@pytest.mark.parametrize("case", sorted(CASES))
def test_rewrite_marks_match_relfilenode_changes(case, empty_db):
    edit, expected = CASES[case]
    code, _, err = run_apply(empty_db, BASE)
    assert code == 0, err
    with psycopg.connect(empty_db, autocommit=True) as conn:
        conn.execute(ROWS)
    spec = copy.deepcopy(BASE)
    edit(spec)
    steps = plan(empty_db, spec).steps
    assert any(expected in s.sql for s in steps), "\n".join(s.sql for s in steps)
    rewritten = {word for s in steps if s.unsafe and s.unsafe.startswith("rewrites ")
                 for word in [s.unsafe.split()[1]]}
    before = relfilenodes(empty_db)
    code, out, err = run_apply(empty_db, spec, allow_unsafe=True)
    assert code == 0, f"{err}\n{out}"
    assert plan(empty_db, spec).empty
    after = relfilenodes(empty_db)
    changed = {t for t in before if t in after and after[t] != before[t]}
    assert changed == rewritten, out


def test_setting_unlogged_back_to_logged_is_a_rewrite_too(empty_db):
    spec = copy.deepcopy(BASE)
    _items(spec, unlogged=True)
    assert run_apply(empty_db, spec)[0] == 0
    with psycopg.connect(empty_db, autocommit=True) as conn:
        conn.execute(ROWS)
    before = relfilenodes(empty_db)["items"]
    steps = plan(empty_db, BASE).steps
    assert [s.unsafe for s in steps if s.unsafe] == ["rewrites items to make it logged, under an ACCESS EXCLUSIVE lock"]
    assert run_apply(empty_db, BASE, allow_unsafe=True)[0] == 0
    assert relfilenodes(empty_db)["items"] != before
