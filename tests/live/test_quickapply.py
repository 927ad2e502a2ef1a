"""apply to an empty schema through psycopg alone (live/quickapply.py): the same result and
the same safety steps as apply.py's path, without importing SQLAlchemy; a remembered target
digest (live/targetdigest.py) saves the target database and never lets a wrong result pass."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import psycopg
import pytest

from schemagen.live import dbconn, fastpath, history, pgcatalog, privileges, quickapply, targetdigest
from schemagen.live.lazysql import pyformat
from schemagen.live.options import Options
from schemagen.render.sqlcache import schema_sql
from schemagen.spec.loader import load
from schemagen.spec.validate import validate
from tests.live.test_fastpath import _left_by_full_diff
from tests.support import ROOT


def _spendsense():
    return validate(load(ROOT / "schema.yaml"))


def _apply(schema, url, **options):
    out, err = io.StringIO(), io.StringIO()
    code = quickapply.apply_empty(schema, url, Options(**{"yes": True, "lock_wait": 1, **options}), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def _tables(url) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0]


@pytest.mark.parametrize("sql", [fastpath.ANYTHING, fastpath.INSTALLED, privileges.LIVE, pgcatalog.digest_query(),
                                 pgcatalog.rows_query(), history.INSERT])
def test_its_sql_is_what_sqlalchemy_sends(sql):
    from sqlalchemy import text
    from sqlalchemy.dialects.postgresql import psycopg as dialect
    assert pyformat(sql) == str(text(sql).compile(dialect=dialect.dialect()))


def test_the_lock_is_apply_py_s():
    assert quickapply.ADVISORY_LOCK_KEY == dbconn.ADVISORY_LOCK_KEY


def test_spendsense_converges_with_history_and_no_sqlalchemy(empty_db):
    probe = ("import sys; from schemagen.cli import main\n"
             "code = main(['apply', '--db', sys.argv[1], '--yes'])\n"
             "print(sorted(m for m in ('sqlalchemy', 'migra') if m in sys.modules)); sys.exit(code)")
    result = subprocess.run([sys.executable, "-c", probe, empty_db], cwd=ROOT, capture_output=True, text=True,
                            env=os.environ, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
    assert "the schema is empty: the plan is schema.sql itself" in result.stderr
    schema = _spendsense()
    assert _left_by_full_diff(schema, empty_db) == []
    with psycopg.connect(empty_db) as conn:
        kind, count = conn.execute("SELECT kind, cardinality(statements) FROM schemagen.history").fetchone()
    assert (kind, count) == ("apply", len(fastpath.plan(schema).steps))


def test_a_remembered_digest_saves_the_target_and_a_wrong_one_does_not_pass(make_database):
    schema = _spendsense()
    first, second = make_database(), make_database()
    assert _apply(schema, first)[0] == 0
    sql = schema_sql(schema)
    with psycopg.connect(first) as conn:
        version = conn.execute("SELECT current_setting('server_version_num')").fetchone()[0]
    params = {"schema": "public", **quickapply.managed(schema, Options().scope).params()}
    assert targetdigest.recall(sql, version, params) is not None
    targetdigest.remember(sql, version, params, "0" * 64)  # stale: the result is checked against a new target
    assert _apply(schema, second)[0] == 0
    assert targetdigest.recall(sql, version, params) != "0" * 64
    assert _left_by_full_diff(schema, second) == []


def test_a_result_that_differs_from_the_target_is_rolled_back(empty_db):
    with psycopg.connect(empty_db, autocommit=True) as conn:  # something else changes what apply creates
        conn.execute("CREATE SCHEMA meddler")  # outside the managed schema, which must be empty
        conn.execute("CREATE FUNCTION meddler.comment() RETURNS event_trigger LANGUAGE plpgsql AS "
                     "$$ DECLARE t text; BEGIN "
                     "FOR t IN SELECT object_identity FROM pg_event_trigger_ddl_commands() WHERE object_type = 'table' "
                     "LOOP EXECUTE format('ALTER TABLE %s ADD COLUMN IF NOT EXISTS meddled int', t); END LOOP; END $$")
        conn.execute("CREATE EVENT TRIGGER meddle ON ddl_command_end WHEN TAG IN ('CREATE TABLE') "
                     "EXECUTE FUNCTION meddler.comment()")
    schema = _spendsense()
    with pytest.raises(quickapply.ApplyError, match="did not converge") as caught:
        _apply(schema, empty_db)
    assert "column profiles.meddled: only in the database" in str(caught.value)
    assert _tables(empty_db) == 0
    with psycopg.connect(empty_db) as conn:
        assert conn.execute("SELECT to_regclass('schemagen.history')").fetchone()[0] is None


def test_anything_else_is_left_to_apply_py(empty_db, server_url):
    schema = _spendsense()
    with psycopg.connect(empty_db, autocommit=True) as conn:
        conn.execute("CREATE TABLE public.stray (id int)")
    assert _apply(schema, empty_db)[0] is None  # not empty
    with psycopg.connect(empty_db, autocommit=True) as conn:
        conn.execute("DROP TABLE public.stray")
    assert _apply(schema, empty_db, dev_url=server_url)[0] is None  # --dev-url: apply.py checks the server
    assert _apply(schema, empty_db, yes=False)[0] is None  # asks first
    with psycopg.connect(empty_db, autocommit=True) as other:  # another apply holds the lock
        other.execute("SELECT pg_advisory_lock(%s)", (dbconn.ADVISORY_LOCK_KEY,))
        assert _apply(schema, empty_db)[0] is None
    assert _tables(empty_db) == 0
    assert _apply(schema, empty_db, dry_run=True)[0] == 1
    assert _tables(empty_db) == 0

