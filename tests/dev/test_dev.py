"""`schemagen dev`: a private PostgreSQL that starts, is reused, loads a schema and stops."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
import pytest

from schemagen.dev.server import PREFERRED_MAJOR, find_bindir, server_major
from tests.support import ROOT


def schemagen(*args, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "schemagen", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


@pytest.fixture
def dev_dir():
    path = Path(tempfile.mkdtemp(prefix="schemagen-dev-"))
    yield path
    schemagen("dev", "down", "--dir", str(path))
    shutil.rmtree(path, ignore_errors=True)


def test_dev_server_lifecycle(dev_dir):
    up = schemagen("dev", "up", "--dir", str(dev_dir))
    assert up.returncode == 0, up.stderr
    url = up.stdout.strip()
    assert url.startswith("postgresql://postgres@127.0.0.1:") and url.endswith("/schemagen_dev")
    with psycopg.connect(url) as conn:
        version = conn.execute("SHOW server_version_num").fetchone()[0]
    assert int(version) // 10000 == server_major(find_bindir())
    again = schemagen("dev", "up", "--dir", str(dev_dir))
    assert again.stdout.strip() == url  # reused, not a second server
    status = schemagen("dev", "status", "--dir", str(dev_dir))
    assert status.returncode == 0 and status.stdout.strip() == url
    if os.geteuid() == 0:  # PostgreSQL refuses root: the cluster belongs to an unprivileged user
        assert (dev_dir / "pgdata").stat().st_uid != 0
    down = schemagen("dev", "down", "--dir", str(dev_dir))
    assert down.returncode == 0 and "stopped" in down.stderr
    assert schemagen("dev", "status", "--dir", str(dev_dir)).returncode == 1


def test_dev_load_applies_schema_sql_and_lists_tables(dev_dir):
    result = schemagen("dev", "load", "--dir", str(dev_dir), "generated/schema.sql")
    assert result.returncode == 0, result.stderr
    assert "10 tables" in result.stdout
    assert any(line.split()[:2] == ["accounts", "7"] for line in result.stdout.splitlines())


def test_dev_load_of_broken_sql_applies_nothing(dev_dir, tmp_path):
    bad = tmp_path / "bad.sql"
    bad.write_text("CREATE TABLE kept_out (id int);\nCREATE TABLE broken (id nosuchtype);\n")
    result = schemagen("dev", "load", "--dir", str(dev_dir), str(bad))
    assert result.returncode == 2
    assert "nothing was applied" in result.stderr and "nosuchtype" in result.stderr
    url = schemagen("dev", "status", "--dir", str(dev_dir)).stdout.strip()
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT to_regclass('kept_out')").fetchone()[0] is None


def test_prefers_postgresql_15_binaries():
    majors = {server_major(find_bindir())}
    if not Path(f"/usr/lib/postgresql/{PREFERRED_MAJOR}/bin/postgres").exists():
        pytest.skip("no PostgreSQL 15 binaries on this machine")
    assert majors == {PREFERRED_MAJOR}


def test_docker_variant(dev_dir):
    from schemagen.dev.docker import engine_available
    if not engine_available():
        pytest.skip("no Docker engine (and testcontainers) on this machine")
    up = schemagen("dev", "up", "--docker", "--dir", str(dev_dir))
    assert up.returncode == 0, up.stderr
    with psycopg.connect(up.stdout.strip()) as conn:
        assert conn.execute("SHOW server_version_num").fetchone()[0].startswith("15")
    assert schemagen("dev", "down", "--docker", "--dir", str(dev_dir)).returncode == 0
