"""The rendering cache (schemagen/render/cached.py): a repeated render or check of the same
file reads every generated file from the user cache. Its output must be byte-identical to a
fresh render; an edit of the file, an invalid file, a damaged entry or a different formatter
must never give a stale text."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from schemagen import api
from schemagen.render import cached, pyformat
from tests.support import ROOT


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("SCHEMAGEN_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def project(tmp_path):
    (tmp_path / "schema.yaml").write_bytes((ROOT / "schema.yaml").read_bytes())
    return tmp_path


def run(project, cache_dir, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "schemagen", *args], cwd=project, capture_output=True, text=True,
                          env={**os.environ, "SCHEMAGEN_CACHE_DIR": str(cache_dir)})


def rendered_entries(cache_dir) -> list[str]:
    folder = cache_dir / cached.KIND
    return sorted(p.name for p in folder.glob("*")) if folder.exists() else []


def test_a_cached_rendering_is_the_committed_output(project, cache_dir):
    first = cached.render_file(project / "schema.yaml", "schema.yaml")
    assert len(rendered_entries(cache_dir)) == 1
    again = cached.render_file(project / "schema.yaml", "schema.yaml")
    assert again == first == api.render(api.load(project / "schema.yaml"))
    for rel, text in again.items():
        assert (ROOT / "generated" / rel).read_text(encoding="utf-8") == text, rel


def test_an_edited_file_is_rendered_again(project, cache_dir):
    path = project / "schema.yaml"
    first = cached.render_file(path, "schema.yaml")
    path.write_text(path.read_text().replace("Kind of financial account.", "Kind of bank account."))
    second = cached.render_file(path, "schema.yaml")
    assert len(rendered_entries(cache_dir)) == 2
    assert "Kind of bank account." in second["schema.sql"] and "Kind of bank account." not in first["schema.sql"]


def test_check_after_an_edit_reports_stale_files(project, cache_dir):
    assert run(project, cache_dir, "render").returncode == 0
    assert run(project, cache_dir, "check").returncode == 0
    path = project / "schema.yaml"
    path.write_text(path.read_text().replace("Kind of financial account.", "Kind of bank account."))
    result = run(project, cache_dir, "check")
    assert result.returncode == 1 and "stale: generated/schema.sql" in result.stderr


def test_an_invalid_file_is_reported_every_time_and_never_cached(project, cache_dir):
    (project / "schema.yaml").write_text("tables:\n  t:\n    columns: {id: {type: nope, primary_key: true}}\n")
    for _ in range(2):
        result = run(project, cache_dir, "render")
        assert result.returncode == 1 and "schema.yaml:3:" in result.stderr and "Traceback" not in result.stderr
    assert rendered_entries(cache_dir) == [] and not (project / "generated").exists()


def test_a_damaged_entry_is_a_miss(project, cache_dir):
    first = cached.render_file(project / "schema.yaml", "schema.yaml")
    (entry,) = (cache_dir / cached.KIND).glob("*")
    entry.write_bytes(b"\x00not marshal")
    assert cached.render_file(project / "schema.yaml", "schema.yaml") == first


def test_another_formatter_is_another_key(project, monkeypatch):
    data = (project / "schema.yaml").read_bytes()
    before = cached.entry_key(data)
    monkeypatch.setattr(pyformat, "formatter_version", lambda: "/elsewhere/ruff:1:2")
    assert cached.entry_key(data) != before


def test_validate_twice_gives_the_same_counts_without_the_model(project, cache_dir):
    code = ("import sys; from schemagen.cli import main; rc = main(['validate']); "
            "print(rc, 'schemagen.spec.model' in sys.modules)")
    outs = [subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True,
                           env={**os.environ, "SCHEMAGEN_CACHE_DIR": str(cache_dir)}) for _ in range(2)]
    assert [o.stdout.split() for o in outs] == [["0", "True"], ["0", "False"]]
    assert outs[0].stderr == outs[1].stderr == "schema.yaml: valid (10 tables, 6 enums)\n"


def test_another_jinja_or_pydantic_release_is_another_key(project, monkeypatch):
    from schemagen.diagnostics import cache
    data = (project / "schema.yaml").read_bytes()
    before = cached.entry_key(data)
    real = cache.package_stamp
    for name in ("jinja2", "pydantic", "yaml"):
        monkeypatch.setattr(cache, "package_stamp", lambda n, changed=name: "new" if n == changed else real(n))
        assert cached.entry_key(data) != before, name
    assert real("jinja2") != real("pydantic") and real("no_such_package_here").endswith(":absent")
