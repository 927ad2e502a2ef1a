"""The user cache keeps each kind of entry to its budget, least recently used out first; every
run here is a process of its own, as a user's runs are."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(code: str, cache_dir: Path, max_mb: str, cwd: Path | None = None) -> None:
    env = {**os.environ, "SCHEMAGEN_CACHE_DIR": str(cache_dir), "SCHEMAGEN_CACHE_MAX_MB": max_mb}
    env.pop("SCHEMAGEN_NO_CACHE", None)
    subprocess.run([sys.executable, "-c", "from schemagen.diagnostics import cache\n" + code], check=True, env=env,
                   cwd=cwd)


def test_a_kind_over_its_budget_keeps_the_entries_used_last(tmp_path):
    entry = "b'x' * 200_000"
    run(f"for key in 'abcdefghij':\n    cache.write('things', key, {entry})", tmp_path, "1")
    assert len(os.listdir(tmp_path / "things")) == 10  # 2 MB: pruned only by the next run's first write
    time.sleep(0.05)
    run(f"assert cache.read('things', 'a') is not None\ncache.write('things', 'k', {entry})", tmp_path, "1")
    # over 1 MB: the least recently used go until 0.75 MB is left; 'a' was read, so it is recent
    assert sorted(os.listdir(tmp_path / "things")) == ["a", "j", "k"]


def test_an_entry_larger_than_the_budget_is_still_kept_when_just_written(tmp_path):
    run("cache.write('things', 'old', b'x' * 50_000)", tmp_path, "0.01")
    run("cache.write('things', 'new', b'x' * 50_000)", tmp_path, "0.01")
    assert os.listdir(tmp_path / "things") == ["new"]


def test_writes_a_killed_run_left_unfinished_are_removed(tmp_path):
    (tmp_path / "things").mkdir()
    abandoned, fresh = tmp_path / "things" / ".tmp-abandoned", tmp_path / "things" / ".tmp-being-written"
    abandoned.write_bytes(b"half")
    fresh.write_bytes(b"half")
    two_hours_ago = time.time() - 7200
    os.utime(abandoned, (two_hours_ago, two_hours_ago))
    run("cache.write('things', 'k', b'whole')", tmp_path, "256")
    assert sorted(os.listdir(tmp_path / "things")) == [".tmp-being-written", "k"]


def test_render_with_a_small_budget_keeps_only_the_newest_rendering(tmp_path):
    project, cache_dir = tmp_path / "project", tmp_path / "cache"
    project.mkdir()
    shutil.copy(ROOT / "schema.yaml", project / "schema.yaml")
    env = {**os.environ, "SCHEMAGEN_CACHE_DIR": str(cache_dir), "SCHEMAGEN_CACHE_MAX_MB": "0.01"}
    env.pop("SCHEMAGEN_NO_CACHE", None)
    for version in range(2):
        if version:
            with (project / "schema.yaml").open("a") as schema:
                schema.write("# edited: another rendering\n")
        subprocess.run([sys.executable, "-m", "schemagen", "render"], cwd=project, env=env, check=True,
                       capture_output=True)
        assert len(os.listdir(cache_dir / "rendered")) == 1  # the second: the first was pruned
    check = subprocess.run([sys.executable, "-m", "schemagen", "check"], cwd=project, env=env, capture_output=True,
                           text=True)
    assert check.returncode == 0, check.stderr
