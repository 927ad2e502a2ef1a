"""Plans in PostgreSQL's dependency order (pg_depend), tried on a sample database loaded
from its own DDL: an aggregate over a function of its own, a partitioned table whose
partitions inherit its primary key, a domain, a range type, views on views, a
materialized view with an index, rules, extended statistics, triggers, policies,
sequences owned by columns, an extension and rows.

The two failures reported in the issue are reproduced here: apply dropped a function
before the aggregate that uses it ("other objects depend on it"), and then the
partitions' inherited primary keys ("cannot drop inherited constraint"). Now apply
reaches schema.yaml in one run, and with `ignore:` for everything else it drops nothing.
Beyond what schema.yaml can declare today, a hand-written target is reached from an
empty database and back, which orders creates (a domain before its table, a function
before its aggregate) as well as drops.
"""

from __future__ import annotations

import io

import psycopg
import pytest
import yaml

from schemagen.live import apply as applier
from schemagen.live import dbconn, differ, fingerprint, pgcatalog
from schemagen.live.planner import build_plan
from schemagen.spec import model as m
from schemagen.spec.loader import parse
from schemagen.spec.validate import validate

SAMPLE = """
CREATE EXTENSION hstore;
CREATE DOMAIN year AS integer CHECK (VALUE >= 1901 AND VALUE <= 2155);
CREATE TYPE mpaa_rating AS ENUM ('G', 'PG', 'PG-13', 'R', 'NC-17');
CREATE TYPE price_range AS RANGE (subtype = numeric);
CREATE FUNCTION _group_concat(text, text) RETURNS text LANGUAGE sql IMMUTABLE
    AS $$ SELECT CASE WHEN $2 IS NULL THEN $1 WHEN $1 IS NULL THEN $2 ELSE $1 || ', ' || $2 END $$;
CREATE AGGREGATE group_concat(text) (SFUNC = _group_concat, STYPE = text);
CREATE FUNCTION last_updated() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.last_update = now(); RETURN NEW; END $$;
CREATE TABLE customer (
    customer_id integer PRIMARY KEY,
    first_name text NOT NULL,
    last_update timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE film (
    film_id serial PRIMARY KEY, title text NOT NULL, release_year year, rating mpaa_rating DEFAULT 'G',
    special hstore, prices price_range
);
CREATE INDEX film_title_idx ON film (title text_pattern_ops);
CREATE STATISTICS film_stats ON release_year, rating FROM film;
CREATE TRIGGER last_updated BEFORE UPDATE ON film FOR EACH ROW EXECUTE FUNCTION last_updated();
CREATE TABLE payment (
    payment_id integer NOT NULL, customer_id integer NOT NULL REFERENCES customer,
    amount numeric(5,2) NOT NULL, payment_date date NOT NULL, PRIMARY KEY (payment_date, payment_id)
) PARTITION BY RANGE (payment_date);
CREATE TABLE payment_p2022_01 PARTITION OF payment FOR VALUES FROM ('2022-01-01') TO ('2022-02-01');
CREATE TABLE payment_p2022_02 PARTITION OF payment FOR VALUES FROM ('2022-02-01') TO ('2022-03-01');
CREATE TABLE payment_p2022_03 PARTITION OF payment FOR VALUES FROM ('2022-03-01') TO ('2022-04-01');
CREATE INDEX payment_customer_idx ON payment (customer_id);
CREATE VIEW film_list AS SELECT film_id, title, group_concat(rating::text) AS ratings FROM film GROUP BY film_id, title;
CREATE VIEW short_film_list AS SELECT title, ratings FROM film_list;
CREATE MATERIALIZED VIEW rental_by_customer AS SELECT customer_id, sum(amount) AS total FROM payment GROUP BY 1;
CREATE UNIQUE INDEX rental_by_customer_idx ON rental_by_customer (customer_id);
CREATE RULE film_list_no_delete AS ON DELETE TO film DO INSTEAD NOTHING;
ALTER TABLE film ENABLE ROW LEVEL SECURITY;
CREATE POLICY film_all ON film USING (true);
COMMENT ON AGGREGATE group_concat(text) IS 'Concatenates text with commas.';
GRANT SELECT ON film_list TO PUBLIC;
INSERT INTO customer VALUES (1, 'Mary', now()), (2, 'Patricia', now());
INSERT INTO film (title, release_year) VALUES ('Academy Dinosaur', 2006);
INSERT INTO payment VALUES (1, 1, 2.99, '2022-01-15'), (2, 2, 4.99, '2022-02-15'), (3, 1, 0.99, '2022-03-15');
REFRESH MATERIALIZED VIEW rental_by_customer;
"""

# what schema.yaml can say of the sample today: its customer table
DECLARED = {"tables": {"customer": {"columns": {
    "customer_id": {"type": "integer", "primary_key": True},
    "first_name": {"type": "text"},
    "last_update": {"type": "timestamptz", "default": "now()"}}}}}
EVERYTHING_ELSE = {"tables": ["film", "payment*"], "views": ["*_list", "rental_by_customer"],
                   "functions": ["*group_concat", "last_updated"], "types": ["year", "mpaa_rating", "price_range"],
                   "sequences": ["film_*"], "extensions": ["hstore"]}


def model(spec: dict):
    return validate(parse(yaml.safe_dump(spec, sort_keys=False)))


def run_apply(url, schema, **options):
    out, err = io.StringIO(), io.StringIO()
    try:
        code = applier.apply(schema, url, applier.Options(yes=True, lock_wait=5, **options), out=out, err=err)
    except applier.ApplyError as exc:
        return exc.exit_code, out.getvalue() + str(exc)
    return code, out.getvalue() + err.getvalue()


@pytest.fixture
def sample(empty_db):
    with psycopg.connect(empty_db, autocommit=True) as conn:
        conn.execute(SAMPLE)
    return empty_db


def test_the_two_failures_of_the_issue_are_gone(sample):
    schema = model(DECLARED)
    plan = applier.diff(schema, sample, applier.Options())
    sql = plan.statements()
    # the aggregate goes before the function it uses; no partition's key is dropped on its own
    aggregate = next(i for i, s in enumerate(sql) if "group_concat" in s and s.startswith("DROP AGGREGATE"))
    function = next(i for i, s in enumerate(sql) if "_group_concat" in s and "drop function" in s.lower())
    assert aggregate < function
    assert not [s for s in sql if "payment_p2022" in s and "constraint" in s.lower()]
    code, out = run_apply(sample, schema, allow_unsafe=True)
    assert code == 0, out
    assert plan.header[0].startswith("this plan drops 3 views, 2 functions, 2 tables, 1 aggregate, 1 domain, "
                                     "1 enum, 1 extension and 1 range type you never declared")
    with dbconn.connect(sample) as live:
        assert live.exec_driver_sql("SELECT count(*) FROM customer").scalar() == 2
    assert applier.diff(schema, sample, applier.Options()).empty


def test_with_ignore_for_everything_else_nothing_is_dropped(sample):
    schema = model({**DECLARED, "ignore": EVERYTHING_ELSE})
    plan = applier.diff(schema, sample, applier.Options())
    assert plan.empty, plan.render()
    assert plan.header[0].startswith("not managed: tables film, payment*; views *_list")  # the CLI's note
    changed = model({"ignore": EVERYTHING_ELSE, "tables": {"customer": {"columns": {
        **DECLARED["tables"]["customer"]["columns"], "email": {"type": "text", "nullable": True}}}}})
    plan = applier.diff(changed, sample, applier.Options())
    assert plan.statements() == ['alter table "public"."customer" add column "email" text']
    assert plan.header[0].startswith("not managed: tables film, payment*; views *_list")
    assert not plan.unsafe_steps and not [s for s in plan.steps if s.group]


def test_an_extension_is_dropped_whole_never_by_its_members(sample):
    with psycopg.connect(sample, autocommit=True) as conn:  # a change to one of its members
        conn.execute("REVOKE EXECUTE ON FUNCTION hstore_version_diag(hstore) FROM PUBLIC")
    spec = {**DECLARED, "ignore": {k: v for k, v in EVERYTHING_ELSE.items() if k != "extensions"}}
    sql = applier.diff(model(spec), sample, applier.Options()).statements()
    assert [s for s in sql if "hstore" in s] == ['drop extension if exists "hstore"']
    assert applier.diff(model({**DECLARED, "ignore": EVERYTHING_ELSE}), sample, applier.Options()).empty


def plan_between(live_url: str, target_url: str, extensions=()):
    """extensions: what the schema declares (a plan creates only declared extensions, objects.py)."""
    bare = m.Schema(name="public", enums=(), tables=(), extensions=tuple(m.Extension(x) for x in extensions))
    with dbconn.connect(live_url, "public") as live, dbconn.connect(target_url, "public") as target:
        with live.begin() as tx:
            plan = build_plan(bare, live, target, renames=False)
            tx.rollback()
    return plan


def run_plan(url: str, plan) -> None:
    with psycopg.connect(url) as conn:
        with conn.transaction():
            for step in plan.steps:
                if step.phase != "after":
                    conn.execute(step.sql)
    with psycopg.connect(url, autocommit=True) as conn:
        for step in plan.phase("after"):
            conn.execute(step.sql)


def same(live_url: str, target_url: str) -> tuple[bool, tuple, list]:
    with dbconn.connect(live_url, "public") as live, dbconn.connect(target_url, "public") as target:
        why = pgcatalog.differences(pgcatalog.describe(live, "public"), pgcatalog.describe(target, "public"))
        return fingerprint.same(live, target, "public"), differ.diff(live, target, "public").statements, why


def test_a_hand_written_schema_is_reached_from_nothing_and_back(make_database, sample):
    empty = make_database()
    plan = plan_between(empty, sample, extensions=["hstore"])
    sql = plan.statements()
    assert sql.index(next(s for s in sql if "CREATE DOMAIN" in s)) < sql.index(
        next(s for s in sql if s.startswith('create table "public"."film"')))
    assert sql.index(next(s for s in sql if "FUNCTION public._group_concat" in s)) < sql.index(
        next(s for s in sql if s.startswith("CREATE AGGREGATE")))
    run_plan(empty, plan)
    ok, left, why = same(empty, sample)
    assert ok and not left, (why, left)
    back = plan_between(sample, make_database())
    assert back.unsafe_steps
    run_plan(sample, back)
    with dbconn.connect(sample) as conn:
        assert {k for k, _ in pgcatalog.describe(conn, "public")} == {"schema"}
