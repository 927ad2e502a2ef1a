"""A column of a domain the format does not import is imported as the domain's base type, not
as text: pagila's film.release_year (domain year over integer) came back as text, so applying
the imported file rewrote film and turned 2006 into '2006'."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import psycopg
import yaml

from tests.support import apply_sql


def test_a_domain_column_is_imported_as_its_base_type(make_database, tmp_path):
    url = make_database()
    apply_sql(url, """
        CREATE DOMAIN year AS integer CONSTRAINT year_check CHECK (VALUE >= 1901 AND VALUE <= 2155);
        CREATE DOMAIN price AS numeric(5,2);
        CREATE DOMAIN year_again AS year;
        CREATE TABLE film (id integer PRIMARY KEY, release_year year, cost price, remade year_again);
        INSERT INTO film VALUES (1, 2006, 4.99, 2010);
    """)
    out = tmp_path / "schema.yaml"
    result = subprocess.run([sys.executable, "-m", "schemagen", "import", "--db", url, "--out", str(out)],
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 1, result.stderr  # the domains are listed as left out
    columns = yaml.safe_load(out.read_text())["tables"]["film"]["columns"]
    assert columns["release_year"]["type"] == "integer"
    assert columns["cost"]["type"] == "numeric(5,2)"
    assert columns["remade"]["type"] == "text"  # a domain over a domain: not followed
    assert "left out: column type public.film.release_year: type year (imported as integer)" in result.stderr
    # so the imported file changes the column's type without a rewrite, and its value stays a number
    done = subprocess.run([sys.executable, "-m", "schemagen", "apply", "--schema", str(out), "--db", url, "--yes",
                           "--allow-unsafe"], capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT release_year, cost FROM film").fetchone() == (2006, Decimal("4.99"))
