"""The table of operator classes that extensions provide (spec/validate/extensions.py) is what
PostgreSQL says each extension installs: every entry, and nothing the table leaves out."""

from __future__ import annotations

import psycopg

from schemagen.spec.validate.extensions import EXTENSION_OPCLASSES

PROVIDED = """
SELECT am.amname, o.opcname, x.extname FROM pg_opclass o JOIN pg_am am ON am.oid = o.opcmethod
JOIN pg_depend d ON d.classid = 'pg_opclass'::regclass AND d.objid = o.oid AND d.deptype = 'e'
JOIN pg_extension x ON x.oid = d.refobjid
"""


def test_every_extension_opclass_is_provided_by_its_extension(empty_db):
    extensions = sorted(set(EXTENSION_OPCLASSES.values()))
    with psycopg.connect(empty_db, autocommit=True) as conn:
        builtin = {(m, o) for m, o in conn.execute(
            "SELECT am.amname, o.opcname FROM pg_opclass o JOIN pg_am am ON am.oid = o.opcmethod")}
        assert not builtin & set(EXTENSION_OPCLASSES)  # none of them exists without its extension
        for name in extensions:
            conn.execute(f'CREATE EXTENSION "{name}"')
        provided = {(m, o): x for m, o, x in conn.execute(PROVIDED) if x in extensions}
    assert provided == EXTENSION_OPCLASSES
