"""schema.sql's text for a schema file, from the user cache when neither the file nor the code
and templates that render it changed. `diff` and `apply` compare it with the committed
generated/schema.sql (the early scratch database's guess); rendering it needs Jinja, an
import a quick apply does without (live/quickapply.py)."""

from __future__ import annotations

import hashlib

from schemagen.diagnostics import cache as user_cache
from schemagen.render.templatedir import templates_version
from schemagen.spec import model as m

KIND = "schema-sql"


def schema_sql(schema: m.Schema, file_hash: str = "") -> str:
    """render_schema_sql(schema); file_hash: the sha256 of the schema file the model was read
    from (without it, nothing is cached: the model alone is no key)."""
    key = None
    if file_hash:
        key = hashlib.sha256("\0".join([file_hash, user_cache.code_version("spec", "render", "diagnostics"),
                                        templates_version()]).encode()).hexdigest()
        hit = user_cache.read(KIND, key)
        if hit is not None:
            try:
                return hit.decode("utf-8")
            except UnicodeDecodeError:  # a damaged entry is a miss
                pass
    from schemagen.render.pipeline import render_schema_sql
    text = render_schema_sql(schema)
    if key:
        user_cache.write(KIND, key, text.encode("utf-8"))
    return text
