"""Generated Python as the host project's tools want it: string literals in the quotes
`ruff format` prefers, long ones split at spaces, and every file through `ruff format` at
88 columns (the version pinned in pyproject, so the output is the same everywhere). The
formatted text is cached by its input, so a repeated render runs no formatter."""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

LINE = 88
CHUNK = 60  # a literal longer than this is split into parts joined by implicit concatenation


def literal(text: str) -> str:
    """A Python string literal: double quotes unless the text holds more of them than of single ones."""
    quote = "'" if text.count('"') > text.count("'") else '"'
    body = repr(text)[1:-1] if repr(text)[0] == quote else _escape(text, quote)
    return f"{quote}{body}{quote}"


def _escape(text: str, quote: str) -> str:
    other = repr(text)
    inner = other[1:-1]
    if other[0] == "'":  # repr chose single quotes: unescape them, escape ours
        inner = inner.replace("\\'", "'")
    else:
        inner = inner.replace('\\"', '"')
    return inner.replace(quote, "\\" + quote)


def text(value: str, bare: bool = False) -> str:
    """A literal for any length: long text becomes ("part " "part") so lines can wrap
    (bare: without the parentheses, for the only argument of a call)."""
    if len(value) <= CHUNK:
        return literal(value)
    import re
    parts, current = [], ""
    for token in re.findall(r"\S+\s*|\s+", value):  # words with the spaces after them: nothing lost
        if current and len(current) + len(token) > CHUNK:
            parts.append(current)
            current = ""
        current += token
    parts.append(current)
    joined = " ".join(literal(p) for p in parts)
    return joined if bare else f"({joined})"


@functools.cache
def _ruff() -> str:
    from ruff import find_ruff_bin
    return find_ruff_bin()


@functools.cache
def formatter_version() -> str:
    """Names the ruff binary that formats (its path, size and time), for cache keys: cheaper than
    asking it or reading package metadata, and it changes whenever ruff is reinstalled."""
    found = os.stat(_ruff())
    return f"{_ruff()}:{found.st_size}:{found.st_mtime_ns}"


def format_files(files: dict[str, str]) -> dict[str, str]:
    """Every *.py file of a rendering through `ruff format` (others as they are)."""
    from schemagen.diagnostics import cache
    out = dict(files)
    todo = {}
    for path, source in files.items():
        if path.endswith(".py"):
            key = hashlib.sha256(f"{LINE}\0{formatter_version()}\0{source}".encode()).hexdigest()
            hit = cache.read("formatted", key)
            if hit is not None:
                out[path] = hit.decode("utf-8")
            else:
                todo[path] = key
    if todo:
        formatted = _run_ruff({p: files[p] for p in todo})
        for path, key in todo.items():
            out[path] = formatted[path]
            cache.write("formatted", key, formatted[path].encode("utf-8"))
    return out


def _run_ruff(files: dict[str, str]) -> dict[str, str]:
    import subprocess
    import tempfile
    # in memory where the system has it: thousands of small files written, read and deleted once
    shm = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
    with tempfile.TemporaryDirectory(prefix="schemagen-format-", dir=shm) as tmp:
        root = Path(tmp)
        for i, source in enumerate(files.values()):
            (root / f"f{i}.py").write_text(source, encoding="utf-8")
        subprocess.run([_ruff(), "format", "--isolated", "--line-length", str(LINE), "--quiet", str(root)],
                       check=True, capture_output=True, text=True)
        return {path: (root / f"f{i}.py").read_text(encoding="utf-8") for i, path in enumerate(files)}
