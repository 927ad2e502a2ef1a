"""Do the views return what schema.yaml declares? The declared columns (names, order, types) are
compared with what PostgreSQL says each view returns, in a database holding the rendered schema.
The declared types are spelled by PostgreSQL too: a probe table with those types, read back with
format_type, so 'timestamptz' and 'timestamp with time zone' compare equal."""

from __future__ import annotations

from schemagen.live.scratch import scratch_database
from schemagen.render.sql import ddl_statements
from schemagen.render.sqltext import ident, sql_type
from schemagen.spec import model as m

RETURNED = """
SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
WHERE a.attrelid = %(relation)s::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
"""


def mismatches(schema: m.Schema, conn) -> list[str]:
    """conn: a psycopg connection to a database holding the rendered schema. One line per problem."""
    out = []
    for view in schema.views:
        if not view.columns:
            continue
        relation = f"{ident(schema.name)}.{ident(view.name)}"
        returned = conn.execute(RETURNED, {"relation": relation}).fetchall()
        declared = _spelled(schema, conn, view)
        if [n for n, _ in returned] != [c.name for c in view.columns]:
            out.append(f"{view.kind} {view.name} returns columns ({', '.join(n for n, _ in returned)}), "
                       f"schema.yaml declares ({', '.join(c.name for c in view.columns)})")
            continue
        out += [f"{view.kind} {view.name}: column {name} is {have}, schema.yaml declares {want}"
                for (name, have), want in zip(returned, declared, strict=True) if have != want]
    return out


def _spelled(schema: m.Schema, conn, view: m.View) -> list[str]:
    columns = ", ".join(f"c{i} {sql_type(schema, c.type)}" for i, c in enumerate(view.columns))
    conn.execute(f"CREATE TEMPORARY TABLE schemagen_probe ({columns})")
    try:
        return [r[1] for r in conn.execute(RETURNED, {"relation": "pg_temp.schemagen_probe"})]
    finally:
        conn.execute("DROP TABLE pg_temp.schemagen_probe")


def check(schema: m.Schema, server_url: str) -> list[str]:
    """Render the schema into a scratch database on server_url and compare there."""
    import psycopg
    if not any(v.columns for v in schema.views):
        return []
    with scratch_database(server_url, ";\n".join(ddl_statements(schema)) + ";\n") as url:
        with psycopg.connect(url, autocommit=True) as conn:
            return mismatches(schema, conn)
