"""Every generated file for a schema file, from the user cache when neither the file nor the
code, templates and formatter that render it changed: a repeated `render` or `check` then
imports neither Jinja nor the model, and renders nothing. The key covers all that the text
depends on (the file's bytes, the spec and render code, the connection modules copied into
generated/database/, the templates, Python, the ruff binary and the
releases of Jinja, pydantic and PyYAML), so a stale entry is never read."""

from __future__ import annotations

import hashlib
import marshal
from pathlib import Path

from schemagen.diagnostics import cache
from schemagen.render.templatedir import templates_version

KIND = "rendered"


def render_file(path: Path, display: str) -> dict[str, str]:
    """render(load(path)); raises SchemaError for an invalid file (nothing is cached then)."""
    key = entry_key(path.read_bytes())
    hit = cache.read(KIND, key)
    if hit is not None:
        try:
            files = marshal.loads(hit)  # written below by this Python (its version is in the key)
            if isinstance(files, dict):
                return files
        except (ValueError, EOFError, TypeError):  # a damaged entry is a miss
            pass
    from schemagen.render.pipeline import render
    from schemagen.spec import cached
    files = render(cached.load(path, display))
    cache.write(KIND, key, marshal.dumps(files))
    return files


def entry_key(data: bytes) -> str:
    """The cache key of a schema file's rendering: everything its text depends on."""
    from schemagen.render.pyformat import formatter_version
    parts = [hashlib.sha256(data).hexdigest(), cache.code_version("spec", "render", "diagnostics", "connect"),
             templates_version(), formatter_version(), cache.package_stamp("jinja2"), cache.package_stamp("pydantic"),
             cache.package_stamp("yaml")]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()
