"""Issue 15's acceptance on pagila's own DDL (tests/live/pagila/schema.sql: the repository's
pagila-schema.sql, unchanged; licence beside it; rows of our own in data.sql):

1. imported.yaml (what `schemagen import` wrote) is reached with ONE `apply --allow-unsafe`,
   `diff` then exits 0, and every declared table keeps its rows.
2. schema.yaml (imported.yaml finished by hand, `ignore:` for what the format cannot hold yet)
   gets a plan with no drop at all (its statements read with pglast), and the ignored
   functions, triggers and views stay as they were.
"""

from __future__ import annotations

from pathlib import Path

import psycopg
import yaml

from schemagen.live import apply as applier
from schemagen.live.stmtinfo import read
from schemagen.spec.loader import load, parse
from schemagen.spec.validate import validate
from tests.live.test_public import KEPT, drops, on, rows, schemagen

HERE = Path(__file__).resolve().parent / "pagila"


def loaded(make_database) -> str:
    """A new database holding pagila's schema.sql, then data.sql, each in one transaction."""
    url = make_database()
    for part in ("schema.sql", "data.sql"):
        with psycopg.connect(url) as conn, conn.transaction():
            conn.execute((HERE / part).read_text())
    return url


def test_pagila_loads_with_rows(make_database):
    url = loaded(make_database)
    with psycopg.connect(url) as conn:
        tables = conn.execute("SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace "
                              "AND relkind IN ('r', 'p')").fetchone()[0]
        assert tables == 14 + 1 + 55  # 14 tables, payment and its 55 monthly partitions
        assert conn.execute(KEPT).fetchone() == (10, 15, 8)  # 9 functions and the aggregate, triggers, views
    assert sum(map(len, rows(url).values())) == 27  # payment counted once (its partitions hold its 2 rows)


def test_imported_pagila_is_reached_with_one_apply(make_database, tmp_path):
    url = loaded(make_database)
    # imported.yaml is what import writes today (but its second line, the scratch database's URL)
    out = tmp_path / "imported.yaml"
    assert schemagen("import", "--db", url, "--out", str(out)).returncode == 1  # with what it leaves out
    fresh, kept = out.read_text().splitlines(), (HERE / "imported.yaml").read_text().splitlines()
    assert fresh[:1] + fresh[2:] == kept[:1] + kept[2:]
    before = rows(url)
    spec = HERE / "imported.yaml"
    model = validate(load(spec))
    plan = applier.diff(model, url, applier.Options())
    assert plan.unsafe_steps
    # payment (partitioned) is not in imported.yaml: it goes whole, nothing of its partitions on its own
    assert [s.sql for s in on(plan, "drop", "table")] == ['drop table "public"."payment"']
    assert len(on(plan, "drop", "sequence")) == 13
    assert schemagen("apply", "--schema", str(spec), "--db", url, "--yes").returncode == 3
    done = schemagen("apply", "--schema", str(spec), "--db", url, "--yes", "--allow-unsafe")
    assert done.returncode == 0, done.stdout + done.stderr
    diff = schemagen("diff", "--schema", str(spec), "--db", url)
    assert diff.returncode == 0, diff.stdout + diff.stderr
    after = rows(url)
    assert set(after) == {f"public.{t.name}" for t in model.tables} == set(before) - {"public.payment"}
    assert after == {t: before[t] for t in after}


def test_pagila_with_ignore_nothing_is_dropped(make_database):
    url = loaded(make_database)
    before = rows(url)
    with psycopg.connect(url) as conn:
        kept = conn.execute(KEPT).fetchone()
    spec = HERE / "schema.yaml"
    plan = applier.diff(validate(load(spec)), url, applier.Options())
    assert drops(plan) == [], plan.render()
    # what is left is true: pagila's 12 sequences are bigint and owned by no column, and `serial`
    # says integer sequences owned by their key: 12 ALTER SEQUENCE ... AS integer, 12 OWNED BY
    assert [read(s.sql).verb for s in plan.steps] == ["alter"] * 24, plan.render()
    assert not plan.unsafe_steps, plan.render()
    done = schemagen("apply", "--schema", str(spec), "--db", url, "--yes")  # no --allow-unsafe
    assert done.returncode == 0, done.stdout + done.stderr
    diff = schemagen("diff", "--schema", str(spec), "--db", url)
    assert diff.returncode == 0, diff.stdout + diff.stderr
    with psycopg.connect(url) as conn:
        assert conn.execute(KEPT).fetchone() == kept
    assert rows(url) == before


def test_pagila_next_release_is_applied_without_a_drop(make_database, tmp_path):
    """A table, a column and an index added to schema.yaml: creates (and the 24 sequence
    ALTERs), no drop, nothing unsafe; apply without --allow-unsafe, then diff exits 0."""
    url = loaded(make_database)
    before = rows(url)
    spec = yaml.safe_load((HERE / "schema.yaml").read_text())
    spec["tables"]["actor"]["columns"]["note"] = {"type": "text", "nullable": True}
    spec["tables"]["release_note"] = {"columns": {"id": {"type": "bigint", "primary_key": True,
                                                         "identity": "always"}, "body": {"type": "text"}}}
    spec["tables"]["rental"]["indexes"].append({"columns": ["return_date"], "name": "rental_return_date_idx"})
    path = tmp_path / "schema.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True))
    plan = applier.diff(validate(parse(path.read_text())), url, applier.Options())
    assert drops(plan) == [] and not plan.unsafe_steps, plan.render()
    assert len(on(plan, "create", "table")) == 1 and on(plan, "create", "index", "rental_return_date_idx")
    done = schemagen("apply", "--schema", str(path), "--db", url, "--yes")
    assert done.returncode == 0, done.stdout + done.stderr
    diff = schemagen("diff", "--schema", str(path), "--db", url)
    assert diff.returncode == 0, diff.stdout + diff.stderr
    after = rows(url)
    assert after.pop("public.release_note") == [] and len(after.pop("public.actor")) == len(before.pop("public.actor"))
    assert after == before
