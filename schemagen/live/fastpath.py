"""A database whose schema holds nothing yet: its plan is schema.sql itself.

Creating every object into an empty schema needs no diff engine (and none of its
import time): the statements are the rendered DDL, every one of them safe, and the
caller's convergence check (digests of live and target equal after the statements
run) still proves the result. Anything already present (one table, one type, a
declared extension installed elsewhere) takes the full path instead.
"""

from __future__ import annotations

from schemagen.live.lazysql import text
from schemagen.live.plan import Plan, Step
from schemagen.spec import model as m

# every kind of object a schema (namespace) can hold
ANYTHING = """
SELECT EXISTS (SELECT 1 FROM pg_class WHERE relnamespace = n.oid)
    OR EXISTS (SELECT 1 FROM pg_type WHERE typnamespace = n.oid)
    OR EXISTS (SELECT 1 FROM pg_proc WHERE pronamespace = n.oid)
    OR EXISTS (SELECT 1 FROM pg_collation WHERE collnamespace = n.oid)
    OR EXISTS (SELECT 1 FROM pg_operator WHERE oprnamespace = n.oid)
    OR EXISTS (SELECT 1 FROM pg_opfamily WHERE opfnamespace = n.oid)
    OR EXISTS (SELECT 1 FROM pg_conversion WHERE connamespace = n.oid)
    OR EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgnamespace = n.oid)
    OR EXISTS (SELECT 1 FROM pg_ts_dict WHERE dictnamespace = n.oid)
    OR EXISTS (SELECT 1 FROM pg_statistic_ext WHERE stxnamespace = n.oid)
FROM pg_namespace n WHERE n.nspname = :schema
"""
INSTALLED = "SELECT extname FROM pg_extension WHERE extname = ANY(:names)"


def is_empty(conn, schema: m.Schema) -> bool:
    """Whether the live schema holds nothing and no declared extension is installed yet
    (one that is may need moving or updating: the full path plans that)."""
    if conn.execute(text(ANYTHING), {"schema": schema.name}).scalar():
        return False
    names = [x.name for x in schema.extensions]
    return not names or not conn.execute(text(INSTALLED), {"names": names}).first()


def plan(schema: m.Schema) -> Plan:
    from schemagen.render.sql import ddl_statements
    return Plan([Step(sql, kind="create") for sql in ddl_statements(schema)],
                notes=["the schema is empty: the plan is schema.sql itself"])
