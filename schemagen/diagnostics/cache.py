"""schemagen's user cache: content-addressed files that save work a later run would redo
(the resolved model of a valid schema.yaml, compiled templates, the JSON Schema).

A key always covers everything the cached value depends on, the code included, so a stale
entry is never read: it is simply never asked for again. SCHEMAGEN_CACHE_DIR moves the cache,
SCHEMAGEN_NO_CACHE=1 turns it off. A cache that cannot be read or written is passed over.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from functools import cache
from pathlib import Path


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
    try:
        return (folder / key).read_bytes()
    except OSError:
        return None


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
        pass
