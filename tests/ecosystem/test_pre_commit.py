"""The pre-commit hooks as pre-commit runs them: the entry plus the changed files that match
`files`, from the repository root, with schema.yaml anywhere in the tree."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml

from tests.support import CASES, ROOT

HOOKS = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}


def run_hook(hook_id: str, repo: Path, changed: list[str]) -> subprocess.CompletedProcess:
    hook = HOOKS[hook_id]
    files = [f for f in changed if re.search(hook["files"], f)]
    entry = hook["entry"].split()
    assert entry[0] == "schemagen"
    return subprocess.run([sys.executable, "-m", "schemagen", *entry[1:], *(files if hook["pass_filenames"] else [])],
                          cwd=repo, capture_output=True, text=True, timeout=300)


@pytest.fixture
def repo():
    folder = Path(tempfile.mkdtemp(prefix="schemagen-hooks-"))
    folder.chmod(0o755)
    for name, case in (("services/api", ROOT), ("tools/reports", CASES / "composite_keys")):
        project = folder / name
        project.mkdir(parents=True)
        shutil.copy(case / "schema.yaml", project / "schema.yaml")
        assert subprocess.run([sys.executable, "-m", "schemagen", "render"], cwd=project).returncode == 0
    shutil.copytree(ROOT / "migrations", folder / "services/api/migrations")
    for parent in (folder / "services", folder / "tools", folder / "services/api"):
        parent.chmod(0o755)
    yield folder
    subprocess.run([sys.executable, "-m", "schemagen", "dev", "down"], cwd=folder / "services/api",
                   capture_output=True)
    shutil.rmtree(folder, ignore_errors=True)


def test_files_pattern_matches_schema_files_anywhere():
    pattern = HOOKS["schemagen-check"]["files"]
    for path in ("schema.yaml", "db/schema.yaml", "a/b/generated/schema.sql", "a/migrations/0001_x.sql"):
        assert re.search(pattern, path), path
    assert not re.search(pattern, "docs/schema.yaml.md")


def test_check_hook_without_migrations_needs_no_database(repo):
    result = run_hook("schemagen-check", repo, ["tools/reports/schema.yaml"])
    assert result.returncode == 0, result.stderr
    assert not (repo / "tools/reports/.schemagen").exists()


def test_check_hook_with_migrations_leaves_no_server_running(repo):
    result = run_hook("schemagen-check", repo, ["services/api/generated/schema.sql", "README.md"])
    assert result.returncode == 0, result.stderr
    assert "started the private dev PostgreSQL" in result.stderr and "stopped again" in result.stderr
    assert not (repo / "services/api/.schemagen/pgdata/postmaster.pid").exists()


def test_check_hook_fails_on_a_stale_project(repo):
    schema = repo / "tools/reports/schema.yaml"
    schema.write_text(schema.read_text() + "\n# a comment changes nothing\n")
    (repo / "tools/reports/generated/SCHEMA.md").write_text("edited by hand\n")
    result = run_hook("schemagen-check", repo, ["tools/reports/schema.yaml"])
    assert result.returncode == 1 and "stale: generated/SCHEMA.md" in result.stderr


def test_lint_hook_lints_each_changed_schema(repo):
    result = run_hook("schemagen-lint", repo, ["services/api/schema.yaml", "tools/reports/schema.yaml"])
    assert result.returncode == 0, result.stderr
    assert "services/api/schema.yaml: lint clean" in result.stderr
