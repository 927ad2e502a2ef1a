"""Versioned migrations: written from schema.yaml, applied in order, checked for tampering."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import yaml


def schemagen(*args, cwd, db=None):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    if db:
        env["DATABASE_URL"] = db
    return subprocess.run([sys.executable, "-m", "schemagen", *args], cwd=cwd, capture_output=True, text=True,
                          env=env, stdin=subprocess.DEVNULL, timeout=300)


def evolve_schema(path: Path) -> None:
    spec = yaml.safe_load((path / "schema.yaml").read_text())
    spec["tables"]["items"]["columns"]["colour"] = {"type": "text", "nullable": True}
    spec["tables"]["items"]["indexes"].append({"columns": ["qty"]})
    (path / "schema.yaml").write_text(yaml.safe_dump(spec, sort_keys=False))
    assert schemagen("render", cwd=path).returncode == 0


def test_new_writes_up_down_and_sum(project):
    names = sorted(p.name for p in (project / "migrations").iterdir())
    assert names == ["0001_initial.down.sql", "0001_initial.sql", "schemagen.sum"]
    down = (project / "migrations" / "0001_initial.down.sql").read_text()
    assert "-- UNSAFE: drops table items" in down


def test_apply_in_order_converges_and_status_reports(project, empty_db, server_url):
    result = schemagen("migrate", "apply", cwd=project, db=empty_db)
    assert result.returncode == 0, result.stderr
    assert "1 migration(s) applied" in result.stderr
    assert schemagen("diff", cwd=project, db=empty_db).returncode == 0
    with psycopg.connect(empty_db, autocommit=True) as conn:
        conn.execute("INSERT INTO items (id, name) VALUES (1, 'kept')")
    evolve_schema(project)
    stale = schemagen("check", cwd=project, db=server_url)
    assert stale.returncode == 1 and "does not reproduce" in stale.stderr
    assert schemagen("migrate", "new", "add_colour", cwd=project, db=server_url).returncode == 0
    up = (project / "migrations" / "0002_add_colour.sql").read_text()
    assert "CREATE INDEX CONCURRENTLY IF NOT EXISTS items_qty_idx" in up  # items exists: built concurrently
    assert schemagen("check", cwd=project, db=server_url).returncode == 0
    status = schemagen("migrate", "status", cwd=project, db=empty_db)
    assert status.returncode == 1 and "pending  0002_add_colour.sql" in status.stdout
    assert schemagen("migrate", "apply", cwd=project, db=empty_db).returncode == 0
    status = schemagen("migrate", "status", cwd=project, db=empty_db)
    assert status.returncode == 0 and status.stdout.count("applied  ") == 2
    assert schemagen("diff", cwd=project, db=empty_db).returncode == 0
    with psycopg.connect(empty_db) as conn:
        assert conn.execute("SELECT name FROM items").fetchone()[0] == "kept"
        kinds = [r[0] for r in conn.execute("SELECT kind FROM schemagen.history ORDER BY id")]
    assert kinds == ["migrate", "migrate"]
    again = schemagen("migrate", "apply", cwd=project, db=empty_db)
    assert "no pending migrations" in again.stderr


def test_edited_migration_is_caught(project, server_url, empty_db):
    path = project / "migrations" / "0001_initial.sql"
    path.write_text(path.read_text().replace('"name" character varying(20)', '"name" character varying(30)'))
    result = schemagen("check", cwd=project, db=server_url)
    assert result.returncode == 1
    assert "0001_initial.sql was edited after it was written" in result.stderr
    refused = schemagen("migrate", "apply", cwd=project, db=empty_db)
    assert refused.returncode == 1 and "nothing was applied" in refused.stderr


def test_missing_and_unlisted_migrations_are_caught(project, server_url):
    (project / "migrations" / "0001_initial.down.sql").unlink()
    (project / "migrations" / "0002_by_hand.sql").write_text("ALTER TABLE items ADD COLUMN x int;\n")
    result = schemagen("check", cwd=project, db=server_url)
    assert result.returncode == 1
    assert "0001_initial.down.sql is listed in schemagen.sum but missing" in result.stderr
    assert "0002_by_hand.sql is not in schemagen.sum" in result.stderr


def test_conflicting_versions_are_caught(project, server_url):
    evolve_schema(project)
    assert schemagen("migrate", "new", "one", cwd=project, db=server_url).returncode == 0
    copy = project / "migrations" / "0002_other.sql"
    copy.write_text((project / "migrations" / "0002_one.sql").read_text())
    assert schemagen("migrate", "hash", cwd=project).returncode == 0
    result = schemagen("check", cwd=project, db=server_url)
    assert result.returncode == 1 and "share version 0002" in result.stderr


def test_nothing_to_write_when_in_sync(project, server_url):
    result = schemagen("migrate", "new", "noop", cwd=project, db=server_url)
    assert result.returncode == 0 and "no migration written" in result.stderr
    assert not list((project / "migrations").glob("0002_*"))


def test_check_ends_with_the_failure_when_migrations_lag(project, server_url):
    """generated/ is fresh but migrations/ lags behind: the last line must not read like success."""
    evolve_schema(project)
    result = schemagen("check", cwd=project, db=server_url)
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("check failed: migrations/ does not reproduce schema.yaml") and "migrate new" in last
    assert "generated/ matches schema.yaml" in result.stderr  # said, but not last


def test_migrate_apply_refuses_unsafe_statements_without_allow_unsafe(project, empty_db, server_url):
    assert schemagen("migrate", "apply", cwd=project, db=empty_db).returncode == 0
    with psycopg.connect(empty_db, autocommit=True) as conn:
        conn.execute("INSERT INTO items (id, name, qty) VALUES (1, 'kept', 2)")
    spec = yaml.safe_load((project / "schema.yaml").read_text())
    del spec["tables"]["items"]["columns"]["qty"]
    spec["tables"]["items"]["indexes"] = [ix for ix in spec["tables"]["items"]["indexes"]
                                          if "qty" not in str(ix)]
    (project / "schema.yaml").write_text(yaml.safe_dump(spec, sort_keys=False))
    assert schemagen("render", cwd=project).returncode == 0
    assert schemagen("migrate", "new", "drop_qty", cwd=project, db=server_url).returncode == 0
    refused = schemagen("migrate", "apply", cwd=project, db=empty_db)
    assert refused.returncode == 3, refused.stderr
    assert "UNSAFE in 0002_drop_qty.sql" in refused.stderr and "--allow-unsafe" in refused.stderr
    with psycopg.connect(empty_db) as conn:  # nothing applied: the column and its value are there
        assert conn.execute("SELECT qty FROM items").fetchone() == (2,)
    allowed = schemagen("migrate", "apply", "--allow-unsafe", cwd=project, db=empty_db)
    assert allowed.returncode == 0, allowed.stderr
    assert schemagen("diff", cwd=project, db=empty_db).returncode == 0


def test_a_database_built_by_apply_is_baselined_then_migrates(project, empty_db, server_url):
    """The demo's path: `apply` built the database; migrations/ holds the same schema."""
    assert schemagen("apply", "--yes", cwd=project, db=empty_db).returncode == 0
    status = schemagen("migrate", "status", cwd=project, db=empty_db)
    assert status.returncode == 1 and "pending  0001_initial.sql" in status.stdout
    assert "already matches migrations 0001..0001 but has no migration history" in status.stderr
    assert "run `schemagen migrate baseline`" in status.stderr and " as postgres" in status.stderr
    unknown = schemagen("migrate", "baseline", "1", cwd=project, db=empty_db)  # not 0001: nothing recorded
    assert unknown.returncode == 1 and "has no migration 1 (its versions: 0001)" in unknown.stderr
    baseline = schemagen("migrate", "baseline", cwd=project, db=empty_db)
    assert baseline.returncode == 0, baseline.stderr
    status = schemagen("migrate", "status", cwd=project, db=empty_db)
    assert status.returncode == 0 and "applied  0001_initial.sql" in status.stdout and "up to date" in status.stderr
    evolve_schema(project)
    assert schemagen("migrate", "new", "add_colour", cwd=project, db=server_url).returncode == 0
    applied = schemagen("migrate", "apply", cwd=project, db=empty_db)
    assert applied.returncode == 0, applied.stderr
    assert schemagen("diff", cwd=project, db=empty_db).returncode == 0


def test_baseline_refuses_a_database_that_differs(project, empty_db):
    assert schemagen("apply", "--yes", cwd=project, db=empty_db).returncode == 0
    with psycopg.connect(empty_db, autocommit=True) as conn:
        conn.execute("ALTER TABLE items ADD COLUMN extra integer")
    refused = schemagen("migrate", "baseline", cwd=project, db=empty_db)
    assert refused.returncode == 1 and "nothing was recorded" in refused.stderr
    assert '"extra"' in refused.stdout  # the difference is shown
    assert "has no migration history" not in schemagen("migrate", "status", cwd=project, db=empty_db).stderr


def run_file(url: str, path: Path) -> None:
    """Run a migration file as a person would (each transaction section in one transaction)."""
    from schemagen.migrate import files as migrations
    with psycopg.connect(url, autocommit=True) as conn:
        for transactional, section in migrations.sections(path.read_text()):
            if transactional:
                with conn.transaction():
                    conn.execute(section)
            else:
                for statement in migrations.statements(section):
                    conn.execute(statement)


def test_down_reverses_renames_and_up_again_loses_nothing(project, empty_db, server_url):
    assert schemagen("migrate", "apply", cwd=project, db=empty_db).returncode == 0
    with psycopg.connect(empty_db, autocommit=True) as conn:
        conn.execute("INSERT INTO items (id, name, qty, note) VALUES (1, 'kept', 2, 'remember me')")
    spec = yaml.safe_load((project / "schema.yaml").read_text())
    table = spec["tables"].pop("items")
    table["renamed_from"] = "items"
    table["columns"]["memo"] = dict(table["columns"].pop("note"), renamed_from="note")
    table["columns"]["colour"] = {"type": "text", "nullable": True}
    spec["tables"]["things"] = table
    for other in spec["tables"].values():  # what pointed at items points at things
        for column in other["columns"].values():
            if (column.get("references") or {}).get("table") == "items":
                column["references"]["table"] = "things"
    (project / "schema.yaml").write_text(yaml.safe_dump(spec, sort_keys=False))
    assert schemagen("render", cwd=project).returncode == 0
    assert schemagen("migrate", "new", "rename_items", cwd=project, db=server_url).returncode == 0
    down_file = project / "migrations" / "0002_rename_items.down.sql"
    down = down_file.read_text()
    assert 'RENAME COLUMN "memo" TO "note"' in down and 'RENAME TO "items"' in down
    assert 'drop column "memo"' not in down.lower() and "drop table" not in down.lower()
    assert schemagen("migrate", "apply", cwd=project, db=empty_db).returncode == 0
    with psycopg.connect(empty_db) as conn:
        assert conn.execute("SELECT memo FROM things").fetchone() == ("remember me",)
    run_file(empty_db, down_file)  # down: back to items.note, the row intact
    with psycopg.connect(empty_db, autocommit=True) as conn:
        assert conn.execute("SELECT note, qty FROM items").fetchone() == ("remember me", 2)
        conn.execute("DELETE FROM schemagen.migrations WHERE version = '0002'")
    assert schemagen("migrate", "apply", cwd=project, db=empty_db).returncode == 0  # and up again
    with psycopg.connect(empty_db) as conn:
        assert conn.execute("SELECT memo, qty FROM things").fetchone() == ("remember me", 2)
    assert schemagen("diff", cwd=project, db=empty_db).returncode == 0
