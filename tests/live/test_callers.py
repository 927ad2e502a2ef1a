"""A serial column's default dropped breaks the clients' inserts (schemagen/live/callers.py):
marked UNSAFE (breaks callers) and refused without --allow-unsafe, checked against PostgreSQL
(an insert that leaves the column out works before the statement and fails after it); not
marked when the plan numbers the column again (serial to identity)."""

from __future__ import annotations

import psycopg
import pytest
import yaml

from schemagen.live import apply as applier
from schemagen.spec.loader import parse
from schemagen.spec.validate import validate

LIVE = ("CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL); "
        "INSERT INTO items (name) VALUES ('a'), ('b')")


def model(id_column: dict, ignore: dict | None = None, **more):
    columns = {"id": {"type": "integer", "primary_key": True, **id_column}, "name": {"type": "text"}, **more}
    spec = {"tables": {"items": {"columns": columns}}}
    if ignore:
        spec["ignore"] = ignore
    return validate(parse(yaml.safe_dump(spec, sort_keys=False)))


def insert_without_id(url: str) -> Exception | None:
    with psycopg.connect(url) as conn:
        try:
            with conn.transaction(force_rollback=True):
                conn.execute("INSERT INTO items (name) VALUES ('c')")
        except psycopg.Error as exc:
            return exc
    return None


def test_a_serial_default_dropped_breaks_inserts(empty_db):
    with psycopg.connect(empty_db, autocommit=True) as conn:
        conn.execute(LIVE)
    # the sequence is left alone: nothing else in the plan says that inserts will fail
    plan = applier.diff(model({}, {"sequences": ["items_id_seq"]}), empty_db, applier.Options())
    assert plan.statements() == ['alter table "public"."items" alter column "id" drop default']
    step = plan.steps[0]
    assert step.risk == "breaks callers" and "inserts that leave the column out fail" in step.unsafe
    assert insert_without_id(empty_db) is None
    with pytest.raises(applier.ApplyError) as refused:  # without --allow-unsafe
        applier.apply(model({}, {"sequences": ["items_id_seq"]}), empty_db, applier.Options(yes=True, lock_wait=5))
    assert refused.value.exit_code == 3
    with psycopg.connect(empty_db, autocommit=True) as conn:
        conn.execute(step.sql)
    assert isinstance(insert_without_id(empty_db), psycopg.errors.NotNullViolation)


def test_numbered_again_or_made_nullable_is_not_marked(empty_db):
    with psycopg.connect(empty_db, autocommit=True) as conn:
        conn.execute(LIVE + "; ALTER TABLE items ADD COLUMN n serial")
    # id: serial to identity; n: no longer numbered, but inserts may leave it out (NULL)
    spec = model({"identity": "by default"}, {"sequences": ["items_n_seq"]}, n={"type": "integer", "nullable": True})
    plan = applier.diff(spec, empty_db, applier.Options())
    dropped = [s for s in plan.steps if "drop default" in s.sql]
    assert len(dropped) == 2 and not any(s.risk == "breaks callers" for s in dropped), plan.render()
    assert applier.apply(spec, empty_db, applier.Options(yes=True, lock_wait=5, allow_unsafe=True)) == 0
    assert insert_without_id(empty_db) is None
