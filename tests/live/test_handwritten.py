"""Schemas written by hand in SQL the way their authors write it (tests/live/handwritten/
<name>/schema.sql), with a schema.yaml written by hand for each: the rendered schema.sql
builds the same catalog, as the catalog digest and the diff engine see it (both ways)."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemagen.live import dbconn, differ, fingerprint
from schemagen.render.pipeline import render_schema_sql
from schemagen.spec.validate import load_schema
from tests.catalog import difference, snapshot
from tests.support import apply_sql

HANDWRITTEN = sorted(p.parent for p in (Path(__file__).parent / "handwritten").glob("*/schema.sql"))


@pytest.mark.parametrize("folder", HANDWRITTEN, ids=[p.name for p in HANDWRITTEN])
def test_schema_yaml_renders_to_the_hand_written_catalog(folder, make_database):
    import psycopg
    theirs, ours = make_database(), make_database()
    apply_sql(theirs, (folder / "schema.sql").read_text())
    apply_sql(ours, render_schema_sql(load_schema(folder / "schema.yaml")))
    for name in load_schema(folder / "schema.yaml").schema_names:  # each schema the file declares
        with dbconn.connect(theirs) as a, dbconn.connect(ours) as b:
            assert fingerprint.digest(a, name) == fingerprint.digest(b, name), name
            assert differ.diff(a, b, name).statements == ()
            assert differ.diff(b, a, name).statements == ()
        with psycopg.connect(theirs) as a, psycopg.connect(ours) as b:
            assert difference(snapshot(a, name), snapshot(b, name)) == "", name
