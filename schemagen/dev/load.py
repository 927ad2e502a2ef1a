"""`schemagen dev load`: reset the dev database to one SQL file and say what it holds."""

from __future__ import annotations

from pathlib import Path

from schemagen.dev.server import DEV_DATABASE, DevError, DevServer

_TABLES = """
SELECT c.relname,
       (SELECT count(*) FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0
          AND NOT a.attisdropped) AS columns,
       (SELECT count(*) FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'f') AS fks,
       (SELECT count(*) FROM pg_index i WHERE i.indrelid = c.oid) AS indexes
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname <> 'schemagen'
ORDER BY n.nspname, c.relname
"""


def load_file(server: DevServer, path: Path) -> list[str]:
    """Drop and recreate the dev database, run the file in one transaction,
    and return a small table of what it created."""
    import psycopg
    try:
        sql = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DevError(f"cannot read {path}: {exc.strerror}") from None
    try:
        with psycopg.connect(server.url("postgres"), autocommit=True, connect_timeout=10) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{DEV_DATABASE}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{DEV_DATABASE}"')
        with psycopg.connect(server.url(), connect_timeout=10) as conn, conn.transaction():
            conn.execute(sql)
    except psycopg.Error as exc:
        raise DevError(f"loading {path} failed, nothing was applied: {exc}".strip()) from None
    return list_tables(server)


def list_tables(server: DevServer) -> list[str]:
    """A small table of the dev database's tables: columns, foreign keys, indexes."""
    import psycopg
    try:
        with psycopg.connect(server.url(), connect_timeout=10) as conn:
            rows = conn.execute(_TABLES).fetchall()
    except psycopg.Error as exc:
        raise DevError(f"cannot read the dev database: {exc}".strip()) from None
    lines = [f"{'table':<24} {'columns':>7} {'fks':>4} {'indexes':>7}"]
    lines += [f"{name:<24} {cols:>7} {fks:>4} {ixs:>7}" for name, cols, fks, ixs in rows]
    lines.append(f"{len(rows)} tables")
    return lines
