"""diff -> apply -> diff on a real PostgreSQL: every evolution starts from a
database at the old schema holding rows, and must converge with the rows intact."""

from __future__ import annotations

import copy
import io

import psycopg
import pytest
import yaml

from schemagen.live import apply as applier
from schemagen.live import history
from schemagen.spec.loader import parse
from schemagen.spec.validate import validate

BASE = {
    "enums": {"status": {"values": ["new", "done"]}},
    "tables": {
        "items": {
            "comment": "Things.",
            "columns": {
                "id": {"type": "integer", "primary_key": True},
                "name": {"type": "varchar(20)"},
                "qty": {"type": "numeric(6,2)", "nullable": True},
                "status": {"type": "status", "default": "'new'"},
                "note": {"type": "text", "nullable": True, "comment": "Old comment."},
            },
            "indexes": [{"columns": ["name"]}],
        },
        "parts": {
            "columns": {
                "id": {"type": "integer", "primary_key": True},
                "item_id": {"type": "integer", "references": {"table": "items", "on_delete": "cascade"}},
            },
            "indexes": [{"columns": ["item_id"]}],
        },
    },
}

ROWS = [(1, "one", "1.50", "new"), (2, "two", None, "done"), (3, "three", "3.00", "new")]


def model(spec: dict):
    return validate(parse(yaml.safe_dump(spec, sort_keys=False)))


def run_apply(url, spec, **options):
    out, err = io.StringIO(), io.StringIO()
    opts = applier.Options(yes=True, lock_wait=5, **options)
    try:
        code = applier.apply(model(spec), url, opts, out=out, err=err)
    except applier.ApplyError as exc:
        return exc.exit_code, out.getvalue(), str(exc)
    return code, out.getvalue(), err.getvalue()


def plan(url, spec):
    return applier.diff(model(spec), url, applier.Options())


@pytest.fixture
def db(empty_db):
    code, _, err = run_apply(empty_db, BASE)
    assert code == 0, err
    with psycopg.connect(empty_db, autocommit=True) as conn:
        for row in ROWS:
            conn.execute("INSERT INTO items (id, name, qty, status) VALUES (%s, %s, %s, %s)", row)
            conn.execute("INSERT INTO parts (id, item_id) VALUES (%s, %s)", (row[0] * 10, row[0]))
    return empty_db


def rows(url, table="items", columns="id, name, qty, status"):
    with psycopg.connect(url) as conn:
        return [tuple(str(v) if v is not None else None for v in r)
                for r in conn.execute(f"SELECT {columns} FROM {table} ORDER BY 1")]


def evolve(url, spec, **options):
    """apply, then diff must be empty."""
    code, out, err = run_apply(url, spec, **options)
    assert code == 0, f"{err}\n{out}"
    left = plan(url, spec)
    assert left.empty, left.render()
    return out


def changed(**edits):
    spec = copy.deepcopy(BASE)
    for path, value in edits.items():
        node = spec
        *parents, last = path.split("__")
        for part in parents:
            node = node[part]
        if value is None:
            node.pop(last)
        else:
            node[last] = value
    return spec


def original_rows():
    return [tuple(str(v) if v is not None else None for v in r) for r in ROWS]


def test_fresh_database_converges(db):
    assert plan(db, BASE).empty
    assert rows(db) == original_rows()


def test_add_table(db):
    spec = changed(tables__tags={"columns": {"id": {"type": "bigint", "primary_key": True}}})
    evolve(db, spec)
    assert rows(db) == original_rows()


def test_add_nullable_column_and_not_null_column_with_default(db):
    spec = copy.deepcopy(BASE)
    spec["tables"]["items"]["columns"]["colour"] = {"type": "text", "nullable": True}
    spec["tables"]["items"]["columns"]["weight"] = {"type": "integer", "default": 7}
    evolve(db, spec)
    assert rows(db, columns="id, colour, weight") == [("1", None, "7"), ("2", None, "7"), ("3", None, "7")]


def test_drop_column_is_refused_without_allow_unsafe(db):
    spec = changed(tables__items__columns__note=None)
    code, out, message = run_apply(db, spec)
    assert code == 3
    assert "-- UNSAFE: drops column items.note and its data" in out
    assert "nothing was changed" in message
    assert not plan(db, BASE).steps  # unchanged
    evolve(db, spec, allow_unsafe=True)
    assert rows(db) == original_rows()


def test_rename_column_keeps_its_data(db):
    spec = copy.deepcopy(BASE)
    columns = spec["tables"]["items"]["columns"]
    spec["tables"]["items"]["columns"] = {("title" if k == "name" else k): v for k, v in columns.items()}
    spec["tables"]["items"]["columns"]["title"]["renamed_from"] = "name"
    spec["tables"]["items"]["indexes"] = [{"columns": ["title"]}]
    out = evolve(db, spec)
    assert 'RENAME COLUMN "name" TO "title"' in out
    assert 'ALTER INDEX "public"."items_name_idx" RENAME TO "items_title_idx"' in out
    assert "UNSAFE" not in out
    assert rows(db, columns="id, title, qty, status") == original_rows()


def test_rename_table_keeps_rows_and_references(db):
    spec = copy.deepcopy(BASE)
    spec["tables"] = {("things" if k == "items" else k): v for k, v in spec["tables"].items()}
    spec["tables"]["things"]["renamed_from"] = "items"
    spec["tables"]["parts"]["columns"]["item_id"]["references"]["table"] = "things"
    out = evolve(db, spec)
    assert 'ALTER TABLE "public"."items" RENAME TO "things"' in out
    assert 'RENAME CONSTRAINT "items_pkey" TO "things_pkey"' in out
    assert "drop table" not in out.lower()
    assert rows(db, "things") == original_rows()
    assert rows(db, "parts", "id, item_id") == [("10", "1"), ("20", "2"), ("30", "3")]


def test_change_on_delete_rule(db):
    spec = copy.deepcopy(BASE)
    spec["tables"]["parts"]["columns"]["item_id"]["references"]["on_delete"] = "restrict"
    evolve(db, spec)
    with psycopg.connect(db, autocommit=True) as conn, pytest.raises(psycopg.errors.ForeignKeyViolation):
        conn.execute("DELETE FROM items WHERE id = 1")


def test_add_change_and_drop_indexes_on_a_table_with_rows(db):
    spec = copy.deepcopy(BASE)
    spec["tables"]["items"]["indexes"] = [
        {"columns": ["name"]},
        {"columns": [{"column": "qty", "order": "desc"}], "where": "qty IS NOT NULL"},
    ]
    out = evolve(db, spec)
    assert "CREATE INDEX CONCURRENTLY IF NOT EXISTS items_qty_idx" in out
    assert "-- After the commit, outside a transaction" in out
    spec["tables"]["items"]["indexes"] = [{"columns": [{"column": "qty", "order": "asc"}],
                                           "where": "qty > 0"}]
    evolve(db, spec)
    spec["tables"]["items"]["indexes"] = []
    evolve(db, spec)
    with psycopg.connect(db) as conn:
        names = [r[0] for r in conn.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'items'")]
    assert names == ["items_pkey"]
    assert rows(db) == original_rows()


def test_add_check_default_and_widen_types(db):
    spec = copy.deepcopy(BASE)
    cols = spec["tables"]["items"]["columns"]
    cols["name"]["type"] = "varchar(200)"
    cols["qty"]["type"] = "numeric(12,2)"
    cols["status"]["default"] = "'done'"
    spec["tables"]["items"]["checks"] = [{"name": "qty_positive", "expression": "qty > 0"}]
    out = evolve(db, spec)
    assert "UNSAFE" not in out
    assert "validate constraint" in out.lower() and "After the commit" in out
    with psycopg.connect(db, autocommit=True) as conn:
        conn.execute("INSERT INTO items (id, name) VALUES (4, %s)", ("x" * 150,))
        assert conn.execute("SELECT status FROM items WHERE id = 4").fetchone()[0] == "done"
        with pytest.raises(psycopg.errors.CheckViolation):
            conn.execute("INSERT INTO items (id, name, qty) VALUES (5, 'y', -1)")
    assert rows(db)[:3] == original_rows()


def test_narrowing_a_type_is_unsafe(db):
    spec = copy.deepcopy(BASE)
    spec["tables"]["items"]["columns"]["name"]["type"] = "varchar(5)"
    code, out, _ = run_apply(db, spec)
    assert code == 3 and "UNSAFE: changes items.name" in out


def test_append_and_insert_enum_values_without_rewrite(db):
    spec = copy.deepcopy(BASE)
    spec["enums"]["status"]["values"] = ["new", "doing", "done", "archived"]
    out = evolve(db, spec)
    assert "ADD VALUE IF NOT EXISTS 'doing' BEFORE 'done'" in out
    assert "ADD VALUE IF NOT EXISTS 'archived'" in out
    assert "rename to" not in out.lower() and "UNSAFE" not in out
    with psycopg.connect(db) as conn:
        labels = conn.execute("SELECT enum_range(NULL::status)::text").fetchone()[0]
    assert labels == "{new,doing,done,archived}"
    assert rows(db) == original_rows()


def test_new_enum_value_used_as_default_goes_in_a_later_transaction(db):
    spec = copy.deepcopy(BASE)
    spec["enums"]["status"]["values"] = ["new", "done", "queued"]
    spec["tables"]["items"]["columns"]["status"]["default"] = "'queued'"
    out = evolve(db, spec)
    assert out.index("Transaction 1: new enum values") < out.index("Transaction 2: schema changes")


def test_removing_an_enum_value_is_unsafe(db):
    spec = copy.deepcopy(BASE)
    spec["enums"]["status"]["values"] = ["new"]
    code, out, _ = run_apply(db, spec)
    assert code == 3 and "UNSAFE: enum status loses or reorders values" in out


def test_comment_changes_are_applied(db):
    spec = copy.deepcopy(BASE)
    spec["tables"]["items"]["comment"] = "Things we sell; it's fine."
    spec["tables"]["items"]["columns"]["note"]["comment"] = None
    spec["tables"]["items"]["columns"]["note"].pop("comment")
    spec["tables"]["items"]["columns"]["name"]["comment"] = "Shown to people."
    out = evolve(db, spec)
    assert """COMMENT ON TABLE "public"."items" IS 'Things we sell; it''s fine.'""" in out
    assert 'COMMENT ON COLUMN "public"."items"."note" IS NULL' in out
    with psycopg.connect(db) as conn:
        assert conn.execute("SELECT obj_description('items'::regclass)").fetchone()[0] == "Things we sell; it's fine."


def test_history_records_each_apply(db):
    with psycopg.connect(db) as conn:
        from sqlalchemy import create_engine

        from tests.support import sqlalchemy_url
        engine = create_engine(sqlalchemy_url(db))
        with engine.connect() as sa:
            entries = history.entries(sa)
        engine.dispose()
        assert [e["kind"] for e in entries] == ["apply"]
        assert entries[0]["statements"] and entries[0]["status"] == "ok"
        assert conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'schemagen'").fetchone()[0] == 1
    assert plan(db, BASE).empty  # the history table is not part of the diff


def test_failed_concurrent_index_is_cleaned_up_and_finished_later(db):
    with psycopg.connect(db, autocommit=True) as conn:
        conn.execute("UPDATE items SET name = 'same'")
    spec = copy.deepcopy(BASE)
    spec["tables"]["items"]["indexes"] = [{"columns": ["name"]}, {"columns": ["name", "id"], "unique": True,
                                                                  "name": "items_name_uniq"},
                                          {"columns": ["name"], "unique": True, "name": "items_name_key2"}]
    code, out, message = run_apply(db, spec)
    assert code == 1 and "after the commit failed" in message
    with psycopg.connect(db, autocommit=True) as conn:
        invalid = conn.execute("SELECT count(*) FROM pg_index WHERE NOT indisvalid").fetchone()[0]
        assert invalid == 0
        conn.execute("UPDATE items SET name = id::text")
    evolve(db, spec)


def test_index_on_a_reserved_word_table_with_rows_is_built_concurrently(empty_db):
    """pg_get_indexdef quotes "order" but not items: the row probe must see both spellings."""
    spec = {"tables": {"order": {"columns": {"id": {"type": "integer", "primary_key": True},
                                             "note": {"type": "text"}}}}}
    evolve(empty_db, spec)
    with psycopg.connect(empty_db, autocommit=True) as conn:
        conn.execute("""INSERT INTO "order" VALUES (1, 'first')""")
    spec["tables"]["order"]["indexes"] = [{"columns": ["note"]}]
    out = evolve(empty_db, spec)
    assert 'CREATE INDEX CONCURRENTLY IF NOT EXISTS order_note_idx ON public."order"' in out
