"""Access control written by hand in SQL (tests/live/handwritten_access/<name>/schema.sql: group
roles, row level security, policies, one reading another table, grants per table, column and
sequence, default privileges), with a schema.yaml written by hand for it: the rendered schema.sql
builds the same catalog, as the digest (with the declared roles' privileges), the diff engine
(both ways), the declared roles' privileges and the policies as PostgreSQL prints them see it."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from schemagen.live import dbconn, differ, fingerprint, privileges
from schemagen.live.scope import Scope
from schemagen.render.pipeline import render_schema_sql
from schemagen.spec.validate import load_schema
from tests.catalog import difference, snapshot
from tests.support import apply_sql

FOLDERS = sorted(p.parent for p in (Path(__file__).parent / "handwritten_access").glob("*/schema.sql"))
POLICIES = """SELECT c.relname, p.polname, p.polcmd, p.polpermissive, ARRAY(SELECT rolname FROM pg_roles
    WHERE oid = ANY(p.polroles) ORDER BY 1), pg_get_expr(p.polqual, p.polrelid),
    pg_get_expr(p.polwithcheck, p.polrelid), c.relrowsecurity, c.relforcerowsecurity
FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid ORDER BY 1, 2"""


@pytest.mark.parametrize("folder", FOLDERS, ids=[p.name for p in FOLDERS])
def test_schema_yaml_renders_to_the_hand_written_access_control(folder, make_database, server_url):
    schema = load_schema(folder / "schema.yaml")
    roles = [r.name for r in schema.roles]
    with psycopg.connect(server_url, autocommit=True) as conn:  # the hand-written file creates them
        for role in roles:
            conn.execute(f'DROP ROLE IF EXISTS "{role}"')
    theirs, ours = make_database(), make_database()
    apply_sql(theirs, (folder / "schema.sql").read_text())
    apply_sql(ours, render_schema_sql(schema))
    with dbconn.connect(theirs) as a, dbconn.connect(ours) as b:
        scope = Scope.of(roles=roles)
        assert fingerprint.digest(a, schema.name, scope) == fingerprint.digest(b, schema.name, scope)
        assert differ.diff(a, b, schema.name).statements == ()
        assert differ.diff(b, a, schema.name).statements == ()
        held = privileges.live_entries(a, schema.name, roles)
        assert held == privileges.live_entries(b, schema.name, roles)
        assert len(held) >= 10  # the hand-written grants are there to compare
    with psycopg.connect(theirs, options="-c search_path=pg_catalog") as a, \
            psycopg.connect(ours, options="-c search_path=pg_catalog") as b:
        assert a.execute(POLICIES).fetchall() == b.execute(POLICIES).fetchall()
        assert difference(snapshot(a, schema.name), snapshot(b, schema.name)) == ""
