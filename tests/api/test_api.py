"""The public API, used the way an application's own scripts would: only the names in
schemagen.api.__all__, against a real PostgreSQL."""

from __future__ import annotations

import shutil

import psycopg
import pytest

from schemagen import api
from tests.support import CASES

CASE = CASES / "composite_keys" / "schema.yaml"


def test_public_names_are_exactly_these():
    assert sorted(api.__all__) == ["Diagnostic", "Schema", "SchemaError", "apply", "check", "lint", "load",
                                   "plan", "render", "write"]
    assert all(callable(getattr(api, name)) or isinstance(getattr(api, name), type) for name in api.__all__)


def test_load_render_write_check(tmp_path):
    schema = api.load(CASE)
    files = api.render(schema)
    assert "schema.sql" in files and any(p.startswith("models/") for p in files)
    assert api.check(schema, tmp_path / "out").clean is False
    assert set(api.write(files, tmp_path / "out")) == set(files)
    assert api.check(schema, tmp_path / "out").clean
    assert api.write(files, tmp_path / "out") == []


def test_load_reports_every_problem(tmp_path):
    (tmp_path / "schema.yaml").write_text("tables:\n  a: {columns: {id: {type: nope}}}\n  b: {columns: {}}\n")
    with pytest.raises(api.SchemaError) as caught:
        api.load(tmp_path / "schema.yaml")
    messages = [d.message for d in caught.value.diagnostics]
    assert any("unknown type" in m for m in messages) and any("no primary key" in m for m in messages)
    assert all(isinstance(d, api.Diagnostic) and d.line >= 1 for d in caught.value.diagnostics)


def test_lint_returns_findings(tmp_path):
    shutil.copy(CASE, tmp_path / "schema.yaml")
    assert all(isinstance(d, api.Diagnostic) and d.code for d in api.lint(tmp_path / "schema.yaml"))


def test_plan_then_apply_exactly_that_plan(make_database):
    url = make_database()
    schema = api.load(CASE)
    plan = api.plan(schema, url)
    assert plan.statements()
    api.apply(schema, url, approved=plan)
    assert api.plan(schema, url).empty


def test_a_plan_the_database_has_moved_away_from_is_not_applied(make_database):
    url = make_database()
    schema = api.load(CASE)
    plan = api.plan(schema, url)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE intruder (id int)")
    with pytest.raises(Exception) as caught:
        api.apply(schema, url, approved=plan, allow_unsafe=True)
    assert type(caught.value).__name__ == "ApplyError" and "changed since the plan was approved" in str(caught.value)
    with psycopg.connect(url) as conn:  # nothing applied
        assert conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0] == 1
