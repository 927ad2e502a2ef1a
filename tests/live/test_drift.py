"""The drift corpus: one change made by hand to a database in sync with schema.yaml (and
holding rows), then `apply`. Every change is either planned and converges (afterwards
the catalog digests are equal, the diff engine finds nothing, and the rows of the
declared tables are as they were), or it is on the short list of what schemagen
deliberately ignores (pgcatalog.IGNORED, the same list as docs/live-changes.md), and
then the plan is empty.

Cases: SpendSense (with bench.datagen's rows in every table), and the golden cases
custom_schema (schema billing: enum, foreign key, comments, trigger function),
indexes (gin, brin, partial, DESC NULLS LAST) and quoting (reserved words, awkward comments).
"""

from __future__ import annotations

import io
import re
import uuid
from contextlib import ExitStack

import psycopg
import pytest

from schemagen.connect.dburl import with_database
from schemagen.live import apply as applier
from schemagen.live import dbconn, differ, fingerprint, pgcatalog, scratch
from schemagen.live.scope import managed
from schemagen.render.sql import ddl_statements
from schemagen.spec.loader import load
from schemagen.spec.validate import validate
from tests.support import CASES, ROOT, scratch_db

MODELS = {"billing": CASES / "custom_schema", "spendsense": ROOT, "indexes": CASES / "indexes",
          "quoting": CASES / "quoting", "functions": CASES / "functions_triggers"}

ROWS = {
    "billing": "INSERT INTO customers (name) VALUES ('Ada'), ('Grace'), ('Linus');"
               "INSERT INTO invoices (customer_id, status, total) SELECT id, 'sent', 10.5 FROM customers;"
               "INSERT INTO invoices (customer_id, status, total) SELECT id, 'paid', 99 FROM customers LIMIT 2",
    "indexes": "INSERT INTO events (id, account, happened_at, kind) SELECT g, 'a' || g, now() - g * interval '1h', "
               "'k' FROM generate_series(1, 50) g",
    "quoting": "INSERT INTO \"order\" (\"select\", \"limit\") VALUES (1, 2.5), (2, NULL)",
    "functions": "INSERT INTO accounts (email) VALUES ('a@x'), ('b@x');"
                 "INSERT INTO orders (account_id, total) VALUES (1, 10), (2, 5)",
}

# (case, name): SQL run by hand on a database in sync; apply must undo it
CHANGES = {
    ("billing", "column added"): "ALTER TABLE customers ADD COLUMN extra int DEFAULT 7",
    ("billing", "column dropped"): "ALTER TABLE customers DROP COLUMN revision",
    ("billing", "column type widened"): "ALTER TABLE invoices ALTER COLUMN total TYPE numeric(14,2)",
    ("billing", "NOT NULL dropped"): "ALTER TABLE customers ALTER COLUMN name DROP NOT NULL",
    ("billing", "default changed"): "ALTER TABLE customers ALTER COLUMN revision SET DEFAULT 1",
    ("billing", "default dropped"): "ALTER TABLE invoices ALTER COLUMN status DROP DEFAULT",
    ("billing", "column collation"): 'ALTER TABLE customers ALTER COLUMN name TYPE text COLLATE "C"',
    ("billing", "identity column added"): "ALTER TABLE customers ADD COLUMN n bigint GENERATED ALWAYS AS IDENTITY",
    ("billing", "generated column added"):
        "ALTER TABLE customers ADD COLUMN g int GENERATED ALWAYS AS (revision * 2) STORED",
    ("billing", "index dropped"): "DROP INDEX invoices_customer_id_status_idx",
    ("billing", "index added"): "CREATE INDEX extra_idx ON invoices (total)",
    ("billing", "index made partial"): "DROP INDEX invoices_customer_id_status_idx; CREATE INDEX "
        "invoices_customer_id_status_idx ON invoices (customer_id, status) WHERE status <> 'void'",
    ("billing", "index storage parameter"): "ALTER INDEX invoices_customer_id_status_idx SET (fillfactor = 50)",
    ("billing", "primary key index storage"): "ALTER INDEX customers_pkey SET (fillfactor = 60)",
    ("billing", "on delete rule"): "ALTER TABLE invoices DROP CONSTRAINT invoices_customer_id_fkey, ADD CONSTRAINT "
        "invoices_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE",
    ("billing", "deferrable"): "ALTER TABLE invoices ALTER CONSTRAINT invoices_customer_id_fkey DEFERRABLE",
    ("billing", "check added"): "ALTER TABLE invoices ADD CONSTRAINT total_positive CHECK (total >= 0)",
    ("billing", "check added not valid"):
        "ALTER TABLE invoices ADD CONSTRAINT total_positive CHECK (total >= 0) NOT VALID",
    ("billing", "unique added"): "ALTER TABLE customers ADD CONSTRAINT customers_name_key UNIQUE (name)",
    ("billing", "enum value added"): "ALTER TYPE invoice_status ADD VALUE 'refunded'",
    ("billing", "enum value added mid-list"): "ALTER TYPE invoice_status ADD VALUE 'late' BEFORE 'paid'",
    ("billing", "enum value renamed"): "ALTER TYPE invoice_status RENAME VALUE 'void' TO 'cancelled'",
    ("billing", "table comment"): "COMMENT ON TABLE customers IS 'Changed.'",
    ("billing", "column comment"): "COMMENT ON COLUMN customers.name IS 'New.'",
    ("billing", "constraint comment"): "COMMENT ON CONSTRAINT invoices_customer_id_fkey ON invoices IS NULL",
    ("billing", "type comment"): "COMMENT ON TYPE invoice_status IS 'Changed.'",
    ("billing", "schema comment"): "COMMENT ON SCHEMA billing IS 'Changed.'",
    ("billing", "function comment"): "COMMENT ON FUNCTION customers_on_update() IS NULL",
    ("billing", "index comment"): "COMMENT ON INDEX invoices_customer_id_status_idx IS 'Hand-made.'",
    ("billing", "trigger comment"): "COMMENT ON TRIGGER customers_on_update ON customers IS 'x'",
    ("billing", "table added"): "CREATE TABLE extra (id int PRIMARY KEY, customer_id uuid REFERENCES customers)",
    ("billing", "table dropped"): "DROP TABLE invoices",
    ("billing", "unlogged"): "ALTER TABLE invoices SET UNLOGGED",
    ("billing", "table storage parameters"):
        "ALTER TABLE customers SET (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.01)",
    ("billing", "toast storage parameter"): "ALTER TABLE customers SET (toast.autovacuum_enabled = false)",
    ("billing", "statistics target"): "ALTER TABLE customers ALTER COLUMN name SET STATISTICS 500",
    ("billing", "column storage"): "ALTER TABLE customers ALTER COLUMN name SET STORAGE EXTERNAL",
    ("billing", "column compression"): "ALTER TABLE customers ALTER COLUMN name SET COMPRESSION pglz",
    ("billing", "column n_distinct"): "ALTER TABLE invoices ALTER COLUMN status SET (n_distinct = 4)",
    ("billing", "replica identity full"): "ALTER TABLE customers REPLICA IDENTITY FULL",
    ("billing", "replica identity index"): "ALTER TABLE customers REPLICA IDENTITY USING INDEX customers_pkey",
    ("billing", "cluster on"): "ALTER TABLE invoices CLUSTER ON invoices_pkey",
    ("billing", "row level security"): "ALTER TABLE customers ENABLE ROW LEVEL SECURITY",
    ("billing", "forced row level security"): "ALTER TABLE customers FORCE ROW LEVEL SECURITY",
    ("billing", "policy"): "CREATE POLICY own ON customers USING (revision > 0)",
    ("billing", "inheritance child"): "CREATE TABLE child () INHERITS (customers)",
    ("billing", "partitioned table"): "CREATE TABLE parted (id int, at date, PRIMARY KEY (id, at)) "
        "PARTITION BY RANGE (at); CREATE TABLE parted_2026 PARTITION OF parted FOR VALUES FROM ('2026-01-01') "
        "TO ('2027-01-01'); INSERT INTO parted VALUES (1, '2026-05-01')",
    ("billing", "view"): "CREATE VIEW v AS SELECT id, name FROM customers",
    ("billing", "view on a view"): "CREATE VIEW v AS SELECT id FROM customers; CREATE VIEW w AS SELECT id FROM v",
    ("billing", "materialized view"): "CREATE MATERIALIZED VIEW mv AS SELECT id FROM customers",
    ("billing", "function added"): "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'select 1'",
    ("billing", "procedure added"): "CREATE PROCEDURE p() LANGUAGE sql AS 'select 1'",
    ("billing", "function body"): "CREATE OR REPLACE FUNCTION customers_on_update() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
    ("billing", "function volatility"): "ALTER FUNCTION customers_on_update() STABLE",
    ("billing", "trigger dropped"): "DROP TRIGGER customers_on_update ON customers",
    ("billing", "trigger disabled"): "ALTER TABLE customers DISABLE TRIGGER customers_on_update",
    ("billing", "sequence"): "CREATE SEQUENCE s; SELECT nextval('s')",
    ("billing", "sequence owned by a column"): "CREATE SEQUENCE s OWNED BY customers.revision",
    ("billing", "domain"): "CREATE DOMAIN positive AS int CHECK (VALUE > 0)",
    ("billing", "domain in use"): "CREATE DOMAIN positive AS int CHECK (VALUE > 0); "
        "CREATE TABLE scores (id int, s positive); INSERT INTO scores VALUES (1, 5)",
    ("billing", "composite type"): "CREATE TYPE pair AS (a int, b int)",
    ("billing", "range type"): "CREATE TYPE floatrange AS RANGE (subtype = float8)",
    ("billing", "collation"): 'CREATE COLLATION c1 FROM "C"',
    ("billing", "aggregate on its own function"): "CREATE FUNCTION add2(int, int) RETURNS int LANGUAGE sql "
        "AS 'select $1 + $2'; CREATE AGGREGATE total_of(int) (sfunc = add2, stype = int, initcond = '0')",
    ("billing", "extended statistics"): "CREATE STATISTICS st (dependencies) ON customer_id, status FROM invoices",
    ("billing", "rule"): "CREATE RULE keep AS ON DELETE TO invoices WHERE false DO INSTEAD NOTHING",
    ("billing", "operator"): "CREATE FUNCTION same(int, int) RETURNS bool LANGUAGE sql AS 'select $1 = $2'; "
        "CREATE OPERATOR === (leftarg = int, rightarg = int, function = same)",
    ("billing", "text search configuration"): "CREATE TEXT SEARCH CONFIGURATION plain (COPY = simple)",
    ("billing", "extension"): "CREATE EXTENSION hstore SCHEMA billing",
    # privileges of the roles schema.yaml declares (SpendSense's): exactly what is declared, again
    ("spendsense", "declared role loses a privilege"): "REVOKE INSERT ON transactions FROM spendsense_app",
    ("spendsense", "declared role gains a privilege"): "GRANT UPDATE, DELETE ON operator_actions TO spendsense_app",
    ("spendsense", "declared role gains a column privilege"):
        "GRANT UPDATE (reason) ON operator_actions TO spendsense_operator",
    ("spendsense", "declared role loses a column privilege"): "REVOKE SELECT (id) ON operator_actions "
        "FROM spendsense_operator",
    ("spendsense", "declared role gains CREATE on the schema"): "GRANT CREATE ON SCHEMA public TO spendsense_app",
    ("spendsense", "declared role gains EXECUTE"): "GRANT EXECUTE ON FUNCTION profiles_on_update() TO spendsense_app",
    ("spendsense", "declared role gains USAGE on an enum"): "GRANT USAGE ON TYPE persona_type TO spendsense_app",
    ("spendsense", "declared read-only role gains writes"):
        "GRANT TRUNCATE, REFERENCES ON accounts TO spendsense_readonly",
    ("spendsense", "declared role gains a default privilege"):
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT INSERT ON TABLES TO spendsense_app",
    ("spendsense", "declared role loses its default privilege"):
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT ON TABLES FROM spendsense_readonly",
    ("spendsense", "index operator class"): "DROP INDEX computed_features_signal_type_idx; CREATE INDEX "
        "computed_features_signal_type_idx ON computed_features (signal_type varchar_pattern_ops)",
    ("spendsense", "index collation"): "DROP INDEX computed_features_signal_type_idx; CREATE INDEX "
        'computed_features_signal_type_idx ON computed_features (signal_type COLLATE "C")',
    ("spendsense", "index include"): "DROP INDEX accounts_user_id_idx; "
        "CREATE INDEX accounts_user_id_idx ON accounts (user_id) INCLUDE (balance)",
    ("spendsense", "index deduplication off"):
        "ALTER INDEX transactions_date_idx SET (deduplicate_items = off)",
    ("spendsense", "unique nulls not distinct"): "ALTER TABLE profiles DROP CONSTRAINT profiles_email_key, "
        "ADD CONSTRAINT profiles_email_key UNIQUE NULLS NOT DISTINCT (email)",
    ("spendsense", "foreign key dropped"): "ALTER TABLE transactions DROP CONSTRAINT transactions_account_id_fkey",
    ("spendsense", "foreign key match full"): "ALTER TABLE transactions DROP CONSTRAINT "
        "transactions_account_id_fkey, ADD CONSTRAINT transactions_account_id_fkey FOREIGN KEY (account_id) "
        "REFERENCES accounts (id) MATCH FULL ON DELETE CASCADE",
    ("spendsense", "view on a declared table"): "CREATE VIEW big_spenders AS SELECT user_id, sum(amount) "
        "FROM transactions GROUP BY user_id",
    ("spendsense", "column type of an enum"): "ALTER TABLE recommendations ALTER COLUMN type TYPE text",
    ("indexes", "gin fastupdate"): "ALTER INDEX events_payload_idx SET (fastupdate = off)",
    ("indexes", "brin pages per range"): "ALTER INDEX events_happened_brin SET (pages_per_range = 16)",
    ("indexes", "nulls order"): "DROP INDEX events_deleted_at_idx; CREATE INDEX events_deleted_at_idx "
        "ON events (deleted_at NULLS LAST) WHERE kind <> 'test'",
    ("indexes", "partial predicate"): "DROP INDEX events_live_account_kind_key; CREATE UNIQUE INDEX "
        "events_live_account_kind_key ON events (account, kind) WHERE deleted_at IS NOT NULL",
    ("quoting", "comment with quotes"): "COMMENT ON TABLE \"order\" IS 'it''s \\ $$ \"x\"'",
    ("quoting", "default with quotes"): "ALTER TABLE \"order\" ALTER COLUMN class SET DEFAULT 'it''s'",
    # functions, procedures, triggers and aggregates schema.yaml declares (tests/cases/functions_triggers)
    ("functions", "function body"): "CREATE OR REPLACE FUNCTION audit_orders() RETURNS trigger LANGUAGE plpgsql "
        "AS $$ BEGIN RETURN NULL; END $$",
    ("functions", "function volatility"): "ALTER FUNCTION order_total(bigint, text) VOLATILE",
    ("functions", "function strictness"): "ALTER FUNCTION order_total(bigint, text) CALLED ON NULL INPUT",
    ("functions", "security definer dropped"): "ALTER FUNCTION account_id_for(text) SECURITY INVOKER",
    ("functions", "function setting reset"): "ALTER FUNCTION account_id_for(text) RESET search_path",
    ("functions", "function return type"): "DROP FUNCTION account_id_for(text); CREATE FUNCTION "
        "account_id_for(login text) RETURNS integer LANGUAGE sql AS 'SELECT 1'",
    ("functions", "argument default dropped"): "DROP FUNCTION order_total(bigint, text); CREATE FUNCTION "
        "order_total(account_id bigint, status text) RETURNS numeric LANGUAGE sql AS 'SELECT 0::numeric'",
    ("functions", "procedure dropped"): "DROP PROCEDURE cancel_stale_orders(interval, integer)",
    ("functions", "trigger dropped"): "DROP TRIGGER orders_audit_delete ON orders",
    ("functions", "trigger condition"): "DROP TRIGGER orders_set_updated_at ON orders; CREATE TRIGGER "
        "orders_set_updated_at BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION set_updated_at()",
    ("functions", "trigger disabled"): "ALTER TABLE orders DISABLE TRIGGER orders_audit_insert",
    ("functions", "aggregate dropped"): "DROP AGGREGATE group_concat(text)",
    ("functions", "aggregate initial condition"): "DROP AGGREGATE group_concat(text); CREATE AGGREGATE "
        "group_concat(text) (sfunc = _group_concat, stype = text, initcond = '')",
}

# (case, name): changes schemagen leaves alone on purpose, each for a reason in pgcatalog.IGNORED
IGNORED_CHANGES = {
    ("billing", "rows"): ("rows", "INSERT INTO customers (name) VALUES ('someone')"),
    ("billing", "statistics"): ("planner statistics", "ANALYZE customers"),
    ("billing", "sequence position"): ("sequence positions", "SELECT setval('public.counter', 42)"),
    ("billing", "another schema"): ("other schemas", "CREATE TABLE public.elsewhere (id int)"),
    ("billing", "owner"): ("owners", "CREATE ROLE sg_drift_owner; ALTER TABLE customers OWNER TO sg_drift_owner"),
    ("billing", "grant to another role"): ("privileges of roles schema.yaml does not name",
                                           "CREATE ROLE sg_drift_reader; GRANT SELECT ON customers TO sg_drift_reader"),
    ("billing", "tablespace"): ("tablespaces", "ALTER TABLE customers SET TABLESPACE schemagen_scratch"),
    # PUBLIC and the owner are roles schema.yaml does not name either (issue 13: nothing touched for them)
    **{("billing", name): ("privileges of roles schema.yaml does not name", sql) for name, sql in {
        "privilege to PUBLIC": "GRANT SELECT ON customers TO PUBLIC",
        "owner's privilege revoked": "REVOKE DELETE ON invoices FROM CURRENT_USER",
        "column privilege to PUBLIC": "GRANT UPDATE (name) ON customers TO PUBLIC",
        "function privilege revoked from PUBLIC": "REVOKE EXECUTE ON FUNCTION customers_on_update() FROM PUBLIC",
        "schema privilege to PUBLIC": "GRANT USAGE ON SCHEMA billing TO PUBLIC",
        "type privilege revoked from PUBLIC": "REVOKE USAGE ON TYPE invoice_status FROM PUBLIC",
        "default privilege to PUBLIC": "ALTER DEFAULT PRIVILEGES IN SCHEMA billing GRANT SELECT ON TABLES TO PUBLIC",
    }.items()},
}
SETUP = {  # what a case needs before the ignored change (not itself part of it)
    ("billing", "sequence position"): "CREATE SEQUENCE public.counter",
    ("billing", "owner"): "DROP ROLE IF EXISTS sg_drift_owner",
    ("billing", "grant to another role"): "DROP ROLE IF EXISTS sg_drift_reader",
}


def _model(case: str):
    return validate(load(MODELS[case] / "schema.yaml"))


@pytest.fixture(scope="module")
def templates(server_url):
    """case -> (model, template database name, target URL): the template is in sync and holds rows."""
    made, targets = {}, []
    for case in MODELS:
        model = _model(case)
        name = f"sgtest_drift_{case}_{uuid.uuid4().hex[:6]}"
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        url = with_database(server_url, name)
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(";\n".join(ddl_statements(model)))
            if case == "spendsense":
                from bench.datagen import generate
                generate(conn, users=20, transactions_per_user=5)
            else:
                conn.execute(f"SET search_path = {model.name}; {ROWS[case]}")
        target = scratch.scratch_database(server_url, ";\n".join(ddl_statements(model)) + ";\n")
        targets.append(target)
        made[case] = (model, name, target.__enter__())
    yield made
    for target in targets:
        target.__exit__(None, None, None)
    with psycopg.connect(server_url, autocommit=True) as conn:
        for _, name, _ in made.values():
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture
def copy_of(server_url, templates):
    with ExitStack() as stack:
        yield lambda case: with_database(server_url, stack.enter_context(
            scratch_db(server_url, "sgtest_drift", templates[case][1])))


def by_hand(url: str, schema: str, sql: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"SET search_path = {schema}")
        conn.execute(sql)


def snapshot(url: str, model, columns: dict | None = None) -> dict[str, tuple]:
    """A checksum of every declared table's rows, over the declared columns it has (or those given)."""
    out = {}
    with psycopg.connect(url) as conn:
        for table in model.tables:
            have = {r[0] for r in conn.execute(
                "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(%s) AND attnum > 0 "
                "AND NOT attisdropped", (f'"{model.name}"."{table.name}"',))}
            cols = [c.name for c in table.columns if c.name in have]
            if columns is not None:
                cols = columns.get(table.name, [])
            if not cols:
                continue
            row = ", ".join(f'"{c}"::text' for c in cols)
            out[table.name] = (cols, *conn.execute(
                f'SELECT count(*), md5(string_agg(ROW({row})::text, \'|\' ORDER BY ROW({row})::text)) '
                f'FROM "{model.name}"."{table.name}"').fetchone())
    return out


def in_sync(url: str, target: str, model) -> tuple[bool, tuple, list[str]]:
    path = dbconn.search_path(model)
    with dbconn.connect(url, path) as live, dbconn.connect(target, path) as want:
        scope = managed(model)  # the declared roles' privileges are compared too
        same = fingerprint.same(live, want, model.name, scope)
        found = differ.diff(live, want, model.name)
        why = pgcatalog.differences(pgcatalog.describe(live, model.name, scope),
                                    pgcatalog.describe(want, model.name, scope))
        live.rollback()
        want.rollback()
    return same, found.statements + tuple(a.value for a in found.enum_additions), why


def run_apply(url: str, model) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    opts = applier.Options(yes=True, allow_unsafe=True, lock_wait=5)
    try:
        code = applier.apply(model, url, opts, out=out, err=err)
    except applier.ApplyError as exc:
        return exc.exit_code, out.getvalue() + str(exc)
    return code, out.getvalue() + err.getvalue()


def test_the_corpus_is_large_enough():
    assert len(CHANGES) >= 40


@pytest.mark.parametrize("case,name", list(CHANGES))
def test_a_change_by_hand_is_planned_and_converges(copy_of, templates, case, name):
    model, _, target = templates[case]
    url = copy_of(case)
    by_hand(url, model.name, CHANGES[case, name])
    before = snapshot(url, model)
    code, out = run_apply(url, model)
    assert code == 0, out
    same, left, why = in_sync(url, target, model)
    assert same and not left, f"{out}\nleft: {left}\ndiffers: {why}"
    assert snapshot(url, model, {t: v[0] for t, v in before.items()}) == before


@pytest.mark.parametrize("case,name", list(IGNORED_CHANGES))
def test_what_is_deliberately_ignored_makes_no_plan(copy_of, templates, case, name):
    model, _, target = templates[case]
    reason, sql = IGNORED_CHANGES[case, name]
    assert reason in pgcatalog.IGNORED
    url = copy_of(case)
    if (case, name) in SETUP:
        by_hand(url, model.name, SETUP[case, name])
    if name == "tablespace":
        with psycopg.connect(url) as conn:
            if conn.execute("SELECT 1 FROM pg_tablespace WHERE spcname = 'schemagen_scratch'").fetchone() is None:
                pytest.skip("this server has no second tablespace")
    by_hand(url, model.name, sql)
    plan = applier.diff(model, url, applier.Options())
    assert plan.empty, plan.render()
    same, left, why = in_sync(url, target, model)
    assert same and not left, why


def test_every_ignored_reason_is_exercised_or_explained():
    exercised = {reason for reason, _ in IGNORED_CHANGES.values()}
    assert exercised <= set(pgcatalog.IGNORED)


def test_the_ignored_list_is_the_documented_one():
    text = (ROOT / "docs" / "live-changes.md").read_text(encoding="utf-8")
    section = text.split("## What diff deliberately ignores", 1)[1].split("\n## ", 1)[0]
    documented = dict(re.findall(r"^- \*\*(.+?)\*\*: (.+)$", section, re.M))
    assert documented == pgcatalog.IGNORED
