"""live's inspection by the diff engine runs beside the catalog digests' comparison
(live/differ.Inspection). A diff in sync stops it between two of its queries rather than
cancelling the one under way: a cancelled statement is an ERROR with the statement's whole text
in the server's log, which a diff run on every CI build would fill; and a stop that comes between
two queries must keep the rest from running (an in-sync diff would wait for all of them)."""

from __future__ import annotations

import os
import threading
import time

import psycopg
import pytest
import yaml
from sqlalchemy import event

from schemagen.live import apply as applier
from schemagen.live import dbconn, differ
from schemagen.live.options import Options
from schemagen.render.sqlcache import schema_sql
from schemagen.spec.loader import load
from schemagen.spec.validate import validate
from tests.support import apply_sql


def _many_tables(tmp_path, count: int):
    tables = {f"t{i:03d}": {"columns": {"id": {"type": "bigint", "primary_key": True},
                                        "name": {"type": "text", "comment": "a name"},
                                        "created_at": {"type": "timestamptz", "default": "now()"}},
                            "indexes": [{"columns": ["name"]}]} for i in range(count)}
    path = tmp_path / "schema.yaml"
    path.write_text(yaml.safe_dump({"tables": tables}))
    return validate(load(path))


def test_a_diff_in_sync_leaves_no_cancelled_statement_in_the_server_log(dev_server, empty_db, tmp_path, monkeypatch):
    if dev_server is None:
        pytest.skip("reads the log of the suite's own server")
    monkeypatch.setenv("SCHEMAGEN_CACHE_DIR", str(tmp_path / "cache"))
    schema = _many_tables(tmp_path, 300)  # the inspection's queries take long enough to be under way
    log = dev_server.datadir / "server.log"
    apply_sql(empty_db, schema_sql(schema))
    start = log.stat().st_size
    for _ in range(4):  # the first builds the target; the others replay it, sooner still
        assert applier.diff(schema, empty_db, Options()).empty
    with log.open("rb") as handle:
        handle.seek(start)
        written = handle.read().decode(errors="replace")
    assert "canceling statement due to user request" not in written


def test_a_stop_between_queries_keeps_the_rest_from_running(spendsense_db):
    reached, begun = threading.Event(), []
    with dbconn.connect(spendsense_db, "public") as live:
        inspection = None

        def before(conn, cursor, statement, parameters, context, executemany):
            if threading.current_thread() is threading.main_thread() or "set_config" in statement:
                return
            begun.append(inspection is not None and inspection._stopped)
            if not reached.is_set():
                reached.set()  # hold the first query until the cancel request has come and gone
                deadline = time.monotonic() + 5
                while not inspection._stopped and time.monotonic() < deadline:
                    time.sleep(0.01)
                time.sleep(0.3)

        event.listen(live.engine, "before_cursor_execute", before)
        inspection = differ.Inspection(live, "public")
        assert inspection.running
        with inspection:
            assert reached.wait(30)
        live.rollback()
    assert begun[0] is False
    assert begun.count(True) == 0, f"{begun.count(True)} queries ran after the inspection was stopped"


@pytest.fixture
def one_connection_role(empty_db):
    """(empty_db's URL as a role allowed a single connection, the role): with a password, so that it
    logs in on any server; dropped in the finalizer."""
    from dataclasses import replace

    from schemagen.connect.url import DatabaseUrl
    role, password = f"sg_one_connection_{os.getpid()}", "One-Pa55-word"
    with psycopg.connect(empty_db, autocommit=True) as conn:
        conn.execute(f"DROP ROLE IF EXISTS {role}")
        conn.execute(f"CREATE ROLE {role} LOGIN CONNECTION LIMIT 1 PASSWORD '{password}'")
    try:
        yield replace(DatabaseUrl.parse(empty_db), user=role, password=password).libpq(), role
    finally:
        with psycopg.connect(empty_db, autocommit=True) as conn:
            conn.execute(f"DROP OWNED BY {role}")
            conn.execute(f"DROP ROLE {role}")


def test_a_role_allowed_one_connection_still_gets_its_plan(empty_db, one_connection_role, server_url, tmp_path,
                                                           monkeypatch):
    """The early inspection cannot open its own connection: live is inspected on the plan's."""
    monkeypatch.setenv("SCHEMAGEN_CACHE_DIR", str(tmp_path / "cache"))
    url, role = one_connection_role
    schema = _many_tables(tmp_path, 3)
    apply_sql(empty_db, schema_sql(schema) + "; ALTER TABLE t001 ADD COLUMN extra integer"
              f"; GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}")  # the planner looks for rows
    # the target is built with the suite's own role (--dev-url): this role's one connection is live's
    plan = applier.diff(schema, url, Options(dev_url=server_url))
    assert [s.lower() for s in plan.statements()] == ['alter table "public"."t001" drop column "extra"']
