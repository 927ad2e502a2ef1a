"""Names of things inside a table ("table.column", "table.constraint") are longer than a
PostgreSQL name (63 bytes) when both parts are long, as Django's generated names are. The
catalog description keeps them whole: cut at 63 bytes, two columns became one key (a change
to one of them went unplanned) and a foreign key made again under its own name was counted
among the objects schema.yaml never declared."""

from __future__ import annotations

import psycopg
import yaml

from schemagen.live import apply as applier
from schemagen.live import dbconn, pgcatalog
from schemagen.live.scope import Scope
from schemagen.spec.loader import parse
from schemagen.spec.validate import validate

TABLE = "customer_subscription_billing_events"  # 36 characters
A, B = "recorded_amount_in_minor_units_before_tax", "recorded_amount_in_minor_units_after_tax"


def model():
    spec = {"tables": {"plans": {"columns": {"id": {"type": "integer", "primary_key": True}}},
                       TABLE: {"columns": {"id": {"type": "integer", "primary_key": True},
                                           A: {"type": "integer", "comment": "Before."},
                                           B: {"type": "integer", "comment": "After."},
                                           "plan_id": {"type": "integer", "references": {
                                               "table": "plans", "deferrable": True,
                                               "name": "customer_subscription_billing_events_plan_id_fk_plans_id"}}}}}}
    return validate(parse(yaml.safe_dump(spec, sort_keys=False)))


def test_long_names_are_whole_keys_and_changes_to_them_converge(empty_db):
    opts = applier.Options(yes=True, lock_wait=5, allow_unsafe=True)
    assert applier.apply(model(), empty_db, opts) == 0
    with dbconn.connect(empty_db) as conn:
        keys = set(pgcatalog.describe(conn, "public", Scope()))
    assert {("column", f"{TABLE}.{A}"), ("column", f"{TABLE}.{B}"),
            ("constraint", f"{TABLE}.customer_subscription_billing_events_plan_id_fk_plans_id")} <= keys
    with psycopg.connect(empty_db, autocommit=True) as conn:
        conn.execute(f"COMMENT ON COLUMN {TABLE}.{B} IS 'Changed by hand.'; COMMENT ON COLUMN {TABLE}.{A} IS NULL; "
                     f"ALTER TABLE {TABLE} ALTER CONSTRAINT customer_subscription_billing_events_plan_id_fk_plans_id "
                     "NOT DEFERRABLE")
    plan = applier.diff(model(), empty_db, applier.Options())
    assert plan.header == [] and not [s for s in plan.steps if s.group], plan.render()
    assert sum(s.sql.startswith("COMMENT ON COLUMN") for s in plan.steps) == 2, plan.render()
    assert applier.apply(model(), empty_db, opts) == 0
    assert applier.diff(model(), empty_db, applier.Options()).empty
