"""Where the templates are (without importing Jinja)."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path


def template_dir() -> Path:
    """Templates ship inside the wheel; in a source checkout they live at the top."""
    package = Path(__file__).resolve().parent.parent  # schemagen/
    packaged = package / "templates"
    return packaged if packaged.is_dir() else package.parent / "templates"


@cache
def templates_version() -> str:
    """A hash of every template file, for cache keys of rendered text."""
    root = template_dir()
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
