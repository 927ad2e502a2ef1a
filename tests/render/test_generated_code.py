"""Generated Python passes the host project's tools: ruff (the common rule set at 88 columns,
and this repository's own configuration), ruff format, and mypy --strict; in this repository
and in a fresh project that vendors the output with no configuration of its own."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import CASES, ROOT

BIN = Path(sys.executable).parent
OUTPUTS = [("spendsense", ROOT / "generated")] + [
    (case.name, case / "expected") for case in sorted(CASES.iterdir()) if (case / "expected" / "models").is_dir()]
COMMON = ["--select", "E,W,F,I,UP,B", "--line-length", "88"]


def run(*cmd: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(list(cmd), cwd=cwd, capture_output=True, text=True, timeout=300)


def python_dirs(root: Path) -> list[str]:
    return [str(root / d) for d in ("models", "database") if (root / d).is_dir()]


@pytest.mark.parametrize(("name", "root"), OUTPUTS, ids=[n for n, _ in OUTPUTS])
def test_ruff_and_ruff_format_pass(name, root):
    checked = run(str(BIN / "ruff"), "check", "--isolated", *COMMON, *python_dirs(root), cwd=ROOT)
    assert checked.returncode == 0, checked.stdout
    formatted = run(str(BIN / "ruff"), "format", "--check", "--isolated", "--line-length", "88",
                    *python_dirs(root), cwd=ROOT)
    assert formatted.returncode == 0, formatted.stdout


def test_the_repository_config_passes_on_generated():
    result = run(str(BIN / "ruff"), "check", "generated", cwd=ROOT)
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize(("name", "root"), OUTPUTS, ids=[n for n, _ in OUTPUTS])
def test_mypy_strict_passes(name, root, tmp_path):
    # each output as a package of its own, so two cases' `models` never meet in one run
    shutil.copytree(root, tmp_path / "out", ignore=shutil.ignore_patterns("*.md", "*.sql", "*.json"))
    result = run(sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path / "c"),
                 *[str(tmp_path / "out" / d) for d in ("models", "database") if (tmp_path / "out" / d).is_dir()],
                 cwd=tmp_path)
    assert result.returncode == 0, result.stdout


def test_a_fresh_project_vendoring_the_output_passes_too(tmp_path):
    project = tmp_path / "app"
    project.mkdir()
    (project / "app").mkdir()
    for part in ("models", "database"):
        shutil.copytree(ROOT / "generated" / part, project / "app" / part)
    (project / "app" / "__init__.py").write_text("")
    assert run(str(BIN / "ruff"), "check", *COMMON, ".", cwd=project).returncode == 0
    assert run(str(BIN / "ruff"), "format", "--check", "--line-length", "88", ".", cwd=project).returncode == 0
    typed = run(sys.executable, "-m", "mypy", "--strict", "--no-incremental", "app", cwd=project)
    assert typed.returncode == 0, typed.stdout
