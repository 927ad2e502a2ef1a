"""diff's record of its target database (live/targetcache.py): a second diff of the same SQL on
the same server builds no target database and plans the same; a changed schema.yaml, a changed
server, a damaged record or a question the record cannot answer never give another plan.

Whether a run built a target database is read from PostgreSQL's own OID counter: creating a
database and loading SpendSense into it takes hundreds of OIDs, a diff without one takes none."""

from __future__ import annotations

import psycopg
import pytest

from schemagen.live import apply as applier
from schemagen.live import dbconn, targetcache
from schemagen.live.options import Options
from schemagen.render.sqlcache import schema_sql
from schemagen.spec.loader import load
from schemagen.spec.validate import validate
from tests.support import ROOT

BUILT = 100  # OIDs: a target database holding SpendSense takes far more


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    """A user cache of this test's own: records of other tests are not this test's to replay."""
    monkeypatch.setenv("SCHEMAGEN_CACHE_DIR", str(tmp_path / "cache"))


def _spendsense(text: str | None = None, tmp_path=None):
    if text is None:
        return validate(load(ROOT / "schema.yaml"))
    path = tmp_path / "schema.yaml"
    path.write_text(text)
    return validate(load(path))


def _next_oid(url: str) -> int:
    with psycopg.connect(url) as conn:
        conn.execute("CREATE TEMP TABLE oid_probe ()")
        oid = conn.execute("SELECT 'oid_probe'::regclass::oid::bigint").fetchone()[0]
        conn.rollback()
    return oid


def _diff(schema, url: str, **options):
    """(the plan, whether a target database was built for it)."""
    before = _next_oid(url)
    plan = applier.diff(schema, url, Options(**options))
    return plan, _next_oid(url) - before > BUILT


def _shown(plan) -> tuple:
    return plan.statements(), [s.note for s in plan.steps], [s.unsafe for s in plan.steps], plan.notes, plan.header


def _by_hand(url: str, sql: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)


def test_a_second_diff_builds_no_target_database_and_plans_the_same(spendsense_db):
    schema = _spendsense()
    _by_hand(spendsense_db, "ALTER TABLE profiles ADD COLUMN extra integer")
    first, built = _diff(schema, spendsense_db)
    assert built and targetcache.known(schema_sql(schema))
    assert any("extra" in s for s in first.statements()) and first.unsafe_steps
    second, built = _diff(schema, spendsense_db)
    assert not built
    assert _shown(second) == _shown(first)
    _by_hand(spendsense_db, "ALTER TABLE profiles DROP COLUMN extra")  # back in sync: the record answers that too
    plan, built = _diff(schema, spendsense_db)
    assert plan.empty and not built


def test_a_record_that_cannot_answer_plans_again_against_a_real_target(spendsense_db):
    schema = _spendsense()
    plan, built = _diff(schema, spendsense_db)
    assert plan.empty and built  # in sync: the record holds the digests alone
    _by_hand(spendsense_db, "ALTER TABLE profiles ADD COLUMN extra integer")
    changed, built = _diff(schema, spendsense_db)
    assert built  # the record had no answer for the full plan: a target was built, and recorded
    _, fresh = _plan_without_cache(schema, spendsense_db)
    assert _shown(changed) == fresh
    again, built = _diff(schema, spendsense_db)
    assert not built and _shown(again) == fresh


def _plan_without_cache(schema, url: str):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SCHEMAGEN_NO_CACHE", "1")
        plan = applier.diff(schema, url, Options())
    return plan, _shown(plan)


def test_a_changed_schema_yaml_is_planned_against_its_own_target(spendsense_db, tmp_path):
    schema = _spendsense()
    assert _diff(schema, spendsense_db)[0].empty
    changed = _spendsense(_with_new_column((ROOT / "schema.yaml").read_text()), tmp_path)
    plan, built = _diff(changed, spendsense_db)
    assert built
    assert any("nickname" in s for s in plan.statements())
    assert _shown(plan) == _plan_without_cache(changed, spendsense_db)[1]


def _with_new_column(text: str) -> str:
    anchor = "    columns:\n      user_id:\n"
    assert text.count(anchor) >= 1
    return text.replace(anchor, "    columns:\n      nickname:\n        type: text\n      user_id:\n", 1)


def test_a_changed_server_is_another_key(spendsense_db, server_url):
    schema = _spendsense()
    assert _diff(schema, spendsense_db)[0].empty
    with dbconn.connect(spendsense_db) as conn:
        before = targetcache.server_key(conn)
    _by_hand(server_url, "CREATE ROLE targetcache_probe")
    try:
        with dbconn.connect(spendsense_db) as conn:
            after = targetcache.server_key(conn)
        assert after != before  # roles shape what a new database holds (grants, owners)
        path = dbconn.search_path(schema)
        assert targetcache.load(schema_sql(schema), path, before) is not None
        assert targetcache.load(schema_sql(schema), path, after) is None
        assert targetcache.load(schema_sql(schema), "other", before) is None
        plan, built = _diff(schema, spendsense_db)
        assert plan.empty and built
    finally:
        _by_hand(server_url, "DROP ROLE targetcache_probe")


def test_a_damaged_record_is_a_miss(spendsense_db, tmp_path):
    schema = _spendsense()
    _by_hand(spendsense_db, "ALTER TABLE profiles ADD COLUMN extra integer")
    first, _ = _diff(schema, spendsense_db)
    for record in (tmp_path / "cache" / targetcache.KIND).iterdir():
        record.write_bytes(record.read_bytes()[:100])
    plan, built = _diff(schema, spendsense_db)
    assert built and _shown(plan) == _shown(first)


def test_the_record_is_never_used_by_apply(spendsense_db):
    """apply plans against a real target (and checks convergence against it): a record is diff's alone."""
    schema = _spendsense()
    _by_hand(spendsense_db, "ALTER TABLE profiles ADD COLUMN extra integer")
    _diff(schema, spendsense_db)
    before = _next_oid(spendsense_db)
    with pytest.raises(applier.ApplyError):  # dropping a column is unsafe: refused, after planning for real
        applier.apply(schema, spendsense_db, Options(yes=True))
    assert _next_oid(spendsense_db) - before > BUILT


def test_a_record_made_by_other_drivers_is_not_replayed(spendsense_db, monkeypatch):
    """The answers are kept as psycopg and SQLAlchemy made them: another release may make others."""
    schema = _spendsense()
    assert _diff(schema, spendsense_db)[0].empty
    with dbconn.connect(spendsense_db) as conn:
        server = targetcache.server_key(conn)
    path = dbconn.search_path(schema)
    assert targetcache.load(schema_sql(schema), path, server) is not None
    monkeypatch.setattr(psycopg, "__version__", "0.0.1")
    assert targetcache.load(schema_sql(schema), path, server) is None
