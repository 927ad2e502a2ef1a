"""The safety class of every statement kind the columns and types work added, with
PostgreSQL as the oracle: a step marked as rewriting a table must change that table's
relfilenode, and a step not marked must not. Each change starts from a database at
BASE holding rows; the plan's steps run one at a time, and then the diff is empty."""

from __future__ import annotations

import copy

import psycopg
import pytest

from schemagen.live import apply as applier
from tests.live.test_columns_types import converged, evolve, execute, model

BASE = {
    "extensions": {"citext": {}},
    "domains": {
        "amount": {"type": "numeric(10,2)", "checks": [{"name": "positive", "expression": "VALUE >= 0"}]},
        "code": {"type": "varchar(10)"},
        "tag": {"type": "text"},
        "label": {"type": "text", "checks": [{"name": "short", "expression": "length(VALUE) < 100"}]},
    },
    "sequences": {"counter": {"type": "integer"}},
    "tables": {"t": {"columns": {
        "id": {"type": "serial", "primary_key": True},
        "n": {"type": "integer"},
        "w": {"type": "integer"},
        "s": {"type": "text"},
        "ts": {"type": "timestamptz(3)"},
        "vb": {"type": "varbit(8)"},
        "price": {"type": "amount"},
        "code": {"type": "code"},
        "tags": {"type": "tag[]", "nullable": True},
        "g": {"type": "integer", "generated": "n * 2"},
        "k": {"type": "bigint", "identity": "always"},
    }}},
}
ROWS = ("INSERT INTO t (n, w, s, ts, vb, price, code, tags) SELECT i, i, 'x' || i, now(), B'101', i, 'c' || i, "
        "ARRAY['a'] FROM generate_series(1, 5) i")


def column(name, value):
    def change(spec):
        if value is None:
            del spec["tables"]["t"]["columns"][name]
        else:
            spec["tables"]["t"]["columns"][name] = value
    return change


def edit(path: str, value):
    """Set (or with None, remove) the value at a dotted path of the spec."""
    def change(spec):
        *parents, last = path.split(".")
        node = spec
        for part in parents:
            node = node[part]
        if value is None:
            node.pop(last)
        else:
            node[last] = value
    return change


# name -> (change to BASE, whether some step must rewrite a table)
CHANGES = {
    "add identity column": (column("m", {"type": "bigint", "identity": "always"}), True),
    "add generated column": (column("h", {"type": "integer", "generated": "n + 1"}), True),
    "add serial column": (column("l", {"type": "bigserial"}), True),
    "add column drawing from a sequence": (column("l", {"type": "integer", "default": "nextval('counter')"}), True),
    "add column with a volatile default": (column("u", {"type": "uuid", "default": "gen_random_uuid()"}), True),
    "add column with a stable default": (column("at", {"type": "timestamptz", "default": "now()"}), False),
    "add array column with a constant default": (column("a", {"type": "integer[]", "default": "'{}'"}), False),
    "serial key becomes identity": (column("id", {"type": "integer", "primary_key": True, "identity": "always"}),
                                    False),
    "identity options and kind": (edit("tables.t.columns.k.identity",
                                       {"generated": "by default", "start": 100, "increment": 5}), False),
    "identity dropped": (column("k", {"type": "bigint"}), False),
    "collation": (edit("tables.t.columns.s.collation", "C"), False),
    "text to citext": (edit("tables.t.columns.s.type", "citext"), False),
    "more fractional digits": (edit("tables.t.columns.ts.type", "timestamptz(6)"), False),
    "fewer fractional digits": (edit("tables.t.columns.ts.type", "timestamptz(0)"), True),
    "longer bit string": (edit("tables.t.columns.vb.type", "varbit(16)"), False),
    "integer to bigint": (edit("tables.t.columns.w.type", "bigint"), True),
    "text to a domain without constraints": (edit("tables.t.columns.s.type", "tag"), False),
    "text to a domain with a check": (edit("tables.t.columns.s.type", "label"), True),
    "array of a domain back to text[]": (edit("tables.t.columns.tags.type", "text[]"), True),
    "domain back to its numeric": (edit("tables.t.columns.price.type", "numeric(10,2)"), True),
    "domain check added": (edit("domains.amount.checks", [{"name": "positive", "expression": "VALUE >= 0"},
                                                          {"name": "small", "expression": "VALUE < 1000000"}]), False),
    "domain check dropped": (edit("domains.amount.checks", None), False),
    "domain not null": (edit("domains.code.not_null", True), False),
    "domain default": (edit("domains.code.default", "'none'"), False),
    # a domain column has no length of its own to widen from: casting to the new domain rewrites
    "domain over a longer varchar": (edit("domains.code.type", "varchar(20)"), True),
    "domain with a check over a wider numeric": (edit("domains.amount.type", "numeric(12,2)"), True),
    "domain check where arrays of it are used": (edit("domains.tag.checks", [{"name": "filled",
                                                                              "expression": "VALUE <> ''"}]), True),
    "sequence options": (edit("sequences.counter", {"type": "integer", "start": 10, "increment": 2}), False),
    "sequence dropped": (edit("sequences.counter", None), False),
    "generated expression": (edit("tables.t.columns.g.generated", "n * 3"), True),
    "generated column made plain": (column("g", {"type": "integer"}), False),
}


def relfilenodes(url: str) -> dict[str, int]:
    return dict(execute(url, "SELECT c.relname, c.relfilenode FROM pg_class c JOIN pg_namespace n "
                             "ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'"))


@pytest.fixture
def db(empty_db):
    evolve(empty_db, BASE)
    execute(empty_db, ROWS)
    return empty_db


@pytest.mark.parametrize("name", CHANGES)
def test_rewrite_marks_match_relfilenode(db, name):
    change, rewrites = CHANGES[name]
    spec = copy.deepcopy(BASE)
    change(spec)
    plan = applier.diff(model(spec), db, applier.Options())
    assert not plan.empty
    rewritten_any = False
    for step in plan.steps:  # renames included: apply runs them while planning
        before = relfilenodes(db)
        with psycopg.connect(db, autocommit=True) as conn:
            conn.execute(step.sql)
        after = relfilenodes(db)
        rewritten = sorted(t for t in before if t in after and before[t] != after[t])
        marked = "rewrites" in (step.unsafe or "")
        assert marked == bool(rewritten), f"{step.sql}\n  marked: {step.unsafe}\n  rewritten: {rewritten}"
        rewritten_any |= bool(rewritten)
    assert rewritten_any == rewrites, plan.render()
    # before PostgreSQL 17 a new generation expression means dropping and adding the column, which
    # moves it last: the diff engine sees no difference, the digest (which counts positions) does
    converged(db, spec, digest=name != "generated expression")
    assert execute(db, "SELECT count(*) FROM t") == [(5,)]
