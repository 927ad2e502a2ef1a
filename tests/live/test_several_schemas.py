"""Several schemas in one schema.yaml (tests/cases/several_schemas: public and audit) through
diff -> apply -> diff: from empty, from a previous version holding rows, from a file that had
one schema only; a schema the file does not declare is left alone."""

from __future__ import annotations

from schemagen.live import apply as applier
from schemagen.live import dbconn, fingerprint
from schemagen.live.planner import build_plan
from tests.live.test_columns_types import evolve, execute, model, run_apply
from tests.support import CASES

CASE = CASES / "several_schemas"


def in_sync(url: str, spec) -> None:
    """The diff engine finds nothing in any declared schema, and each schema's digests are equal."""
    schema = model(spec)
    opts = applier.Options()
    with dbconn.connect(url, dbconn.search_path(schema)) as live, applier._target(schema, url, live, opts) as target:
        with live.begin() as tx:
            plan = build_plan(schema, live, target, shortcut=False)
            tx.rollback()
        assert plan.empty, plan.render()
        for name in schema.schema_names:
            assert fingerprint.same(live, target, name), name


def test_from_empty(empty_db):
    out = evolve(empty_db, CASE / "schema.yaml")
    in_sync(empty_db, CASE / "schema.yaml")
    assert 'CREATE SCHEMA IF NOT EXISTS "audit"' in out
    execute(empty_db, "INSERT INTO public.accounts (email, last_action) VALUES ('a@x', 'created')")
    execute(empty_db, "INSERT INTO audit.events (account_id, action) VALUES (1, 'created'), (1, 'updated')")
    assert execute(empty_db, "SELECT id, email, events FROM audit.account_activity") == [(1, "a@x", 2)]
    execute(empty_db, "DELETE FROM public.accounts")  # ON DELETE SET NULL across the schemas
    assert execute(empty_db, "SELECT count(*) FROM audit.events WHERE account_id IS NULL") == [(2,)]
    assert execute(empty_db, "SELECT obj_description('audit'::regnamespace, 'pg_namespace')") == [
        ("Who did what, kept apart from the application's tables.",)]


def test_from_previous_version_with_rows(empty_db):
    evolve(empty_db, CASE / "previous.yaml")
    in_sync(empty_db, CASE / "previous.yaml")
    execute(empty_db, "INSERT INTO public.accounts (email) VALUES ('a@x'), ('b@x')")
    execute(empty_db, "INSERT INTO audit.events (account_id, action) VALUES (1, 'created'), (2, 'deleted')")
    out = evolve(empty_db, CASE / "schema.yaml")
    in_sync(empty_db, CASE / "schema.yaml")
    assert "ADD VALUE IF NOT EXISTS 'updated'" in out
    assert execute(empty_db, "SELECT count(*) FROM audit.events") == [(2,)]
    assert execute(empty_db, "SELECT id, email, events FROM audit.account_activity ORDER BY id") == [
        (1, "a@x", 1), (2, "b@x", 1)]
    assert execute(empty_db, "SELECT confdeltype FROM pg_constraint WHERE conname = 'events_account_id_fkey'") == [
        ("n",)]
    assert execute(empty_db, "SELECT obj_description('audit'::regnamespace, 'pg_namespace')") == [
        ("Who did what, kept apart from the application's tables.",)]


def test_from_a_file_with_one_schema(empty_db):
    one = {"tables": {"accounts": {"columns": {"id": {"type": "bigint", "identity": "always", "primary_key": True},
                                               "email": {"type": "text", "unique": True}}}}}
    evolve(empty_db, one)
    execute(empty_db, "INSERT INTO accounts (email) VALUES ('a@x')")
    out = evolve(empty_db, CASE / "schema.yaml")
    assert out.index('CREATE SCHEMA IF NOT EXISTS "audit"') < out.index('"audit"."audit_action"')
    in_sync(empty_db, CASE / "schema.yaml")
    assert execute(empty_db, "SELECT email, plan::text FROM public.accounts") == [("a@x", "free")]


def test_an_undeclared_schema_is_left_alone(empty_db):
    execute(empty_db, "CREATE SCHEMA scratchpad; CREATE TABLE scratchpad.notes (id int)")
    evolve(empty_db, CASE / "schema.yaml")
    code, out, err = run_apply(empty_db, CASE / "schema.yaml")
    assert code == 0 and "scratchpad" not in out + err
    assert execute(empty_db, "SELECT count(*) FROM scratchpad.notes") == [(0,)]


def test_a_change_made_by_hand_in_the_further_schema_is_seen(empty_db):
    evolve(empty_db, CASE / "schema.yaml")
    execute(empty_db, "ALTER TABLE audit.events ADD COLUMN note text")
    code, out, err = run_apply(empty_db, CASE / "schema.yaml")
    assert code == 3, out + err  # the column schema.yaml does not declare is dropped: unsafe
    assert 'alter table "audit"."events" drop column "note"' in out.lower()
    evolve(empty_db, CASE / "schema.yaml", allow_unsafe=True)
    in_sync(empty_db, CASE / "schema.yaml")


def test_an_empty_database_gets_schema_sql_itself(empty_db):
    schema = model(CASE / "schema.yaml")
    with dbconn.connect(empty_db, dbconn.search_path(schema)) as live, \
            applier._target(schema, empty_db, live, applier.Options()) as target:
        with live.begin() as tx:
            plan = build_plan(schema, live, target, empty_fast_path=True)
            tx.rollback()
    assert plan.notes == ["the schema is empty: the plan is schema.sql itself"]
    assert plan.statements()[0] == 'CREATE SCHEMA IF NOT EXISTS "audit"'


def test_dropping_a_schema_is_unsafe():
    from schemagen.live.safety import Context, classify
    step = classify('DROP SCHEMA "audit" CASCADE', Context(set(), set()), set())
    assert step.risk == "breaks callers" and "drops schema audit" in step.unsafe
