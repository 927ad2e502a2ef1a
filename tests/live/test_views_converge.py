"""Views and materialized views through diff -> apply -> diff: from empty, and from a previous
version holding rows where a base table's column type changes under views that read it (they are
dropped and made again in the same transaction, with their comments), and a dropped view is unsafe."""

from __future__ import annotations

from tests.live.test_columns_types import evolve, execute, run_apply
from tests.support import CASES

CASE = CASES / "views"


def test_views_from_empty(empty_db):
    evolve(empty_db, CASE / "schema.yaml")
    execute(empty_db, "INSERT INTO customers (email) VALUES ('a@x')")
    execute(empty_db, "INSERT INTO orders (customer_id, total) VALUES (1, 1500)")
    assert execute(empty_db, "SELECT customer_id, spent FROM big_spenders") == [(1, 1500)]
    # WITH NO DATA: not readable until REFRESH
    assert execute(empty_db, "SELECT relispopulated FROM pg_class WHERE relname = 'monthly_sales'") == [(False,)]


def test_views_from_previous_version_with_rows(empty_db):
    evolve(empty_db, CASE / "previous.yaml")
    execute(empty_db, "INSERT INTO customers (email) VALUES ('a@x'), ('b@x')")
    execute(empty_db, "INSERT INTO orders (customer_id, total) VALUES (1, 700), (1, 800), (2, 5)")
    code, out, err = run_apply(empty_db, CASE / "schema.yaml")
    assert code == 3, out + err  # old_report is dropped: refused without --allow-unsafe
    assert "old_report" in out + err and "breaks callers" in out + err
    out = evolve(empty_db, CASE / "schema.yaml", allow_unsafe=True)
    assert execute(empty_db, "SELECT customer_id, spent FROM big_spenders") == [(1, 1500)]
    assert execute(empty_db, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                             "WHERE attrelid = 'orders'::regclass AND attname = 'total'") == [("numeric(12,2)",)]
    comments = execute(empty_db, "SELECT obj_description('customer_totals'::regclass, 'pg_class'), "
                                 "col_description('customer_totals'::regclass, 3)")
    assert comments == [("What each active customer has spent.", "Sum of order totals; 0 without orders.")]


def test_a_changed_comment_is_set_in_place(empty_db, tmp_path):
    evolve(empty_db, CASE / "schema.yaml")
    execute(empty_db, "REFRESH MATERIALIZED VIEW monthly_sales")
    changed = (CASE / "schema.yaml").read_text().replace("Sales per day, refreshed nightly.", "Sales per day.")
    changed = changed.replace("comment: The calendar day (UTC).", "comment: The day.")
    (tmp_path / "schema.yaml").write_text(changed)
    out = evolve(empty_db, tmp_path / "schema.yaml")
    assert "COMMENT ON MATERIALIZED VIEW \"public\".\"daily_sales\" IS 'Sales per day.'" in out
    assert "COMMENT ON COLUMN \"public\".\"daily_sales\".\"day\" IS 'The day.'" in out
    assert "DROP" not in out  # nothing made again: monthly_sales keeps its refreshed rows
    assert execute(empty_db, "SELECT relispopulated FROM pg_class WHERE relname = 'monthly_sales'") == [(True,)]
