"""schemagen's user cache: content-addressed files that save work a later run would redo
(the resolved model of a valid schema.yaml, compiled templates, the JSON Schema).

A key always covers everything the cached value depends on, the code included, so a stale
entry is never read: it is simply never asked for again. So that those entries do not pile up,
each kind of entry keeps to a budget (SCHEMAGEN_CACHE_MAX_MB, 256 by default): the first write of a
run that finds its kind over budget removes the least recently used entries (a read refreshes an
entry's time) down to three quarters of it. SCHEMAGEN_CACHE_DIR moves the cache,
SCHEMAGEN_NO_CACHE=1 turns it off. A cache that cannot be read or written is passed over.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
import time
from functools import cache
from pathlib import Path

DEFAULT_MAX_MB = 256
ABANDONED_SECONDS = 3600  # a temporary file this old was left by a run that was killed while writing
_pruned: set[Path] = set()  # each kind's folder is pruned at most once per run


def directory(kind: str) -> Path | None:
    if os.environ.get("SCHEMAGEN_NO_CACHE") == "1":
        return None
    base = os.environ.get("SCHEMAGEN_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    path = Path(base) / ("schemagen" if "SCHEMAGEN_CACHE_DIR" not in os.environ else "") / kind
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return path


@cache
def code_version(*packages: str) -> str:
    """A hash of the source of schemagen's given subpackages and of the Python running them."""
    digest = hashlib.sha256(sys.version.encode())
    for package in packages:
        digest.update(_package_digest(package).encode())
    return digest.hexdigest()


@cache
def _package_digest(package: str) -> str:
    # each package is read once per process, however many keys name it
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted((root / package).rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@cache
def package_stamp(name: str) -> str:
    """Names an installed package's release without importing it: a hash of its __init__.py
    and version.py (where the version is written), found through the import system."""
    from importlib.util import find_spec
    found = find_spec(name)
    if found is None or not found.origin:
        return f"{name}:absent"
    digest = hashlib.sha256(found.origin.encode())
    for file in ("__init__.py", "version.py"):
        path = Path(found.origin).parent / file
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def read(kind: str, key: str) -> bytes | None:
    folder = directory(kind)
    if folder is None:
        return None
    path = folder / key
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        os.utime(path)  # recently used: pruned last
    except OSError:
        pass  # a cache shared read-only still reads
    return data


def write(kind: str, key: str, data: bytes) -> None:
    """Atomically, so a reader sees the whole entry or none."""
    folder = directory(kind)
    if folder is None:
        return
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, folder / key)
    except OSError:
        return
    if folder not in _pruned:
        _pruned.add(folder)
        prune(folder, _budget(), keep=key)


def _budget() -> int:
    try:
        return int(float(os.environ.get("SCHEMAGEN_CACHE_MAX_MB", DEFAULT_MAX_MB)) * 1024 * 1024)
    except ValueError:
        return DEFAULT_MAX_MB * 1024 * 1024


def prune(folder: Path, budget: int, keep: str = "") -> None:
    """Over budget: remove the least recently used entries (never `keep`, the one just written)
    until three quarters of it is left. Temporary files of writes that never finished go whatever
    the budget."""
    entries, now = [], time.time()
    try:
        with os.scandir(folder) as found:
            for entry in found:
                stat = entry.stat()
                if entry.name.startswith(".tmp-"):
                    if now - stat.st_mtime > ABANDONED_SECONDS:
                        _remove(entry.path)
                else:
                    entries.append((stat.st_mtime, stat.st_size, entry.path))
    except OSError:
        return
    total = sum(size for _, size, _ in entries)
    entries = [e for e in entries if os.path.basename(e[2]) != keep]
    if total <= budget:
        return
    for _, size, path in sorted(entries):
        if total <= budget * 3 // 4:
            break
        _remove(path)
        total -= size


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass  # another run removed it, or the cache is read-only
