"""The one step that writes generated files, and the in-memory comparison
behind `schemagen check`."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from schemagen.render.header import HEADER

WORKERS = 8  # files staged at a time: staging is open/write/fsync, mostly waiting on the disk
_IGNORED_PARTS = {"__pycache__", ".ruff_cache", ".mypy_cache", ".pytest_cache"}


def existing_files(out_dir: Path) -> dict[str, str]:
    """Files under out_dir (relative path -> text), caches left out."""
    found = {}
    if not out_dir.is_dir():
        return found
    for path in sorted(out_dir.rglob("*")):
        rel = path.relative_to(out_dir)
        if path.is_file() and not _IGNORED_PARTS.intersection(rel.parts):
            try:
                found[rel.as_posix()] = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                found[rel.as_posix()] = "<binary>"
    return found


def write(out_dir: Path, files: dict[str, str]) -> list[str]:
    """Write files atomically; return the paths that changed.

    Every new text goes to a temporary file beside its target first; only when
    all of them are on disk are they renamed into place, so a failure while
    writing leaves the old files as they were. Files we generated before that
    are no longer rendered (they carry our header) are removed.
    """
    current = existing_files(out_dir)
    changed = [p for p, text in files.items() if current.get(p) != text]
    stale = [p for p, text in current.items() if p not in files and HEADER in text]
    for parent in sorted({(out_dir / rel).parent for rel in changed}):
        parent.mkdir(parents=True, exist_ok=True)
    staged = _stage_all({out_dir / rel: files[rel] for rel in changed})
    for tmp, target in staged:
        os.replace(tmp, target)
    for rel in stale:
        (out_dir / rel).unlink()
    return changed + stale


def _stage_all(texts: dict[Path, str]) -> list[tuple[str, Path]]:
    """Every text staged beside its target, or none (the ones staged are removed on failure)."""
    if not texts:
        return []
    from concurrent.futures import ThreadPoolExecutor, wait
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        futures = [pool.submit(_stage, target, text) for target, text in texts.items()]
        wait(futures)
    staged = [f.result() for f in futures if not f.exception()]
    failed = [f.exception() for f in futures if f.exception()]
    if failed:
        for tmp, _ in staged:
            os.unlink(tmp)
        raise failed[0]
    return staged


def _stage(target: Path, text: str) -> tuple[str, Path]:
    """text in a temporary file beside target, on disk; (its path, target)."""
    if target.is_dir():  # found now, so that no rename later can fail on it
        raise IsADirectoryError(21, "a folder stands where a file must go", str(target))
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
    except BaseException:
        os.unlink(tmp)
        raise
    return tmp, target


@dataclass
class Comparison:
    stale: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    diff: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.stale or self.missing or self.unexpected)


def compare(out_dir: Path, files: dict[str, str]) -> Comparison:
    """What differs between the rendered files and out_dir, as a unified diff."""
    current = existing_files(out_dir)
    result = Comparison()
    for rel in sorted(set(files) | set(current)):
        old, new = current.get(rel), files.get(rel)
        if old == new:
            continue
        if old is None:
            result.missing.append(rel)
        elif new is None:
            result.unexpected.append(rel)
        else:
            result.stale.append(rel)
        import difflib
        shown = f"{out_dir.as_posix()}/{rel}"
        result.diff += difflib.unified_diff(
            (old or "").splitlines(keepends=True), (new or "").splitlines(keepends=True),
            fromfile=f"a/{shown}" if old is not None else "/dev/null",
            tofile=f"b/{shown}" if new is not None else "/dev/null")
    return result
