"""A schema written by someone else, the way they write SQL (tests/live/foreign/helpdesk.sql:
identity, bigserial and serial keys, arrays, citext, domains, an enum, a sequence in a
default, a generated tsvector, ranges, interval fields, a collation), loaded as is; its
schema.yaml, written by hand, renders to the same catalog: the diff engine finds nothing,
the digests are equal, and the models' create_all builds the same catalog too."""

from __future__ import annotations

from pathlib import Path

import psycopg
from sqlalchemy import create_engine

from schemagen.live import apply as applier
from schemagen.live import dbconn, differ, fingerprint
from schemagen.render.output import write
from schemagen.render.pipeline import render
from schemagen.spec.validate import load_schema
from tests.catalog import difference, snapshot
from tests.support import apply_sql, import_package, sqlalchemy_url

FOREIGN = Path(__file__).resolve().parent / "foreign"


def test_hand_written_sql_and_its_schema_yaml_give_one_catalog(make_database, tmp_path):
    theirs = make_database()
    apply_sql(theirs, (FOREIGN / "helpdesk.sql").read_text())
    schema = load_schema(FOREIGN / "helpdesk.yaml")
    with dbconn.connect(theirs, dbconn.search_path(schema)) as live, \
            applier._target(schema, theirs, live, applier.Options()) as target:
        result = differ.diff(live, target, schema.name)
        assert result.statements == () and result.enum_additions == ()
        assert fingerprint.same(live, target, schema.name)
    assert applier.diff(schema, theirs, applier.Options()).empty  # with sequences, identity and domains

    files = render(schema)
    write(tmp_path / "out", files)
    ours, from_models = make_database(), make_database()
    apply_sql(ours, files["schema.sql"])
    engine = create_engine(sqlalchemy_url(from_models))
    import_package(tmp_path / "out" / "models").Base.metadata.create_all(engine)
    engine.dispose()
    with psycopg.connect(theirs) as a, psycopg.connect(ours) as b, psycopg.connect(from_models) as c:
        catalog = snapshot(a)
        assert difference(catalog, snapshot(b)) == ""
        assert difference(catalog, snapshot(c)) == ""
    assert set(catalog["domains"]) == {"email_address", "ticket_priority"}
    assert catalog["sequences"]["ticket_number_seq"][-1] == "a:tickets.number"
