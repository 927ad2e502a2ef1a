"""Views' declared columns against what PostgreSQL says they return: `schemagen check` renders the
schema into a scratch database and compares names, order and types (spelled by PostgreSQL)."""

from __future__ import annotations

import subprocess
import sys

import psycopg

from schemagen.live import view_columns
from schemagen.render.pipeline import render_schema_sql
from schemagen.spec.validate import load_schema
from tests.support import CASES, apply_sql

CASE = CASES / "views" / "schema.yaml"


def test_golden_case_views_return_their_declared_columns(empty_db):
    schema = load_schema(CASE)
    apply_sql(empty_db, render_schema_sql(schema))
    with psycopg.connect(empty_db, autocommit=True) as conn:
        assert view_columns.mismatches(schema, conn) == []


def schemagen(*args, cwd):
    return subprocess.run([sys.executable, "-m", "schemagen", *args], cwd=cwd, capture_output=True, text=True)


def test_check_reports_a_declared_type_the_view_does_not_return(tmp_path, server_url):
    text = CASE.read_text()
    (tmp_path / "schema.yaml").write_text(text)
    assert schemagen("render", cwd=tmp_path).returncode == 0
    ok = schemagen("check", "--db", server_url, cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert "the views' declared columns are what PostgreSQL returns" in ok.stderr
    wrong = text.replace("spent: {type: numeric,", "spent: {type: integer,").replace(
        "      email: {type: text}\n      spent", "      mail: {type: text}\n      spent")
    wrong = wrong.replace("orders: {type: bigint}", "orders: {type: integer}")
    (tmp_path / "schema.yaml").write_text(wrong)
    assert schemagen("render", cwd=tmp_path).returncode == 0
    bad = schemagen("check", "--db", server_url, cwd=tmp_path)
    assert bad.returncode == 1
    assert ("views: view customer_totals returns columns (customer_id, email, spent), schema.yaml declares "
            "(customer_id, mail, spent)") in bad.stderr
    assert "views: materialized view daily_sales: column orders is bigint, schema.yaml declares integer" in bad.stderr
    assert bad.stderr.rstrip().splitlines()[-1].startswith("check failed: a view does not return")
