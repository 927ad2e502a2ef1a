"""What a plan leaves alone and what it says first: `ignore:` patterns (schema.yaml and
--ignore) are applied to both databases, to the digest and to schemagen's own planning;
objects schema.yaml never declared are dropped under one heading, counted at the top."""

from __future__ import annotations

import subprocess
import sys

import psycopg
import yaml

from schemagen.live import apply as applier
from schemagen.live import dbconn, pgcatalog
from schemagen.live.scope import Scope
from schemagen.spec.loader import parse
from schemagen.spec.validate import validate

SPEC = {"tables": {"items": {"columns": {"id": {"type": "integer", "primary_key": True},
                                        "name": {"type": "text"}}}}}


def model(spec: dict):
    return validate(parse(yaml.safe_dump(spec, sort_keys=False)))


def in_sync(url: str) -> str:
    code = applier.apply(model(SPEC), url, applier.Options(yes=True, lock_wait=5))
    assert code == 0
    return url


def test_patterns_mean_the_same_to_postgresql_and_to_python(empty_db):
    names = ["a.b", "axb", "a+b", "legacy_1", "Legacy_2", "legacy_", "x(1)", "it's", "caf\u00e9"]
    with psycopg.connect(empty_db, autocommit=True) as conn:
        for name in names:
            conn.execute(f'CREATE TABLE "{name.replace(chr(34), chr(34) * 2)}" (id int)')
    for patterns in (["a.b"], ["legacy_?"], ["legacy_*"], ["x(1)", "it's"], ["caf?"], ["*+*"]):
        scope = Scope.of({"tables": patterns})
        with dbconn.connect(empty_db) as conn:
            kept = {o.name for o in pgcatalog.describe(conn, "public", scope).values() if o.kind == "table"}
        assert kept == {n for n in names if not scope.ignored("tables", n)}, patterns
        assert kept != set(names)


def test_ignored_objects_make_no_plan_and_keep_the_digest(empty_db):
    url = in_sync(empty_db)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE legacy_orders (id int PRIMARY KEY, item int REFERENCES items); "
                     "CREATE INDEX manual_name_idx ON items (name); CREATE VIEW legacy_view AS SELECT 1 AS x; "
                     "CREATE FUNCTION legacy_fn() RETURNS int LANGUAGE sql AS 'select 1'")
    assert not applier.diff(model(SPEC), url, applier.Options()).empty
    ignore = {"tables": ["legacy_*"], "indexes": ["manual_*"], "views": ["legacy_*"], "functions": ["legacy_*"]}
    plan = applier.diff(model({**SPEC, "ignore": ignore}), url, applier.Options())
    assert plan.empty, plan.render()
    plan = applier.diff(model(SPEC), url, applier.Options(scope=Scope.of(ignore)))  # the same from --ignore
    assert plan.empty, plan.render()


def test_undeclared_objects_are_counted_first_and_grouped(empty_db):
    url = in_sync(empty_db)
    with psycopg.connect(url, autocommit=True) as conn:
        for i in range(8):
            conn.execute(f"CREATE TABLE old_{i} (id int)")
        conn.execute("ALTER TABLE items ADD COLUMN extra text")
    spec = {"tables": {"items": {"columns": {**SPEC["tables"]["items"]["columns"],
                                             "added": {"type": "text", "nullable": True}}}}}
    plan = applier.diff(model(spec), url, applier.Options())
    text = plan.render()
    assert text.startswith("-- This plan drops 8 tables and 1 column you never declared")
    body = text.split("-- Transaction: schema changes\n", 1)[1].splitlines()
    assert body[0] == "-- Objects schema.yaml does not declare:"
    heading = body.index("-- Everything else:")
    assert sum("drop table" in line for line in body[:heading]) == 8
    assert 'alter table "public"."items" drop column "extra";' in body[:heading]
    assert any('add column "added"' in line for line in body[heading:])
    assert [s.group for s in plan.steps].count("undeclared") == 9


def test_ignore_on_the_command_line(empty_db, tmp_path):
    url = in_sync(empty_db)
    (tmp_path / "schema.yaml").write_text(yaml.safe_dump(SPEC))
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE legacy_a (id int)")

    def diff(*args):
        return subprocess.run([sys.executable, "-m", "schemagen", "diff", "--db", url, *args], cwd=tmp_path,
                              capture_output=True, text=True, timeout=300)

    assert diff().returncode == 1
    result = diff("--ignore", "tables:legacy_*")
    assert result.returncode == 0, result.stderr
    assert "note: not managed: tables legacy_*" in result.stderr
    bad = diff("--ignore", "tabels:legacy_*")
    assert bad.returncode == 2 and "KIND:PATTERN" in bad.stderr and "Traceback" not in bad.stderr
    assert diff("--ignore", "tables:*").returncode == 2
