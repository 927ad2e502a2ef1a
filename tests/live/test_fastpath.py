"""An empty schema gets schema.sql itself as its plan (live/fastpath.py): the result must be
what the full path reaches (the diff engine, run regardless of digests, finds nothing left),
the diff engine is never imported, and a schema holding anything takes the full path."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import psycopg
import pytest

from schemagen.live import apply as applier
from schemagen.live import dbconn
from schemagen.live.planner import build_plan
from schemagen.spec.loader import load
from schemagen.spec.validate import validate
from tests.support import CASES, ROOT

GOLDEN = sorted(p.name for p in CASES.iterdir() if (p / "schema.yaml").exists())


def _apply(schema, url):
    out, err = io.StringIO(), io.StringIO()
    code = applier.apply(schema, url, applier.Options(yes=True, lock_wait=5), out=out, err=err)
    return code, out.getvalue()


def _left_by_full_diff(schema, live_url) -> list[str]:
    """What the full path still plans: the diff engine and every planner, digests not trusted."""
    from schemagen.live.apply import _target
    opts = applier.Options()
    path = dbconn.search_path(schema)
    with dbconn.connect(live_url, path) as live, _target(schema, live_url, live, opts) as target:
        with live.begin() as tx:
            left = build_plan(schema, live, target, shortcut=False)
            tx.rollback()
    return left.statements()


@pytest.mark.parametrize("case", GOLDEN)
def test_an_empty_database_reaches_what_the_full_path_reaches(case, empty_db):
    schema = validate(load(CASES / case / "schema.yaml"))
    code, shown = _apply(schema, empty_db)
    assert code == 0
    assert "CREATE TABLE" in shown
    assert _left_by_full_diff(schema, empty_db) == []


def test_the_fast_path_is_announced_and_never_imports_the_diff_engine(empty_db):
    probe = ("import sys; from schemagen.cli import main\n"
             "code = main(['apply', '--db', sys.argv[1], '--yes'])\n"
             "print('migra' in sys.modules); sys.exit(code)")
    result = subprocess.run([sys.executable, "-c", probe, empty_db], cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "SCHEMAGEN_NO_CACHE": "1"}, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False"
    assert "the schema is empty: the plan is schema.sql itself" in result.stdout + result.stderr


@pytest.mark.parametrize("present, name", [
    ("CREATE TABLE public.stray (id int)", "stray"),
    ("CREATE TYPE public.mood AS ENUM ('ok')", "mood"),
    ("CREATE FUNCTION public.stray_f() RETURNS int LANGUAGE sql AS 'SELECT 1'", "stray_f"),
    ("CREATE SEQUENCE public.stray_s", "stray_s"),
])
def test_a_schema_holding_anything_takes_the_full_path(present, name, empty_db):
    with psycopg.connect(empty_db, autocommit=True) as conn:
        conn.execute(present)
    schema = validate(load(ROOT / "schema.yaml"))
    plan = applier.diff(schema, empty_db, applier.Options())
    assert "the schema is empty: the plan is schema.sql itself" not in plan.notes
    assert any(s.sql.lower().startswith("drop") and name in s.sql for s in plan.steps), plan.statements()
