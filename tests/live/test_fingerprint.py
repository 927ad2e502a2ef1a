"""The digest shortcut is sound: a database changed in any way the planner notices gets
a different digest, so `diff` never reports "in sync" where the full plan would not.
Each case starts from a database in sync with the custom_schema case (schema
`billing`: enum, foreign key, index, comments, trigger function), makes one change,
and compares the plan with the shortcut against the plan without it. (That every
change is planned and converges is tests/live/test_drift.py's business.)"""

from __future__ import annotations

import psycopg
import pytest

from schemagen.connect.dburl import with_database
from schemagen.live import dbconn, fingerprint, scratch
from schemagen.live.planner import build_plan
from schemagen.render.sql import ddl_statements
from schemagen.spec.loader import load
from schemagen.spec.validate import validate
from tests.support import CASES, scratch_db

CASE = CASES / "custom_schema" / "schema.yaml"
SCHEMA = validate(load(CASE))

CHANGES = {
    "column added": "ALTER TABLE customers ADD COLUMN extra int",
    "column dropped": "ALTER TABLE customers DROP COLUMN revision",
    "column type": "ALTER TABLE invoices ALTER COLUMN total TYPE numeric(14,2)",
    "nullability": "ALTER TABLE customers ALTER COLUMN name DROP NOT NULL",
    "default changed": "ALTER TABLE customers ALTER COLUMN revision SET DEFAULT 1",
    "default dropped": "ALTER TABLE invoices ALTER COLUMN status DROP DEFAULT",
    "column renamed": "ALTER TABLE customers RENAME COLUMN name TO full_name",
    "column collation": 'ALTER TABLE customers ALTER COLUMN name TYPE text COLLATE "C"',
    "identity column": "ALTER TABLE customers ADD COLUMN n bigint GENERATED ALWAYS AS IDENTITY",
    "generated column": "ALTER TABLE customers ADD COLUMN g int GENERATED ALWAYS AS (revision * 2) STORED",
    "index dropped": "DROP INDEX invoices_customer_id_status_idx",
    "index added": "CREATE INDEX extra_idx ON invoices (total)",
    "index made partial": "DROP INDEX invoices_customer_id_status_idx; CREATE INDEX invoices_customer_id_status_idx "
                          "ON invoices (customer_id, status) WHERE status <> 'void'",
    "on delete rule": "ALTER TABLE invoices DROP CONSTRAINT invoices_customer_id_fkey, ADD CONSTRAINT "
                      "invoices_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE",
    "deferrable": "ALTER TABLE invoices ALTER CONSTRAINT invoices_customer_id_fkey DEFERRABLE",
    "check added": "ALTER TABLE invoices ADD CONSTRAINT total_positive CHECK (total >= 0)",
    "check not valid": "ALTER TABLE invoices ADD CONSTRAINT total_positive CHECK (total >= 0) NOT VALID",
    "unique added": "ALTER TABLE customers ADD CONSTRAINT customers_name_key UNIQUE (name)",
    "enum value added": "ALTER TYPE invoice_status ADD VALUE 'refunded'",
    "enum value renamed": "ALTER TYPE invoice_status RENAME VALUE 'void' TO 'cancelled'",
    "table comment": "COMMENT ON TABLE customers IS 'Changed.'",
    "column comment": "COMMENT ON COLUMN customers.name IS 'New.'",
    "constraint comment": "COMMENT ON CONSTRAINT invoices_customer_id_fkey ON invoices IS NULL",
    "type comment": "COMMENT ON TYPE invoice_status IS 'Changed.'",
    "table added": "CREATE TABLE extra (id int)",
    "table dropped": "DROP TABLE invoices",
    "unlogged": "ALTER TABLE invoices SET UNLOGGED",
    "row level security": "ALTER TABLE customers ENABLE ROW LEVEL SECURITY",
    "policy": "CREATE POLICY own ON customers USING (revision > 0)",
    "replica identity": "ALTER TABLE customers REPLICA IDENTITY FULL",
    "inheritance": "CREATE TABLE child () INHERITS (customers)",
    "partitioned table": "CREATE TABLE parted (id int, at date) PARTITION BY RANGE (at); CREATE TABLE "
                         "parted_2026 PARTITION OF parted FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
    "view": "CREATE VIEW v AS SELECT id FROM customers",
    "materialized view": "CREATE MATERIALIZED VIEW mv AS SELECT id FROM customers",
    "function added": "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'select 1'",
    "procedure added": "CREATE PROCEDURE p() LANGUAGE sql AS 'select 1'",
    "function body": "CREATE OR REPLACE FUNCTION customers_on_update() RETURNS trigger LANGUAGE plpgsql "
                     "AS $$ BEGIN RETURN NEW; END $$",
    "function volatility": "ALTER FUNCTION customers_on_update() STABLE",
    "trigger dropped": "DROP TRIGGER customers_on_update ON customers",
    "trigger disabled": "ALTER TABLE customers DISABLE TRIGGER customers_on_update",
    "sequence": "CREATE SEQUENCE s",
    "domain": "CREATE DOMAIN positive AS int CHECK (VALUE > 0)",
    "domain check": "CREATE DOMAIN positive AS int; ALTER DOMAIN positive ADD CONSTRAINT p CHECK (VALUE > 0)",
    "extension": "CREATE EXTENSION citext SCHEMA billing",
    "sequence options": "CREATE SEQUENCE s AS integer START 5 INCREMENT 2 CYCLE",
    "composite type": "CREATE TYPE pair AS (a int, b int)",
    "collation": 'CREATE COLLATION c1 FROM "C"',
    "aggregate": "CREATE AGGREGATE total_of(int) (sfunc = int4pl, stype = int)",
    "storage": "ALTER TABLE customers ALTER COLUMN name SET STORAGE EXTERNAL",
    "toast storage parameter": "ALTER TABLE customers SET (toast.autovacuum_enabled = false)",
}

# what the planner leaves alone (pgcatalog.IGNORED): the shortcut must still hit
IGNORED = {
    "rows": "INSERT INTO customers (name) VALUES ('someone')",
    "another schema": "CREATE TABLE public.elsewhere (id int)",
    "statistics": "ANALYZE customers",
    "sequence value": "CREATE SEQUENCE public.counter; SELECT nextval('public.counter')",
    # privileges of roles schema.yaml does not declare (PUBLIC is one): issue 13, never touched
    "privilege to PUBLIC": "GRANT SELECT ON customers TO PUBLIC",
    "column privilege to PUBLIC": "GRANT SELECT (name) ON customers TO PUBLIC",
    "default privilege to PUBLIC": "ALTER DEFAULT PRIVILEGES IN SCHEMA billing GRANT SELECT ON TABLES TO PUBLIC",
    "owner's privilege revoked": "REVOKE DELETE ON customers FROM CURRENT_USER",
}


@pytest.fixture(scope="module")
def target(server_url):
    with scratch.scratch_database(server_url, ";\n".join(ddl_statements(SCHEMA)) + ";\n") as url:
        yield url


@pytest.fixture(scope="module")
def template(server_url, target):
    """A database in sync with SCHEMA, copied for each case."""
    with scratch_db(server_url, "sgtest_fp", target.rsplit("/", 1)[1]) as name:
        yield name


@pytest.fixture
def changed(server_url, template):
    with scratch_db(server_url, "sgtest_fp", template) as name:
        def change(sql: str) -> str:
            url = with_database(server_url, name)
            with psycopg.connect(url, autocommit=True, options="-c search_path=billing") as conn:
                conn.execute(sql)
            return url

        yield change


def plans(live_url: str, target_url: str):
    path = dbconn.search_path(SCHEMA)
    with dbconn.connect(live_url, path) as live, dbconn.connect(target_url, path) as target:
        with live.begin() as tx:
            fast = build_plan(SCHEMA, live, target)
            tx.rollback()
        with live.begin() as tx:
            slow = build_plan(SCHEMA, live, target, shortcut=False)
            tx.rollback()
        same = fingerprint.same(live, target, SCHEMA.name)
    return fast.statements(), slow.statements(), same


def test_in_sync_databases_have_the_same_digest(changed, target):
    fast, slow, same = plans(changed("SELECT 1"), target)
    assert same and fast == slow == []


@pytest.mark.parametrize("name", CHANGES)
def test_every_change_the_planner_sees_changes_the_digest(changed, target, name):
    fast, slow, same = plans(changed(CHANGES[name]), target)
    assert fast == slow
    assert slow and not same


@pytest.mark.parametrize("name", IGNORED)
def test_what_the_planner_ignores_keeps_the_shortcut(changed, target, name):
    fast, slow, same = plans(changed(IGNORED[name]), target)
    assert same and fast == slow == []
