"""Golden cases: tests/cases/<case>/schema.yaml renders exactly to expected/,
the SQL applies to PostgreSQL, and the models build the same catalog.

Set SCHEMAGEN_UPDATE_GOLDEN=1 to rewrite expected/ after an intended change
(then read the diff before committing it).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import create_engine

from schemagen.render.output import compare, write
from schemagen.render.pipeline import render
from schemagen.spec.validate import load_schema
from tests.catalog import difference, snapshot
from tests.support import CASES as CASES_DIR
from tests.support import apply_sql, import_package, sqlalchemy_url

CASES = sorted(p.parent for p in CASES_DIR.glob("*/schema.yaml"))


@pytest.fixture(params=CASES, ids=[c.name for c in CASES])
def case(request) -> Path:
    return request.param


def rendered(case: Path) -> dict[str, str]:
    """The case's rendering, but for the parts that are the same for every schema
    (database/: test_runtime.py; the JSON Schema: test_docs.py)."""
    return {p: t for p, t in render(load_schema(case / "schema.yaml")).items()
            if not p.startswith("database/") and p != "schemagen.schema.json"}


def test_render_matches_golden_files(case):
    files = rendered(case)
    expected = case / "expected"
    if os.environ.get("SCHEMAGEN_UPDATE_GOLDEN"):
        write(expected, files)
    result = compare(expected, files)
    assert result.clean, "".join(result.diff)


def test_rendering_is_deterministic(case):
    assert render(load_schema(case / "schema.yaml")) == render(load_schema(case / "schema.yaml"))


def test_sql_applies_and_models_build_the_same_catalog(case, make_database):
    schema = load_schema(case / "schema.yaml")
    from_sql, from_orm = make_database(), make_database()
    apply_sql(from_sql, (case / "expected" / "schema.sql").read_text())
    models = import_package(case / "expected" / "models")
    engine = create_engine(sqlalchemy_url(from_orm))
    models.Base.metadata.create_all(engine)
    engine.dispose()
    for name in schema.schema_names:  # every schema the file places objects in
        with psycopg.connect(from_sql) as a, psycopg.connect(from_orm) as b:
            sql_catalog, orm_catalog = snapshot(a, name), snapshot(b, name)
        mine = [t for t in schema.tables if schema.schema_of(t.name) == name]
        assert set(sql_catalog["tables"]) == {t.name for t in mine} | {
            p.name for t in mine for p in t.all_partitions()}
        assert difference(sql_catalog, orm_catalog) == "", name


def test_expected_models_pass_ruff(case):
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--isolated",
                             str(case / "expected")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
