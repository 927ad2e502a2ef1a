"""schemagen/spec/catalog_data.py is what scripts/gen_catalog_data.py makes from the test
server's catalogue, and it predicts what PostgreSQL does with an index on each type."""

from __future__ import annotations

import subprocess
import sys

import psycopg
import pytest

from schemagen.spec import catalog_data
from schemagen.spec.types import BUILTINS, parse_type
from schemagen.spec.types import typname as pg_typname
from tests.support import ROOT


def test_committed_file_is_what_the_script_makes(server_url):
    with psycopg.connect(server_url) as conn:
        major = conn.info.server_version // 10000
    if major != catalog_data.SERVER_MAJOR:
        pytest.skip(f"the table comes from PostgreSQL {catalog_data.SERVER_MAJOR}; this server is {major}")
    result = subprocess.run([sys.executable, "scripts/gen_catalog_data.py", server_url, "--stdout"], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (ROOT / "schemagen" / "spec" / "catalog_data.py").read_text(encoding="utf-8")


def _indexable(conn, method: str, sql_type: str) -> bool:
    try:
        with conn.transaction():
            conn.execute(f"CREATE TEMP TABLE probe (x {sql_type}) ON COMMIT DROP")
            conn.execute(f"CREATE INDEX ON probe USING {method} (x)")
            raise _Rollback
    except _Rollback:
        return True
    except psycopg.Error:
        return False


class _Rollback(Exception):
    pass


def test_default_operator_classes_predict_create_index(make_database):
    with psycopg.connect(make_database(), autocommit=True) as conn:
        conn.execute("CREATE TYPE mood AS ENUM ('happy', 'sad')")
        wrong = []
        for method, types in catalog_data.DEFAULT_OPCLASS_TYPES.items():
            for name in [*(n for n, b in BUILTINS.items() if not b.extension), "mood"]:
                typname = "anyenum" if name == "mood" else pg_typname(parse_type(name, set()))
                if (typname in types) != _indexable(conn, method, name):
                    wrong.append(f"{method} on {name}")
    assert not wrong


def test_method_properties_predict_multicolumn_indexes(make_database):
    with psycopg.connect(make_database(), autocommit=True) as conn:
        conn.execute("CREATE TABLE probe (a text, b text)")
        for method, (_order, _unique, multi) in catalog_data.METHOD_PROPERTIES.items():
            if "text" not in catalog_data.DEFAULT_OPCLASS_TYPES[method]:
                continue
            try:
                conn.execute(f"CREATE INDEX ON probe USING {method} (a, b)")
                made = True
            except psycopg.Error:
                made = False
            assert made == multi, method
