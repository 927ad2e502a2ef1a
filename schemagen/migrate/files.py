"""Versioned migrations for reviewed deploys: migrations/NNNN_name.sql (+ .down.sql)
and migrations/schemagen.sum, which catches edited, missing and conflicting files.

A migration file is split into its transactions by marker lines:
`-- schemagen:transaction` starts a section run in one transaction;
`-- schemagen:no-transaction` starts one whose statements run one by one
after the commit (CREATE INDEX CONCURRENTLY, VALIDATE CONSTRAINT).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import re
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text

from schemagen.connect import dburl
from schemagen.live import history
from schemagen.live.plan import NO_TRANSACTION, TRANSACTION

SUM_FILE = "schemagen.sum"
_FILE = re.compile(r"^(?P<version>\d{4,})_(?P<name>[a-z0-9_]+)(?P<down>\.down)?\.sql$")
TABLE = f"{history.SCHEMA}.migrations"
TABLE_DDL = f"""CREATE TABLE IF NOT EXISTS {TABLE} (
    version text PRIMARY KEY,
    name text NOT NULL,
    checksum text NOT NULL,
    status text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    applied_by text NOT NULL DEFAULT current_user
)"""


class MigrationError(Exception):
    """A problem with migrations/ or with applying them; message is for people."""


@dataclass(frozen=True)
class Migration:
    version: str
    name: str
    path: Path

    @property
    def checksum(self) -> str:
        return _hash(self.path.read_bytes())


def _hash(data: bytes) -> str:
    return "h1:" + base64.b64encode(hashlib.sha256(data).digest()).decode()


def files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("*.sql")) if directory.is_dir() else []


def migrations(directory: Path) -> list[Migration]:
    """The up migrations, in order."""
    out = []
    for path in files(directory):
        m = _FILE.match(path.name)
        if m and not m.group("down"):
            out.append(Migration(m.group("version"), m.group("name"), path))
    return out


def sum_text(directory: Path) -> str:
    lines = [f"{p.name} {_hash(p.read_bytes())}" for p in files(directory)]
    body = "".join(line + "\n" for line in lines)
    return f"{_hash(body.encode())}\n{body}"


def problems(directory: Path) -> list[str]:
    """Everything wrong with migrations/ that needs no database."""
    found = []
    listed: dict[str, str] = {}
    sum_path = directory / SUM_FILE
    if not files(directory):
        return found
    if not sum_path.exists():
        return [f"{sum_path} is missing (run `schemagen migrate hash` after checking the files)"]
    lines = sum_path.read_text().splitlines()
    body = "".join(line + "\n" for line in lines[1:])
    if not lines or lines[0] != _hash(body.encode()):
        found.append(f"{sum_path} was edited by hand (its own checksum does not match)")
    for line in lines[1:]:
        name, _, digest = line.partition(" ")
        listed[name] = digest
    for path in files(directory):
        if not _FILE.match(path.name):
            found.append(f"{path}: not a migration file name (NNNN_name.sql or NNNN_name.down.sql)")
        elif path.name not in listed:
            found.append(f"{path} is not in {SUM_FILE} (added by hand? review it, then `schemagen migrate hash`)")
        elif listed[path.name] != _hash(path.read_bytes()):
            found.append(f"{path} was edited after it was written (checksum differs from {SUM_FILE})")
    for name in listed:
        if not (directory / name).exists():
            found.append(f"{directory / name} is listed in {SUM_FILE} but missing")
    versions: dict[str, str] = {}
    for m in migrations(directory):
        if m.version in versions:
            found.append(f"{m.path} and {versions[m.version]} share version {m.version} (a merge conflict: "
                         "renumber one and rewrite it with `schemagen migrate new`)")
        versions[m.version] = str(m.path)
    return found


def sections(sql: str) -> list[tuple[bool, str]]:
    """(transactional, text) sections of a migration file, in order."""
    out: list[tuple[bool, list[str]]] = []
    for line in sql.splitlines():
        stripped = line.strip()
        if stripped in (TRANSACTION, NO_TRANSACTION):
            out.append((stripped == TRANSACTION, []))
        elif out:
            out[-1][1].append(line)
        elif stripped and not stripped.startswith("--"):
            out.append((True, [line]))  # a hand-written file without markers: one transaction
    return [(tx, "\n".join(lines).strip()) for tx, lines in out if "\n".join(lines).strip()]


def statements(section: str) -> list[str]:
    """Statements of a no-transaction section: simple one-line statements ending in ';'."""
    return [s.strip() for s in re.split(r";\s*(?:\n|$)", section) if s.strip() and not
            all(line.strip().startswith("--") for line in s.strip().splitlines())]


def cleanup_for(statement: str) -> str | None:
    m = re.match(r"^CREATE (?:UNIQUE )?INDEX CONCURRENTLY (?:IF NOT EXISTS )?(\S+) ON (?:ONLY )?([^.\s]+)\.",
                 statement, re.I)
    if m:
        return f"DROP INDEX CONCURRENTLY IF EXISTS {m.group(2)}.{m.group(1)}"
    return None


def replay(conn, directory: Path, upto: str | None = None) -> None:
    """Run the up migrations (up to version `upto`) into an autocommit SQLAlchemy connection
    (a scratch database)."""
    for migration in migrations(directory):
        if upto is not None and migration.version > upto:
            break
        for transactional, section in sections(migration.path.read_text()):
            if transactional:
                conn.exec_driver_sql(f"BEGIN;\n{section}\n;COMMIT".replace("%", "%%"))
            else:
                for statement in statements(section):
                    conn.exec_driver_sql(statement.replace("%", "%%"))


def applied(conn) -> dict[str, dict]:
    if not conn.execute(text(f"SELECT to_regclass('{TABLE}')")).scalar():
        return {}
    rows = conn.execute(text(f"SELECT version, name, checksum, status, applied_at FROM {TABLE}")).mappings()
    return {r["version"]: dict(r) for r in rows}


def apply_pending(conn, directory: Path, lock_timeout: str, statement_timeout: str, log) -> int:
    """Apply pending migrations in order on an autocommit connection that holds
    the advisory lock; return how many were applied."""
    from schemagen.live.planner import lock_settings
    found = problems(directory)
    if found:
        raise MigrationError("migrations/ has problems; nothing was applied:\n  " + "\n  ".join(found))
    done = applied(conn)
    for m in migrations(directory):
        if m.version in done and done[m.version]["checksum"] != m.checksum:
            raise MigrationError(f"{m.path} was changed after it was applied; nothing was applied")
    count = 0
    for m in migrations(directory):
        state = done.get(m.version)
        if state and state["status"] == "applied":
            continue
        parts = sections(m.path.read_text())
        started = time.monotonic()
        if not state:
            transactional = [s for tx, s in parts if tx]
            for i, section in enumerate(transactional):
                with _transaction(conn):
                    lock_settings(conn, lock_timeout, statement_timeout)
                    _run(conn, section, m)
                    if i == len(transactional) - 1 or not transactional:
                        _record(conn, m, "partial", time.monotonic() - started)
            if not transactional:
                with _transaction(conn):
                    _record(conn, m, "partial", 0)
        for statement in [st for tx, s in parts if not tx for st in statements(s)]:
            try:
                conn.exec_driver_sql(statement.replace("%", "%%"))
            except Exception as exc:
                cleanup = cleanup_for(statement)
                if cleanup:
                    with contextlib.suppress(Exception):
                        conn.exec_driver_sql(cleanup)
                raise MigrationError(f"{m.path.name}: a step after the commit failed and was cleaned up "
                                     f"({dburl.reason(exc)}); run `schemagen migrate apply` again to finish it\n"
                                     f"  statement: {statement}") from None
        with _transaction(conn):
            conn.execute(text(f"UPDATE {TABLE} SET status = 'applied' WHERE version = :v"), {"v": m.version})
        log(f"applied {m.path.name} in {time.monotonic() - started:.2f}s")
        count += 1
    return count


@contextlib.contextmanager
def _transaction(conn):
    conn.exec_driver_sql("BEGIN")
    try:
        yield
    except BaseException:
        conn.exec_driver_sql("ROLLBACK")
        raise
    conn.exec_driver_sql("COMMIT")


def _run(conn, section: str, m: Migration) -> None:
    try:
        conn.exec_driver_sql(section.replace("%", "%%"))
    except Exception as exc:
        raise MigrationError(f"{m.path.name} failed and was rolled back: {dburl.reason(exc)}") from None


def _record(conn, m: Migration, status: str, seconds: float) -> None:
    conn.exec_driver_sql(f"CREATE SCHEMA IF NOT EXISTS {history.SCHEMA}")
    conn.exec_driver_sql(TABLE_DDL)
    conn.execute(text(f"INSERT INTO {TABLE} (version, name, checksum, status) VALUES (:v, :n, :c, :s)"),
                 {"v": m.version, "n": m.name, "c": m.checksum, "s": status})
    history.record(conn, "migrate", "", [m.path.name], seconds, detail=m.version)


def record_baseline(conn, recorded: list[Migration]) -> None:
    """Record migrations as applied without running them (the database already is what they make)."""
    for m in recorded:
        _record(conn, m, "applied", 0)
    history.record(conn, "baseline", "", [m.path.name for m in recorded], 0, detail=recorded[-1].version)


def next_version(directory: Path) -> str:
    existing = [int(m.version) for m in migrations(directory)]
    return f"{(max(existing) + 1) if existing else 1:04d}"
