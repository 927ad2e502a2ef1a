"""A valid schema file's resolved model, cached by the file's bytes and the code of the
spec stage: a later run with the same file skips YAML, pydantic and validation entirely.
Only valid files are cached (an invalid one must be reported every time). Beside the model,
a few facts about it (counts, whether views declare columns) that commands can read
without importing the model's classes."""

from __future__ import annotations

import hashlib
import marshal
import pickle
from pathlib import Path
from typing import TYPE_CHECKING

from schemagen.diagnostics import cache

if TYPE_CHECKING:
    from schemagen.spec import model as m

KIND = "models"
FACTS = "model-facts"
DEPENDENCIES = ("yaml", "pydantic", "pglast")  # what reads, checks and normalises the file


def _key(data: bytes) -> str:
    parts = [cache.code_version("spec", "diagnostics"), *(cache.package_stamp(name) for name in DEPENDENCIES)]
    return hashlib.sha256(data + b"\0" + "\0".join(parts).encode()).hexdigest()


def load(path: Path, display: str) -> m.Schema:
    from schemagen.spec import model as m
    key = _key(path.read_bytes())
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


def summary(schema: m.Schema) -> dict:
    return {"tables": len(schema.tables), "enums": len(schema.enums),
            "view_columns": any(v.columns for v in schema.views)}


def facts(path: Path, display: str) -> dict:
    """summary(load(path)), from the cache without the model when they were asked for before."""
    key = _key(path.read_bytes())
    hit = cache.read(FACTS, key)
    if hit is not None:
        try:
            found = marshal.loads(hit)
            if isinstance(found, dict) and set(found) == {"tables", "enums", "view_columns"}:
                return found
        except (ValueError, EOFError, TypeError):  # a damaged entry is a miss
            pass
    found = summary(load(path, display))
    cache.write(FACTS, key, marshal.dumps(found))
    return found
