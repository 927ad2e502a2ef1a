"""A valid schema file's resolved model, cached by the file's bytes and the code of the
spec stage: a later run with the same file skips YAML, pydantic and validation entirely.
Only valid files are cached (an invalid one must be reported every time)."""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

from schemagen.diagnostics import cache
from schemagen.spec import model as m

KIND = "models"


def load(path: Path, display: str) -> m.Schema:
    data = path.read_bytes()
    key = hashlib.sha256(data + b"\0" + cache.code_version("spec", "diagnostics").encode()).hexdigest()
    hit = cache.read(KIND, key)
    if hit is not None:
        try:
            schema = pickle.loads(hit)  # written by write() below, in the user's own cache
            if isinstance(schema, m.Schema):
                return schema
        except Exception:  # a damaged entry is a miss
            pass
    from schemagen.spec.validate import load_schema
    schema = load_schema(path, display)  # raises SchemaError for an invalid file: nothing cached
    cache.write(KIND, key, pickle.dumps(schema, protocol=pickle.HIGHEST_PROTOCOL))
    return schema
