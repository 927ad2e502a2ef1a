"""Partitioned tables on a real PostgreSQL with rows: adding a partition, detaching one
(UNSAFE: its rows leave the table), keeping a detached one as a table of its own, changing
a bound, and adding an index to a partitioned table that holds rows (built partition by
partition after the commit, attached, and finished by the next apply when a build fails).
Every evolution converges: apply, then diff is empty."""

from __future__ import annotations

import copy

import psycopg
import pytest

from tests.live.test_apply import plan, run_apply


def evolve(url, spec, **options):
    code, out, err = run_apply(url, spec, **options)
    assert code == 0, f"{err}\n{out}"
    left = plan(url, spec)
    assert left.empty, left.render()
    return out


EVENTS = {
    "columns": {
        "id": {"type": "bigint"},
        "at": {"type": "date"},
        "kind": {"type": "text"},
    },
    "primary_key": ["id", "at"],
    "partition_by": {"range": ["at"]},
    "partitions": {"monthly": {"from": "2024-01-01", "to": "2024-04-01"}},
    "indexes": [{"columns": ["kind"]}],
}
BASE = {"tables": {"events": EVENTS}}


@pytest.fixture
def db(empty_db):
    evolve(empty_db, BASE)
    with psycopg.connect(empty_db, autocommit=True) as conn:
        conn.execute("INSERT INTO events SELECT g, date '2024-01-01' + g % 90, 'k' || g "
                      "FROM generate_series(1, 300) g")
    return empty_db


def counts(url) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        return dict(conn.execute("SELECT tableoid::regclass::text, count(*) FROM events GROUP BY 1").fetchall())


def relfilenodes(url) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        return dict(conn.execute("SELECT relname, relfilenode FROM pg_class WHERE relkind = 'r' "
                                 "AND relnamespace = 'public'::regnamespace").fetchall())


def with_events(**changes) -> dict:
    spec = copy.deepcopy(BASE)
    spec["tables"]["events"].update(changes)
    return spec


def test_adding_partitions_keeps_rows_and_rewrites_nothing(db):
    before, files = counts(db), relfilenodes(db)
    spec = with_events(partitions={"monthly": {"from": "2024-01-01", "to": "2024-06-01"},
                                   "events_rest": {"default": True}})
    out = evolve(db, spec)
    assert "UNSAFE" not in out
    assert 'CREATE TABLE "public"."events_2024_05" PARTITION OF "public"."events"' in out
    assert counts(db) == before
    after = relfilenodes(db)
    assert {t: after[t] for t in files} == files
    with psycopg.connect(db) as conn:  # the new partitions got the parent's index under the target's names
        names = {r[0] for r in conn.execute("SELECT indexrelid::regclass::text FROM pg_index "
                                            "WHERE indrelid = 'events_rest'::regclass")}
    assert names == {"events_rest_pkey", "events_rest_kind_idx"}


def test_detaching_a_partition_is_unsafe_and_its_rows_leave(db):
    spec = with_events(partitions={"monthly": {"from": "2024-02-01", "to": "2024-04-01"}})
    code, out, message = run_apply(db, spec)
    assert code == 3 and "nothing was changed" in message
    assert "-- UNSAFE: detaches partition events_2024_01: its rows leave events" in out
    assert "-- UNSAFE: drops table events_2024_01 and all its rows" in out
    january = counts(db)["events_2024_01"]
    evolve(db, spec, allow_unsafe=True)
    assert "events_2024_01" not in counts(db)
    assert sum(counts(db).values()) == 300 - january


def test_a_detached_partition_declared_as_a_table_keeps_its_rows(db):
    spec = with_events(partitions={"monthly": {"from": "2024-02-01", "to": "2024-04-01"}})
    spec["tables"]["events_2024_01"] = {"columns": copy.deepcopy(EVENTS["columns"]), "primary_key": ["id", "at"],
                                        "indexes": [{"columns": ["kind"]}]}
    january = counts(db)["events_2024_01"]
    out = evolve(db, spec, allow_unsafe=True)
    assert "DROP TABLE" not in out.upper()
    with psycopg.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM events_2024_01").fetchone()[0] == january
        assert conn.execute("SELECT relispartition FROM pg_class WHERE relname = 'events_2024_01'").fetchone()[0] \
            is False
    evolve(db, BASE)  # and back: attached again, its rows checked against the bound
    assert counts(db)["events_2024_01"] == january


def test_a_changed_bound_is_detached_and_attached_again(db):
    spec = with_events(partitions={"monthly": {"from": "2024-01-01", "to": "2024-03-01"},
                                   "events_2024_03": {"from": "2024-03-01", "to": "2024-05-01"}})
    out = evolve(db, spec, allow_unsafe=True)
    assert "ATTACH PARTITION" in out
    assert sum(counts(db).values()) == 300
    with psycopg.connect(db, autocommit=True) as conn:
        conn.execute("INSERT INTO events VALUES (1000, '2024-04-15', 'april')")


def test_an_index_on_a_partitioned_table_with_rows_is_built_per_partition(db):
    files = relfilenodes(db)
    spec = with_events(indexes=[{"columns": ["kind"]}, {"columns": [{"expression": "lower(kind)"}]}])
    out = evolve(db, spec)
    assert "UNSAFE" not in out
    assert "CREATE INDEX events_lower_idx ON ONLY public.events" in out
    assert "CREATE INDEX CONCURRENTLY IF NOT EXISTS events_2024_02_lower_idx ON public.events_2024_02" in out
    assert 'ALTER INDEX "public"."events_lower_idx" ATTACH PARTITION "public"."events_2024_02_lower_idx"' in out
    with psycopg.connect(db) as conn:
        valid, children = conn.execute(
            "SELECT x.indisvalid, (SELECT count(*) FROM pg_inherits WHERE inhparent = x.indexrelid) "
            "FROM pg_index x WHERE x.indexrelid = 'events_lower_idx'::regclass").fetchone()
    assert valid and children == 3
    assert relfilenodes(db) == files


def test_a_failed_partition_index_build_is_finished_by_the_next_apply(db):
    with psycopg.connect(db, autocommit=True) as conn:
        conn.execute("INSERT INTO events VALUES (1001, '2024-02-10', 'twin'), (1002, '2024-02-10', 'twin')")
    spec = with_events(indexes=[{"columns": ["kind"]}, {"columns": ["kind", "at"], "unique": True}])
    code, out, message = run_apply(db, spec)
    assert code == 1 and "after the commit failed" in message
    with psycopg.connect(db, autocommit=True) as conn:
        valid = conn.execute("SELECT indisvalid FROM pg_index WHERE indexrelid = 'events_kind_at_idx'::regclass")
        assert valid.fetchone()[0] is False  # the parent index waits for the partition that failed
        conn.execute("DELETE FROM events WHERE id = 1002")
    evolve(db, spec)
    with psycopg.connect(db) as conn:
        assert conn.execute("SELECT indisvalid FROM pg_index WHERE indexrelid = 'events_kind_at_idx'::regclass"
                            ).fetchone()[0]


def test_renaming_a_partitioned_table_renames_its_generated_partitions(db):
    before = counts(db)
    spec = {"tables": {"happenings": {**copy.deepcopy(EVENTS), "renamed_from": "events"}}}
    code, out, err = run_apply(db, spec)
    assert code == 0, f"{err}\n{out}"
    assert "UNSAFE" not in out
    assert 'ALTER TABLE "public"."events_2024_01" RENAME TO "happenings_2024_01"' in out
    with psycopg.connect(db) as conn:
        moved = dict(conn.execute("SELECT tableoid::regclass::text, count(*) FROM happenings GROUP BY 1").fetchall())
    assert moved == {name.replace("events", "happenings"): n for name, n in before.items()}
