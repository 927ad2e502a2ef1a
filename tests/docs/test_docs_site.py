"""The documentation: the site builds with --strict (no broken link), and every code example
runs: Python blocks are executed against a real database, schema.yaml blocks validate, shell
lines name real make targets and parse as schemagen commands."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
import yaml

from schemagen.cli import build_parser
from tests.support import ROOT

PAGES = sorted((ROOT / "docs").glob("*.md")) + [ROOT / "README.md", ROOT / "ARCHITECTURE.md"]
RUN_ELSEWHERE = {"testing.md": "tests/testing/test_plugin.py runs it as a pytest module in a fresh project"}


def blocks(page: Path, lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", page.read_text(encoding="utf-8"), re.S)


def test_site_builds_strict(tmp_path):
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
                            cwd=ROOT, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
                            timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert (tmp_path / "site" / "refusals" / "index.html").exists()  # README's section, as a page
    assert (tmp_path / "site" / "architecture" / "index.html").exists()


def test_readme_stays_short():
    assert len((ROOT / "README.md").read_bytes()) <= 12 * 1024


@pytest.fixture
def project(tmp_path, spendsense_db, monkeypatch):
    shutil.copy(ROOT / "schema.yaml", tmp_path / "schema.yaml")
    shutil.copytree(ROOT / "generated", tmp_path / "generated")
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", spendsense_db)
    for name in [m for m in sys.modules if m == "generated" or m.startswith("generated.")]:
        monkeypatch.delitem(sys.modules, name)
    return tmp_path


PYTHON = [page for page in PAGES if blocks(page, "python") and page.name not in RUN_ELSEWHERE]


@pytest.mark.parametrize("page", PYTHON, ids=[p.name for p in PYTHON])
def test_python_examples_run(project, make_database, page):
    """A page's Python blocks run in order in one namespace, as a reader would paste them;
    `database_url` names an empty database."""
    namespace = {"__name__": f"doc_example_{uuid.uuid4().hex[:6]}", "database_url": make_database()}
    for index, code in enumerate(blocks(page, "python")):
        exec(compile(code, f"{page.name}#python{index}", "exec"), namespace)  # noqa: S102 (our own docs)
    if "handler" in namespace:  # the runtime example: a Lambda handler writing through the models
        assert namespace["handler"]({"sub": str(uuid.uuid4()), "email": "ada@example.com", "message": "hi"},
                                    None) == {"statusCode": 200}
        with psycopg.connect(os.environ["DATABASE_URL"]) as conn:
            assert conn.execute("SELECT count(*) FROM chat_logs WHERE message = 'hi'").fetchone()[0] == 1
    if "plan" in namespace:  # the API example applied its plan
        from schemagen import api
        assert api.plan(api.load("schema.yaml"), namespace["database_url"]).empty


def schema_examples() -> list[tuple[str, str]]:
    return [(f"{page.name}#{i}", text) for page in PAGES for i, text in enumerate(blocks(page, "yaml"))
            if not text.startswith((" ", "# overview"))  # excerpts and annotated overviews are not whole files
            and isinstance(yaml.safe_load(text), dict)]  # (a list is a workflow step, not a schema file)


def test_every_yaml_example_parses():
    for page in PAGES:
        for text in blocks(page, "yaml"):
            yaml.safe_load(text)


def test_schema_examples_are_found():
    whole = schema_examples()
    every = [page for page in PAGES for text in blocks(page, "yaml")]
    assert len(whole) >= 1 and len(every) >= 2


@pytest.mark.parametrize(("where", "text"), schema_examples(), ids=[w for w, _ in schema_examples()])
def test_schema_examples_validate(tmp_path, where, text):
    (tmp_path / "schema.yaml").write_text(text)
    result = subprocess.run([sys.executable, "-m", "schemagen", "validate"], cwd=tmp_path, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, f"{where}: {result.stderr}"


def shell_lines() -> list[tuple[str, str]]:
    out = []
    for page in PAGES:
        for text in blocks(page, "sh"):
            for line in text.splitlines():
                command = line.split(" #", 1)[0].strip()
                if command:
                    out.append((page.name, command))
    return out


MAKE_TARGETS = set(re.findall(r"^([a-z][a-z-]*):", (ROOT / "Makefile").read_text(), re.M))


@pytest.mark.parametrize(("page", "command"), shell_lines(), ids=[f"{p}:{c[:40]}" for p, c in shell_lines()])
def test_shell_examples_name_real_commands(page, command):
    if command.startswith("export "):  # a setting schemagen reads: it must appear in the code
        name = command.split()[1].split("=", 1)[0]
        assert any(name in path.read_text() for path in (ROOT / "schemagen").rglob("*.py")), f"{page}: {name}"
        return
    words = [w for w in shlex.split(command) if "=" not in w or w.startswith("-")]
    if words[0] == "make":
        assert set(words[1:]) <= MAKE_TARGETS, f"{page}: {command}"
    elif words[0].endswith("schemagen"):
        build_parser().parse_args(words[1:])  # exits (fails the test) on an unknown command or option
    elif words[0].endswith("python") and words[1:3] == ["-m", "pytest"]:
        assert all((ROOT / w).exists() for w in words[3:] if w.startswith("tests/")), f"{page}: {command}"
    else:
        pytest.fail(f"{page}: an example command nothing checks: {command}")


def test_refusal_examples_match_what_schemagen_prints(tmp_path):
    """README's first refusal example is real output."""
    (tmp_path / "schema.yaml").write_text(
        "tables:\n  accounts:\n    columns:\n      id: {type: uuid, primary_key: true}\n"
        "      owner_id: {type: uuid, references: {table: profile}}\n"
        "      balance: {type: numeric, defualt: 0}\n")
    result = subprocess.run([sys.executable, "-m", "schemagen", "validate"], cwd=tmp_path, capture_output=True,
                            text=True, timeout=60)
    readme = (ROOT / "README.md").read_text()
    for line in result.stderr.splitlines():
        assert line in readme, line
