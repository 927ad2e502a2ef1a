"""Every apply is recorded in schemagen.history, in its own schema, which diffs
never look at (they are restricted to the managed schema)."""

from __future__ import annotations

import getpass
import socket

from schemagen.live.lazysql import text

SCHEMA = "schemagen"

DDL = f"""
CREATE SCHEMA IF NOT EXISTS {SCHEMA};
CREATE TABLE IF NOT EXISTS {SCHEMA}.history (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now(),
    applied_by text NOT NULL DEFAULT current_user,
    client text,
    kind text NOT NULL,
    schema_hash text,
    statements text[] NOT NULL,
    duration_ms integer,
    status text NOT NULL DEFAULT 'ok',
    detail text
);
"""
INSERT = (f"INSERT INTO {SCHEMA}.history (client, kind, schema_hash, statements, duration_ms, status, detail) "
          "VALUES (:client, :kind, :hash, :statements, :ms, :status, :detail)")


def record(conn, kind: str, schema_hash: str, statements: list[str], seconds: float, *,
           status: str = "ok", detail: str | None = None) -> None:
    for statement in DDL.strip().split(";\n"):
        if statement.strip():
            conn.exec_driver_sql(statement.strip().rstrip(";"))
    conn.execute(text(INSERT), values(kind, schema_hash, statements, seconds, status, detail))


def values(kind: str, schema_hash: str, statements: list[str], seconds: float, status: str = "ok",
           detail: str | None = None) -> dict:
    """INSERT's parameters."""
    return {"client": client_identity(), "kind": kind, "hash": schema_hash, "statements": statements,
            "ms": int(seconds * 1000), "status": status, "detail": detail}


def entries(conn) -> list[dict]:
    exists = conn.execute(text(f"SELECT to_regclass('{SCHEMA}.history')")).scalar()
    if not exists:
        return []
    rows = conn.execute(text(f"SELECT * FROM {SCHEMA}.history ORDER BY id")).mappings().all()
    return [dict(r) for r in rows]


def client_identity() -> str:
    try:
        user = getpass.getuser()
    except Exception:  # no user name in a container is not worth failing an apply
        user = "unknown"
    return f"{user}@{socket.gethostname()}"
