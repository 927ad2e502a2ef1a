"""The resolved-model cache: a valid file's second load skips YAML, pydantic and validation;
an invalid file is reported every time; any change to the file is a new entry."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from schemagen import api
from schemagen.diagnostics import cache
from tests.support import ROOT


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("SCHEMAGEN_CACHE_DIR", str(folder))
    return folder


def entries(folder):
    return sorted(p.name for p in (folder / "models").glob("*")) if (folder / "models").exists() else []


def imports_after_render(project, cache_dir) -> set[str]:
    code = ("import sys; from schemagen.cli import main; main(['render']); "
            "print(' '.join(m for m in ('yaml', 'pydantic', 'jinja2', 'schemagen.spec.model') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True, check=True,
                         env={**os.environ, "SCHEMAGEN_CACHE_DIR": str(cache_dir)})
    return set(out.stdout.split())


def test_a_second_render_imports_neither_yaml_nor_pydantic_nor_jinja(tmp_path, cache_dir):
    (tmp_path / "schema.yaml").write_bytes((ROOT / "schema.yaml").read_bytes())
    assert imports_after_render(tmp_path, cache_dir) == {"yaml", "pydantic", "jinja2", "schemagen.spec.model"}
    assert imports_after_render(tmp_path, cache_dir) == set()
    assert (tmp_path / "generated" / "schema.sql").read_text() == (ROOT / "generated" / "schema.sql").read_text()


def test_cached_model_equals_a_fresh_one(tmp_path, cache_dir):
    path = tmp_path / "schema.yaml"
    path.write_bytes((ROOT / "schema.yaml").read_bytes())
    first = api.load(path)
    assert len(entries(cache_dir)) == 1
    assert api.load(path) == first
    path.write_text(path.read_text().replace("Kind of financial account.", "Kind of account."))
    changed = api.load(path)
    assert changed != first and len(entries(cache_dir)) == 2


def test_invalid_files_are_not_cached_and_always_reported(tmp_path, cache_dir):
    path = tmp_path / "schema.yaml"
    path.write_text("tables:\n  t:\n    columns: {id: {type: nope, primary_key: true}}\n")
    for _ in range(2):
        with pytest.raises(api.SchemaError):
            api.load(path)
    assert entries(cache_dir) == []


def test_a_damaged_entry_is_a_miss(tmp_path, cache_dir):
    path = tmp_path / "schema.yaml"
    path.write_bytes((ROOT / "schema.yaml").read_bytes())
    first = api.load(path)
    (entry,) = (cache_dir / "models").glob("*")
    entry.write_bytes(b"not a pickle")
    assert api.load(path) == first


def test_no_cache_means_no_entries(tmp_path, cache_dir, monkeypatch):
    monkeypatch.setenv("SCHEMAGEN_NO_CACHE", "1")
    path = tmp_path / "schema.yaml"
    path.write_bytes((ROOT / "schema.yaml").read_bytes())
    api.load(path)
    assert cache.directory("models") is None and entries(cache_dir) == []
