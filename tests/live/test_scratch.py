"""Where the target database is built: scratch databases in the dev server's RAM
tablespace, the opt-in cached target (reused, read-only, pruned), and --dev-url."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
import pytest
import yaml

from schemagen.connect.dburl import with_database
from schemagen.dev.server import DevServer, _run, _server_user
from schemagen.live import apply as applier
from schemagen.live import scratch
from schemagen.spec.loader import parse
from schemagen.spec.validate import validate

SPEC = {"tables": {"notes": {"columns": {"id": {"type": "integer", "primary_key": True},
                                         "body": {"type": "text"}}}}}


def model(spec: dict):
    return validate(parse(yaml.safe_dump(spec, sort_keys=False)))


def with_column(n: int) -> dict:
    spec = yaml.safe_load(yaml.safe_dump(SPEC))
    spec["tables"]["notes"]["columns"][f"extra_{n}"] = {"type": "integer", "nullable": True}
    return spec


def databases(server_url: str, prefix: str) -> dict[str, int]:
    with psycopg.connect(server_url, autocommit=True) as conn:
        return dict(conn.execute("SELECT datname, oid::bigint FROM pg_database WHERE starts_with(datname, %s)",
                                 (prefix,)).fetchall())


def tablespace_of(server_url: str, name: str) -> str:
    with psycopg.connect(server_url, autocommit=True) as conn:
        return conn.execute("SELECT t.spcname FROM pg_database d JOIN pg_tablespace t ON t.oid = d.dattablespace "
                            "WHERE d.datname = %s", (name,)).fetchone()[0]


def leftovers(server_url: str) -> dict[str, int]:
    return databases(server_url, "schemagen_scratch_") | databases(server_url, scratch.TARGET_PREFIX)


def drop_targets(server_url: str) -> None:
    with psycopg.connect(server_url, autocommit=True) as conn:
        for name in databases(server_url, scratch.TARGET_PREFIX):
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture
def no_targets(server_url):
    drop_targets(server_url)
    yield
    drop_targets(server_url)


@pytest.fixture(scope="module")
def other_server():
    """A second PostgreSQL, for --dev-url: a dev server that is not the live one."""
    root = Path(tempfile.mkdtemp(prefix="schemagen-devurl-"))
    server = DevServer(root)
    try:
        yield with_database(server.up(), "postgres")
    finally:  # its cached targets go with it
        server.down()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def dev_url(other_server):
    drop_targets(other_server)
    yield other_server
    drop_targets(other_server)


@pytest.fixture
def live(make_database) -> str:
    url = make_database()
    applier.apply(model(SPEC), url, applier.Options(yes=True), out=_Sink([]), err=_Sink([]))
    return url


def test_scratch_database_lives_in_the_ram_tablespace_and_is_dropped(dev_server, server_url):
    if dev_server is None or not dev_server.ram_usable():
        pytest.skip("needs the suite's own server and /dev/shm")
    with scratch.scratch_database(server_url, "CREATE TABLE t (id int)") as url:
        name = url.rsplit("/", 1)[1]
        assert tablespace_of(server_url, name) == scratch.TABLESPACE
        assert any(dev_server.ram_dir.rglob("*"))  # the files really are in RAM
    assert name not in databases(server_url, "schemagen_scratch_")


def test_diff_without_dev_url_leaves_no_database_behind(live, server_url, no_targets):
    assert applier.diff(model(with_column(1)), live, applier.Options()).statements()
    assert leftovers(server_url) == {}


def test_dev_url_keeps_a_read_only_target_and_reuses_it(live, dev_url, no_targets):
    server_url = dev_url
    opts = applier.Options(dev_url=server_url)
    assert applier.diff(model(SPEC), live, opts).empty
    first = databases(server_url, scratch.TARGET_PREFIX)
    assert len(first) == 1
    (name, oid), = first.items()
    assert any(name in note and "kept" in note for note in opts.notes)  # it says where the target stays
    with psycopg.connect(with_database(server_url, name)) as conn:
        assert conn.execute("SHOW default_transaction_read_only").fetchone()[0] == "on"
        assert conn.execute("SELECT count(*) FROM information_schema.columns "
                            "WHERE table_name = 'notes'").fetchone()[0] == 2
    plan = applier.diff(model(with_column(1)), live, opts)
    assert plan.statements() == ['alter table "public"."notes" add column "extra_1" integer']
    assert applier.diff(model(SPEC), live, opts).empty
    assert databases(server_url, scratch.TARGET_PREFIX)[name] == oid  # the same database, not rebuilt
    assert databases(server_url, "schemagen_scratch_") == {}


def test_apply_through_a_cached_target_converges(live, dev_url, no_targets):
    opts = applier.Options(yes=True, allow_unsafe=True, dev_url=dev_url)  # the second drops a column
    for spec in (with_column(1), SPEC, with_column(1)):
        out = []
        assert applier.apply(model(spec), live, opts, out=_Sink(out), err=_Sink(out)) == 0
        assert applier.diff(model(spec), live, opts).empty


def test_only_the_newest_cached_targets_are_kept(live, server_url, no_targets):
    opts = applier.Options(target_cache=True)  # asked for on the live server itself
    for n in range(scratch.KEEP_TARGETS + 2):
        applier.diff(model(with_column(n)), live, opts)
    kept = databases(server_url, scratch.TARGET_PREFIX)
    assert len(kept) == scratch.KEEP_TARGETS
    newest = applier.diff(model(with_column(scratch.KEEP_TARGETS + 1)), live, opts)
    assert newest.statements() and databases(server_url, scratch.TARGET_PREFIX) == kept


def test_no_target_cache_overrides_dev_url(live, server_url, no_targets):
    applier.diff(model(SPEC), live, applier.Options(dev_url=server_url, target_cache=False))
    assert leftovers(server_url) == {}


def test_a_target_kept_by_another_run_first_wins(server_url, no_targets):
    name = scratch.TARGET_PREFIX + "race"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    before = databases(server_url, scratch.TARGET_PREFIX)
    with scratch.scratch_database(server_url, "CREATE TABLE t (id int)", keep_as=name) as url:
        assert url.rsplit("/", 1)[1].startswith("schemagen_scratch_")  # ours is used once, then dropped
    assert databases(server_url, scratch.TARGET_PREFIX) == before
    assert databases(server_url, "schemagen_scratch_") == {}


def test_cli_diff_with_dev_url(live, dev_url, no_targets, tmp_path):
    (tmp_path / "schema.yaml").write_text(yaml.safe_dump(SPEC))
    for _ in range(2):
        result = subprocess.run([sys.executable, "-m", "schemagen", "diff", "--db", live, "--dev-url", dev_url],
                                cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        assert "in sync" in result.stderr
        assert "target database kept for the next run" in result.stderr
    assert len(databases(dev_url, scratch.TARGET_PREFIX)) == 1


def respelt(url: str, dbname: str) -> str:
    """The same server under another spelling: localhost for 127.0.0.1, another database."""
    return with_database(url, dbname).replace("127.0.0.1", "localhost")


def test_dev_url_naming_the_live_server_keeps_nothing_there(live, server_url, no_targets, tmp_path):
    """A role without CREATEDB is told to use --dev-url and passes the live server's own URL."""
    if "127.0.0.1" not in server_url:
        pytest.skip("needs a loopback server to respell")
    opts = applier.Options(dev_url=respelt(server_url, "postgres"))
    assert applier.diff(model(with_column(1)), live, opts).statements()
    assert leftovers(server_url) == {}
    assert any("live server itself" in note for note in opts.notes)
    (tmp_path / "schema.yaml").write_text(yaml.safe_dump(SPEC))
    result = subprocess.run([sys.executable, "-m", "schemagen", "diff", "--db", live,
                             "--dev-url", respelt(server_url, "template1")],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "not kept" in result.stderr and leftovers(server_url) == {}


def test_dev_server_remakes_its_ram_tablespace_after_a_reboot(monkeypatch):
    """A reboot empties /dev/shm while the catalog still names the tablespace and the
    databases in it: the next `dev up` drops them and makes the tablespace again.
    Where /dev/shm is short of room, there is none and scratch databases go to disk."""
    root = Path(tempfile.mkdtemp(prefix="schemagen-reboot-"))
    server = DevServer(root)
    if not server.ram_usable():
        pytest.skip("no roomy /dev/shm")
    try:
        url = server.up()
        admin = with_database(url, "postgres")
        with scratch.target_database(admin, "CREATE TABLE t (id int)", cache=True) as target:
            name = target.rsplit("/", 1)[1]
        assert tablespace_of(admin, name) == scratch.TABLESPACE
        state = server.state()
        _run([f"{state['bindir']}/pg_ctl", "stop", "-w", "-m", "fast", "-D", str(server.datadir)], _server_user())
        shutil.rmtree(server.ram_dir)  # what a reboot does
        server.up()
        assert databases(admin, scratch.TARGET_PREFIX) == {}
        with scratch.scratch_database(admin, "CREATE TABLE t (id int)") as again:
            assert tablespace_of(admin, again.rsplit("/", 1)[1]) == scratch.TABLESPACE
        server.down()
        assert not server.ram_dir.exists()  # nothing of ours stays in RAM once the server stops
        monkeypatch.setattr("schemagen.dev.server.RAM_TABLESPACE_MIN_FREE", 1 << 60)
        server.up()
        with scratch.scratch_database(admin, "CREATE TABLE t (id int)") as on_disk:
            assert tablespace_of(admin, on_disk.rsplit("/", 1)[1]) == "pg_default"
        assert not server.ram_dir.exists()
    finally:
        server.down()
        shutil.rmtree(root, ignore_errors=True)


class _Sink:
    def __init__(self, into: list):
        self.into = into

    def write(self, text: str) -> None:
        self.into.append(text)

    def flush(self) -> None:
        pass


def test_early_scratch_is_used_only_when_the_guess_was_right(server_url):
    sql = "CREATE TABLE t (id int)"
    with scratch.early_scratch(server_url, sql) as early:
        assert early.take(sql + " ") is None
        url = early.take(sql)
        with psycopg.connect(url) as conn:
            assert conn.execute("SELECT to_regclass('t') IS NOT NULL").fetchone()[0]
    assert leftovers(server_url) == {}


def test_early_scratch_that_does_not_load_is_not_used(server_url):
    with scratch.early_scratch(server_url, "CREATE TABLE broken (") as early:
        assert early.take("CREATE TABLE broken (") is None
    assert leftovers(server_url) == {}


@pytest.mark.parametrize("generated", ["current", "stale", "broken", "missing"])
def test_cli_diff_whatever_generated_schema_sql_holds(live, server_url, tmp_path, generated):
    """The committed schema.sql only seeds a scratch database early: a stale or broken
    one changes nothing but the time taken."""
    (tmp_path / "schema.yaml").write_text(yaml.safe_dump(with_column(1)))
    assert subprocess.run([sys.executable, "-m", "schemagen", "render"], cwd=tmp_path).returncode == 0
    schema_sql = tmp_path / "generated" / "schema.sql"
    if generated == "stale":
        schema_sql.write_text(schema_sql.read_text().replace("extra_1", "extra_2"))
    elif generated == "broken":
        schema_sql.write_text("CREATE TABLE (")
    elif generated == "missing":
        schema_sql.unlink()
    result = subprocess.run([sys.executable, "-m", "schemagen", "diff", "--db", live], cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert 'add column "extra_1" integer' in result.stdout
    assert leftovers(server_url) == {}


@pytest.fixture
def no_createdb_role(live):
    """The live database as a role that cannot create databases (with a password, so that it
    logs in on any server); dropped in the finalizer, so none is left on a shared server."""
    from dataclasses import replace

    from schemagen.connect.url import DatabaseUrl
    role, password = f"sg_no_createdb_{os.getpid()}", "Nc-Pa55-word"
    with psycopg.connect(live, autocommit=True) as conn:
        conn.execute(f"DROP ROLE IF EXISTS {role}")
        conn.execute(f"CREATE ROLE {role} LOGIN NOCREATEDB PASSWORD '{password}'")
    try:
        with psycopg.connect(live, autocommit=True) as conn:
            conn.execute(f"GRANT SELECT ON notes TO {role}")  # the planner looks for rows
        yield replace(DatabaseUrl.parse(live), user=role, password=password).libpq()
    finally:
        with psycopg.connect(live, autocommit=True) as conn:
            conn.execute(f"DROP OWNED BY {role}")
            conn.execute(f"DROP ROLE {role}")


def test_diff_uses_the_early_scratch_when_render_matches(live, no_createdb_role, server_url, monkeypatch):
    """Shown with a role that cannot create databases: the diff only works if it
    takes the database built early (here by a role that can). Without the user cache:
    the second diff would replay the first one's record of its target (live/targetcache.py)."""
    from schemagen.render.pipeline import render_schema_sql
    monkeypatch.setenv("SCHEMAGEN_NO_CACHE", "1")
    as_role = no_createdb_role
    spec = with_column(1)
    with scratch.early_scratch(server_url, render_schema_sql(model(spec))) as early:
        plan = applier.diff(model(spec), as_role, applier.Options(early=early))
    assert plan.statements() == ['alter table "public"."notes" add column "extra_1" integer']
    with scratch.early_scratch(server_url, render_schema_sql(model(SPEC))) as early:
        with pytest.raises(scratch.ScratchError, match="cannot create databases"):
            applier.diff(model(spec), as_role, applier.Options(early=early))
    assert leftovers(server_url) == {}


def test_a_wrong_guess_is_cancelled_rather_than_waited_for(server_url):
    """Loading a slow guess must not hold up the real build (or an error report)."""
    import time
    with scratch.early_scratch(server_url, "SELECT pg_sleep(30)") as early:
        time.sleep(0.5)  # the guess is loading now
        started = time.monotonic()
        assert early.take("CREATE TABLE t (id int)") is None
        assert time.monotonic() - started < 10
    assert leftovers(server_url) == {}


def test_scratch_databases_of_killed_runs_are_dropped_later(server_url):
    """A SIGKILLed run leaves its scratch database; a later run drops it once it is an
    hour old, unless somebody is connected to it. Fresh ones are left alone."""
    import time
    old, busy = f"{scratch.SCRATCH_PREFIX}1000_1_dead", f"{scratch.SCRATCH_PREFIX}1000_2_busy"
    fresh = f"{scratch.SCRATCH_PREFIX}{int(time.time())}_3_new"
    with psycopg.connect(server_url, autocommit=True) as conn:
        for name in (old, busy, fresh):
            conn.execute(f'CREATE DATABASE "{name}"')
    try:
        with psycopg.connect(with_database(server_url, busy)):
            with scratch.scratch_database(server_url, "SELECT 1"):
                pass
            assert set(leftovers(server_url)) == {busy, fresh}
    finally:
        with psycopg.connect(server_url, autocommit=True) as conn:
            for name in (old, busy, fresh):
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
