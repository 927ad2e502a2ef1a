"""apply under pressure: two at once, a locked table, a killed process, and the
command line's exit codes and password hygiene."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
import yaml

from schemagen.connect.dburl import with_database
from tests.live.test_apply import BASE


def schemagen(*args, cwd, env=None, **kwargs):
    full_env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "schemagen", *args], cwd=cwd, capture_output=True, text=True,
                          env=full_env, stdin=subprocess.DEVNULL, timeout=300, **kwargs)


def start(*args, cwd):
    """The console script, as users run it. (Under `python -m schemagen` CPython 3.11 sometimes
    exits by SIGINT after main() has returned 130 for a Ctrl-C: runpy's path, not ours.)"""
    script = Path(sys.executable).parent / "schemagen"
    return subprocess.Popen([str(script), *args], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)


@pytest.fixture
def project(tmp_path, empty_db):
    (tmp_path / "schema.yaml").write_text(yaml.safe_dump(BASE, sort_keys=False))
    result = schemagen("apply", "--db", empty_db, "--yes", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    with psycopg.connect(empty_db, autocommit=True) as conn:
        conn.execute("INSERT INTO items (id, name) VALUES (1, 'a'), (2, 'b')")
    return tmp_path, empty_db


def add_table(project_dir: Path) -> None:
    spec = yaml.safe_load((project_dir / "schema.yaml").read_text())
    spec["tables"]["tags"] = {"columns": {"id": {"type": "integer", "primary_key": True}}}
    spec["tables"]["items"]["columns"]["colour"] = {"type": "text", "nullable": True}
    (project_dir / "schema.yaml").write_text(yaml.safe_dump(spec, sort_keys=False))


def history_count(url) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT count(*) FROM schemagen.history WHERE kind = 'apply'").fetchone()[0]


def test_diff_exit_codes_and_json(project):
    path, url = project
    in_sync = schemagen("diff", "--db", url, cwd=path)
    assert in_sync.returncode == 0 and "in sync" in in_sync.stderr and in_sync.stdout == ""
    add_table(path)
    result = schemagen("diff", "--db", url, "--format", "json", cwd=path)
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert not data["in_sync"] and any("tags" in s["sql"] for s in data["statements"])
    assert all({"sql", "phase", "unsafe"} <= set(s) for s in data["statements"])


def test_diff_uses_database_url_and_leaves_no_scratch_database(project):
    path, url = project
    assert schemagen("diff", cwd=path, env={"DATABASE_URL": url}).returncode == 0
    with psycopg.connect(url) as conn:
        left = conn.execute("SELECT count(*) FROM pg_database WHERE datname LIKE 'schemagen_scratch_%'").fetchone()[0]
    assert left == 0


def test_apply_without_terminal_or_yes_refuses(project):
    path, url = project
    add_table(path)
    result = schemagen("apply", "--db", url, cwd=path)
    assert result.returncode == 2 and "--yes" in result.stderr
    assert schemagen("diff", "--db", url, cwd=path).returncode == 1  # nothing applied


def test_dry_run_changes_nothing(project):
    path, url = project
    add_table(path)
    result = schemagen("apply", "--db", url, "--dry-run", cwd=path)
    assert "create table" in result.stdout and "dry run" in result.stderr
    assert schemagen("diff", "--db", url, cwd=path).returncode == 1


def test_two_applies_at_once_apply_once(project):
    path, url = project
    add_table(path)
    first = start("apply", "--db", url, "--yes", cwd=path)
    second = start("apply", "--db", url, "--yes", cwd=path)
    results = [p.communicate(timeout=120) + (p.returncode,) for p in (first, second)]
    assert [r[2] for r in results] == [0, 0], results
    assert sum("applied" in r[1] for r in results) == 1
    assert sum("in sync" in r[1] for r in results) == 1
    assert history_count(url) == 2  # the initial apply and exactly one of these


def test_locked_table_times_out_and_changes_nothing(project):
    path, url = project
    add_table(path)
    with psycopg.connect(url) as blocker:
        blocker.execute("LOCK TABLE items IN ACCESS SHARE MODE")
        result = schemagen("apply", "--db", url, "--yes", "--lock-timeout", "1s", cwd=path)
    assert result.returncode == 2
    assert "lock timeout" in result.stderr and "rolled back" in result.stderr
    assert "Traceback" not in result.stderr
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT to_regclass('tags')").fetchone()[0] is None
    assert history_count(url) == 1


def test_killed_apply_leaves_the_database_as_before(project):
    path, url = project
    add_table(path)
    with psycopg.connect(url) as blocker:
        blocker.execute("LOCK TABLE items IN ACCESS SHARE MODE")
        proc = start("apply", "--db", url, "--yes", "--lock-timeout", "60s", cwd=path)
        with psycopg.connect(url, autocommit=True) as watcher:
            for _ in range(300):  # until the apply waits for our lock, mid-transaction
                waiting = watcher.execute("SELECT pid FROM pg_stat_activity WHERE application_name = 'schemagen' "
                                          "AND wait_event_type = 'Lock'").fetchall()
                if waiting:
                    break
                time.sleep(0.1)
            assert waiting, "the apply never reached the locked table"
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
            blocker.rollback()  # release the lock: the orphaned backend goes on, then finds its client gone
            ours = "SELECT 1 FROM pg_stat_activity WHERE application_name = 'schemagen'"
            for _ in range(300):
                if not watcher.execute(ours).fetchall():
                    break
                time.sleep(0.1)
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT to_regclass('tags')").fetchone()[0] is None
        columns = [r[0] for r in conn.execute("SELECT column_name FROM information_schema.columns "
                                              "WHERE table_name = 'items'")]
        assert "colour" not in columns
    assert history_count(url) == 1
    scratch = with_database(url, "postgres")
    with psycopg.connect(scratch, autocommit=True) as conn:  # the killed run's scratch database cannot clean itself
        for (name,) in conn.execute("SELECT datname FROM pg_database WHERE datname LIKE 'schemagen_scratch_%'"):
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    again = schemagen("apply", "--db", url, "--yes", cwd=path)
    assert again.returncode == 0, again.stderr
    assert schemagen("diff", "--db", url, cwd=path).returncode == 0


def test_connection_failures_never_print_the_password(tmp_path, server_url, password_role):
    (tmp_path / "schema.yaml").write_text(yaml.safe_dump(BASE, sort_keys=False))
    secret = "S3cr%40t-pa55"
    user, _, port = password_role  # on the suite's own scram-only server
    bad_port = f"postgresql://postgres:{secret}@127.0.0.1:1/postgres"
    bad_password = f"postgresql://{user}:{secret}@127.0.0.1:{port}/postgres"
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(bad_password).close()  # the server really checks this one
    for url in (bad_port, bad_password):
        for command in (["diff", "--db", url], ["apply", "--db", url, "--yes"], ["migrate", "status", "--db", url],
                        ["migrate", "apply", "--db", url]):
            result = schemagen(*command, cwd=tmp_path)
            assert result.returncode == 2, result.stderr
            assert "cannot connect to 127.0.0.1" in result.stderr
            for text in (result.stdout, result.stderr):
                assert "S3cr" not in text and "pa55" not in text
            assert "Traceback" not in result.stderr


def test_diff_shows_squawk_findings_beside_statements(project):
    path, url = project
    spec = yaml.safe_load((path / "schema.yaml").read_text())
    del spec["tables"]["items"]["columns"]["note"]
    (path / "schema.yaml").write_text(yaml.safe_dump(spec, sort_keys=False))
    result = schemagen("diff", "--db", url, cwd=path)
    lines = result.stdout.splitlines()
    drop = next(i for i, line in enumerate(lines) if 'drop column "note"' in line)
    assert any(line.startswith("-- squawk ban-drop-column:") for line in lines[:drop])
    assert "require-lock-timeout" not in result.stdout  # disabled: apply sets lock_timeout itself
    assert "schemagen:" not in result.stdout  # the migration files' transaction markers are not for people


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
@pytest.mark.parametrize("rendered", [False, True], ids=["scratch", "early-scratch"])
def test_interrupted_diff_drops_its_scratch_database(tmp_path, empty_db, server_url, sig, rendered):
    """With generated/schema.sql the scratch database is built in the background from the
    start: the signal then lands while that thread loads it."""
    from bench.synthetic import spec
    (tmp_path / "schema.yaml").write_text(yaml.safe_dump(spec(300), sort_keys=False))
    if rendered:
        assert schemagen("render", cwd=tmp_path).returncode == 0
    # not empty: an empty schema's plan is schema.sql itself (fastpath.py), which needs no scratch database
    # and can finish before the signal lands (exit 1, differences)
    with psycopg.connect(empty_db, autocommit=True) as conn:
        conn.execute("CREATE TABLE public.kept_by_hand (id integer)")
    scratch = "SELECT datname FROM pg_database WHERE datname LIKE 'schemagen_scratch_%'"
    with psycopg.connect(server_url, autocommit=True) as conn:
        before = set(conn.execute(scratch).fetchall())  # another test's, being dropped: not this run's
        proc = start("diff", "--db", empty_db, cwd=tmp_path)
        for _ in range(300):
            if set(conn.execute(scratch).fetchall()) - before:
                break
            time.sleep(0.05)
        else:
            pytest.fail("no scratch database appeared")
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 128 + sig and "Traceback" not in err  # 130 for Ctrl-C, 143 for SIGTERM
        assert ("terminated" if sig == signal.SIGTERM else "interrupted") in err
        assert set(conn.execute(scratch).fetchall()) - before == set()
