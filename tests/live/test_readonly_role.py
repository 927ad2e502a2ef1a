"""A role that may only read and write rows (no ownership) gets the same plan as the owner."""

from __future__ import annotations

import os

import psycopg
import pytest

from schemagen.live import apply as applier
from schemagen.live import dbconn
from schemagen.spec.validate import load_schema
from tests.support import ROOT


@pytest.fixture
def dml_only(dev_server, spendsense_db):
    if dev_server is None:
        pytest.skip("needs the suite's own server (trust auth for a new role)")
    role = f"sg_readonly_{os.getpid()}"
    with psycopg.connect(spendsense_db, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN")
        conn.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
        conn.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}")
    yield spendsense_db.replace("postgres@", f"{role}@", 1)
    with psycopg.connect(spendsense_db, autocommit=True) as conn:
        conn.execute(f"DROP OWNED BY {role}")
        conn.execute(f"DROP ROLE {role}")


def plan(schema, url: str, dev_url: str):
    """The plan with the digest shortcut off, so the diff engine itself compares function bodies."""
    opts = applier.Options(dev_url=dev_url, target_cache=False)
    with dbconn.connect(url, dbconn.search_path(schema)) as live, applier._target(schema, url, live, opts) as target:
        return applier.plan_in_rolled_back_transaction(schema, live, target, opts, shortcut=False)


def test_dml_only_role_sees_the_database_in_sync_like_its_owner(dml_only, spendsense_db, server_url):
    schema = load_schema(ROOT / "schema.yaml")
    assert schema.tables[0].on_update_columns  # the schema has trigger functions for the role not to own
    owner = plan(schema, spendsense_db, server_url)
    assert owner.statements() == []
    assert plan(schema, dml_only, server_url).statements() == []


def test_schemainspect_finds_its_queries_through_the_quick_caller_lookup():
    """differ swaps schemainspect's stack-walking caller lookup for a frame walk; the SQL it
    loads must be the same files (every query non-empty and from its own package)."""
    import subprocess
    import sys
    code = ("from schemagen.live import differ; differ._quick_resource_lookup()\n"
            "import schemainspect.misc as misc, schemainspect.pg.obj as obj\n"
            "assert misc.external_caller is differ._external_caller\n"
            "assert 'pg_proc' in obj.FUNCTIONS_QUERY and 'pg_index' in obj.INDEXES_QUERY\n"
            "print('ok')")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "ok", result.stderr
