"""A schema file's lint findings, cached like its model (spec/cached.py): by the file's bytes,
its path (findings name it) and the code of the spec and lint stages."""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

from schemagen.diagnostics import Diagnostic, cache


def findings(path: Path) -> list[Diagnostic]:
    """The design-rule findings, silenced ones left out; SchemaError for an invalid file."""
    data = path.read_bytes()
    key = hashlib.sha256(data + str(path).encode() + cache.code_version("spec", "lint", "diagnostics").encode())
    hit = cache.read("lint", key.hexdigest())
    if hit is not None:
        try:
            return list(pickle.loads(hit))  # written below, in the user's own cache
        except Exception:  # a damaged entry is a miss
            pass
    from schemagen.lint.rules import lint as run_rules
    from schemagen.spec.loader import load as read
    from schemagen.spec.validate import validate
    doc = read(path, display=str(path))
    found = run_rules(doc, validate(doc))
    cache.write("lint", key.hexdigest(), pickle.dumps(tuple(found)))
    return found
