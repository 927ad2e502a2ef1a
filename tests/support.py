"""Helpers and paths the tests share (fixtures are in conftest.py)."""

from __future__ import annotations

import importlib.util
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

import psycopg
from psycopg.conninfo import conninfo_to_dict

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
CASES = TESTS / "cases"       # golden cases: schema.yaml + expected/
INVALID = TESTS / "invalid"   # broken schema.yaml + expected.txt
LINT = TESTS / "lint"         # one folder per lint rule


def apply_sql(url: str, sql: str) -> None:
    """Run a script in one transaction, as `psql --single-transaction` would."""
    with psycopg.connect(url) as conn:
        with conn.transaction():
            conn.execute(sql)


@contextmanager
def scratch_db(server_url: str, prefix: str = "sgtest", template: str | None = None):
    """The name of a new database (a copy of `template` when given), dropped on leaving."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    try:
        yield name
    finally:
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def import_package(path: Path, name: str | None = None):
    """Import a generated models folder as a package with a unique name."""
    name = name or f"gen_models_{uuid.uuid4().hex[:8]}"
    spec = importlib.util.spec_from_file_location(name, path / "__init__.py",
                                                  submodule_search_locations=[str(path)])
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def sqlalchemy_url(url: str) -> str:
    """A libpq URL or conninfo as a SQLAlchemy URL for psycopg 3."""
    from sqlalchemy.engine import URL
    p = conninfo_to_dict(url)
    return URL.create("postgresql+psycopg", username=p.get("user"), password=p.get("password"),
                      host=p.get("host"), port=int(p["port"]) if p.get("port") else None,
                      database=p.get("dbname")).render_as_string(hide_password=False)
