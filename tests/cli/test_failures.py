"""The error boundary: whatever goes wrong that is not a finding exits 2 with a line or two
for people (what, where, PostgreSQL's reason, a hint), never a traceback, never a password."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
import pytest

from tests.support import ROOT

CASE = ROOT / "tests" / "cases" / "composite_keys"


def schemagen(*args, cwd, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "schemagen", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=180)


@pytest.fixture
def project(tmp_path) -> Path:
    shutil.copy(CASE / "schema.yaml", tmp_path / "schema.yaml")
    assert schemagen("render", cwd=tmp_path).returncode == 0
    return tmp_path


@pytest.fixture
def dml_only_role(server_url, make_database, project):
    """A database migrated by its owner, and a role that may only read and write its rows."""
    url = make_database()
    assert schemagen("migrate", "new", "initial", "--db", server_url, cwd=project).returncode == 0
    assert schemagen("migrate", "apply", "--db", url, cwd=project).returncode == 0
    role = f"sg_dml_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN")
        conn.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
        conn.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}")
    yield url.replace("postgres@", f"{role}@", 1)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP OWNED BY {role}")
        conn.execute(f"DROP ROLE {role}")


@pytest.mark.parametrize("action", ["status", "apply"])
def test_missing_privilege_is_exit_2_with_the_reason_and_a_hint(dev_server, dml_only_role, project, action):
    if dev_server is None:
        pytest.skip("needs the suite's own server (trust auth for a new role)")
    result = schemagen("migrate", action, "--db", dml_only_role, cwd=project)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "permission denied" in result.stderr
    assert f"migrate {action}: failed on " in result.stderr and "as sg_dml_" in result.stderr
    assert "hint: the role lacks a privilege" in result.stderr


def test_unreachable_server_is_exit_2_without_traceback(project):
    result = schemagen("diff", "--db", "postgresql://someone:Sup3rSecretPw@127.0.0.1:9/nowhere", cwd=project)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "Sup3rSecretPw" not in result.stderr + result.stdout
    assert "127.0.0.1:9/nowhere" in result.stderr


def test_a_file_problem_is_exit_2_without_traceback(project):
    (project / "migrations").write_text("not a folder")
    result = schemagen("migrate", "hash", cwd=project)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith("schemagen migrate hash:") and "migrations" in result.stderr
    debug = schemagen("migrate", "hash", cwd=project, env={"SCHEMAGEN_DEBUG": "1"})
    assert debug.returncode == 2 and "Traceback" in debug.stderr


def test_a_bug_is_exit_2_with_a_line_naming_it(capsys, monkeypatch):
    from argparse import Namespace

    from schemagen.cli import failures
    monkeypatch.delenv("SCHEMAGEN_DEBUG", raising=False)
    try:
        {}["missing"]
    except KeyError as exc:
        code = failures.failure(exc, Namespace(command="render"), secrets=[])
    err = capsys.readouterr().err
    assert code == 2
    assert err.splitlines() == ["schemagen render: internal error: KeyError: 'missing'",
                                ("hint: this is a bug in schemagen; run again with SCHEMAGEN_DEBUG=1 for the "
                                 "traceback and report it")]


@pytest.fixture
def open_project():
    """A project folder the server's own user can enter (the dev server runs as `postgres` under root)."""
    folder = Path(tempfile.mkdtemp(prefix="schemagen-project-"))
    folder.chmod(0o755)
    shutil.copy(CASE / "schema.yaml", folder / "schema.yaml")
    assert schemagen("render", cwd=folder).returncode == 0
    yield folder
    schemagen("dev", "down", cwd=folder)
    shutil.rmtree(folder, ignore_errors=True)


def test_a_silent_dev_server_start_says_so_and_is_ignored_by_git(open_project):
    """(SIGTERM's 143 and Ctrl-C's 130 are tested with the scratch clean-up in tests/live/test_apply_safety.py.)"""
    project = open_project
    (project / "migrations").mkdir()
    assert schemagen("migrate", "new", "initial", cwd=project).returncode == 0
    try:
        first = schemagen("check", cwd=project)
        second = schemagen("check", cwd=project)
        assert "started the private dev PostgreSQL" not in first.stderr  # `migrate new` started it and said so
        assert "started" not in second.stderr
        assert (project / ".schemagen" / ".gitignore").read_text().splitlines()[-1] == "*"
    finally:
        schemagen("dev", "down", cwd=project)
    started = schemagen("check", cwd=project)
    try:
        assert started.returncode == 0, started.stderr
        assert "started the private dev PostgreSQL for the migrations replay" in started.stderr
        assert "schemagen dev down" in started.stderr
    finally:
        schemagen("dev", "down", cwd=project)
