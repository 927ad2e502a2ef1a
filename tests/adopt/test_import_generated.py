"""A generated column's expression is stored where a default is (pg_attrdef); import lists
the column as left out and writes no default for it: `default: (on_hand - reserved)` is not
valid schema.yaml (a default cannot name columns) and would not mean the same."""

from __future__ import annotations

import subprocess
import sys

import yaml

from tests.support import apply_sql


def test_a_generated_column_is_not_imported_as_a_default(make_database, tmp_path):
    url = make_database()
    apply_sql(url, "CREATE TABLE stock (id integer PRIMARY KEY, on_hand integer NOT NULL DEFAULT 0, "
                   "reserved integer NOT NULL DEFAULT 0, "
                   "available integer GENERATED ALWAYS AS (on_hand - reserved) STORED)")
    result = subprocess.run([sys.executable, "-m", "schemagen", "import", "--db", url], cwd=tmp_path,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stderr
    assert "left out: column property public.stock.available: generated column" in result.stderr
    assert "schema.yaml problem" not in result.stderr, result.stderr
    columns = yaml.safe_load((tmp_path / "schema.yaml").read_text())["tables"]["stock"]["columns"]
    assert "default" not in columns["available"] and columns["on_hand"]["default"] == 0
