"""live's inspection by the diff engine runs beside the catalog digests' comparison
(live/differ.Inspection). A diff in sync stops it between two of its queries rather than
cancelling the one under way: a cancelled statement is an ERROR with the statement's whole text
in the server's log, which a diff run on every CI build would fill."""

from __future__ import annotations

import pytest
import yaml

from schemagen.live import apply as applier
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
