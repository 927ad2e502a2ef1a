"""The pytest plugin in a fresh project: SpendSense's schema.yaml and generated models, the
example test from docs/testing.md, and nothing else configured but the database URL."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time

import psycopg
import pytest

from tests.support import ROOT


def python_blocks(markdown: str) -> str:
    return "\n\n".join(re.findall(r"```python\n(.*?)```", markdown, re.S))


@pytest.fixture
def project(tmp_path):
    shutil.copy(ROOT / "schema.yaml", tmp_path / "schema.yaml")
    shutil.copytree(ROOT / "generated", tmp_path / "generated")
    (tmp_path / "test_example.py").write_text(python_blocks((ROOT / "docs" / "testing.md").read_text()))
    return tmp_path


def run_pytest(project, server_url, *args):
    env = {**os.environ, "SCHEMAGEN_TEST_DATABASE_URL": server_url, "PYTHONPATH": str(project)}
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args], cwd=project,
                          env=env, capture_output=True, text=True, timeout=300)


def leftovers(server_url: str) -> list[str]:
    with psycopg.connect(server_url, autocommit=True) as conn:
        return [r[0] for r in conn.execute("SELECT datname FROM pg_database WHERE datname LIKE 'schemagen_test_%'")]


def test_the_documented_example_passes_in_a_fresh_project(project, server_url):
    result = run_pytest(project, server_url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout
    assert leftovers(server_url) == []


def test_a_broken_expectation_fails(project, server_url):
    """The fixtures hold the real schema: a test that expects no cascade fails."""
    example = project / "test_example.py"
    example.write_text(example.read_text().replace(
        "select_from(Account)) == 0", "select_from(Account)) == 1"))
    result = run_pytest(project, server_url)
    assert result.returncode == 1 and "1 failed" in result.stdout


def test_cost_per_test(project, server_url, capsys):
    n = 20
    (project / "test_many.py").write_text(
        f"import pytest\n\n@pytest.mark.parametrize('i', range({n}))\ndef test_clone(schemagen_db, i):\n"
        "    assert schemagen_db\n")
    run_pytest(project, server_url, "test_many.py", "-k", "clone[0]")  # the template, built once
    started = time.perf_counter()
    result = run_pytest(project, server_url, "test_many.py")
    elapsed = time.perf_counter() - started
    assert result.returncode == 0, result.stdout
    baseline_started = time.perf_counter()
    run_pytest(project, server_url, "test_many.py", "-k", "clone[0]")
    one = time.perf_counter() - baseline_started
    with capsys.disabled():
        print(f"\ncost per test (schemagen_db, SpendSense): {(elapsed - one) / (n - 1) * 1000:.0f} ms")
