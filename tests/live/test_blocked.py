"""A drop PostgreSQL refuses because an object the plan leaves in place depends on it (in
another schema here; ignored ones in tests/live/test_public.py) is marked "fails" with what
depends on it (schemagen/live/blocked.py); one whose dependents go first is not."""

from __future__ import annotations

import psycopg
import pytest
import yaml

from schemagen.live import apply as applier
from schemagen.spec.loader import parse
from schemagen.spec.validate import validate

SPEC = {"tables": {"items": {"columns": {"id": {"type": "integer", "primary_key": True}}}}}


def model():
    return validate(parse(yaml.safe_dump(SPEC, sort_keys=False)))


@pytest.mark.parametrize("elsewhere", ["view", "foreign key"])
def test_a_table_another_schema_needs_is_marked_fails(empty_db, elsewhere):
    with psycopg.connect(empty_db, autocommit=True) as conn:
        conn.execute("CREATE TABLE items (id int PRIMARY KEY); CREATE TABLE legacy (id int PRIMARY KEY); "
                     "INSERT INTO legacy VALUES (1); CREATE SCHEMA reports")
        conn.execute("CREATE VIEW reports.old AS SELECT id FROM public.legacy" if elsewhere == "view" else
                     "CREATE TABLE reports.refs (legacy_id int REFERENCES public.legacy)")
    plan = applier.diff(model(), empty_db, applier.Options())
    assert plan.statements() == ['drop table "public"."legacy"']
    step = plan.steps[0]
    assert step.risk == "fails", step
    assert ("view reports.old" if elsewhere == "view" else "constraint refs_legacy_id_fkey on table reports.refs") \
        in step.unsafe
    with pytest.raises(applier.ApplyError, match="depend"):
        applier.apply(model(), empty_db, applier.Options(yes=True, allow_unsafe=True, lock_wait=5))


def test_dependents_the_plan_drops_first_do_not_block(empty_db):
    with psycopg.connect(empty_db, autocommit=True) as conn:
        conn.execute("CREATE TABLE items (id int PRIMARY KEY); CREATE TABLE legacy (id int PRIMARY KEY); "
                     "CREATE VIEW old AS SELECT id FROM legacy; CREATE TABLE refs (legacy_id int REFERENCES legacy)")
    plan = applier.diff(model(), empty_db, applier.Options())
    assert not [s for s in plan.steps if s.risk == "fails"], plan.render()
    assert applier.apply(model(), empty_db, applier.Options(yes=True, allow_unsafe=True, lock_wait=5)) == 0
