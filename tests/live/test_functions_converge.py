"""Functions, procedures, triggers and aggregates through diff -> apply -> diff: from empty, and
from a previous version holding rows (a changed body, return type, argument name and volatility;
a dropped function and trigger, which are unsafe: they break callers)."""

from __future__ import annotations

from tests.live.test_columns_types import evolve, execute, run_apply
from tests.support import CASES

CASE = CASES / "functions_triggers"


def _behaves(url: str) -> None:
    """The objects do what they are for, on the rows there are."""
    execute(url, "UPDATE accounts SET email = email || '.org' WHERE id = 1")
    assert execute(url, "SELECT updated_at > '2000-01-01' FROM accounts WHERE id = 1") == [(True,)]
    execute(url, "INSERT INTO orders (account_id, total) VALUES (1, 10), (1, 5)")
    audited = execute(url, "SELECT count(*) FROM order_audit WHERE operation = 'insert'")[0][0]
    assert audited >= 2
    assert execute(url, "SELECT account_id_for('a@x.org')") == [(1,)]
    assert execute(url, "SELECT order_total(1::bigint) >= 15, order_total(a) = order_total(a.id) "
                        "FROM accounts a WHERE id = 1") == [(True, True)]
    assert execute(url, "SELECT group_concat(email ORDER BY id) FROM accounts") == [("a@x.org, b@x",)]
    assert execute(url, "SELECT owed >= 15 FROM account_balances WHERE id = 1") == [(True,)]
    execute(url, "DELETE FROM open_orders WHERE total = 5")  # INSTEAD OF: cancelled, not deleted
    assert execute(url, "SELECT status FROM orders WHERE total = 5") == [("cancelled",)]
    assert execute(url, "CALL cancel_stale_orders('1 day', 0)") == [(0,)]  # none is a day old
    assert execute(url, "CALL cancel_stale_orders('-1 day', 0)")[0][0] >= 1  # every open one is "older"


def test_functions_from_empty(empty_db):
    evolve(empty_db, CASE / "schema.yaml")
    execute(empty_db, "INSERT INTO accounts (email) VALUES ('a@x'), ('b@x')")
    _behaves(empty_db)


def test_functions_from_previous_version_with_rows(empty_db):
    evolve(empty_db, CASE / "previous.yaml")
    execute(empty_db, "INSERT INTO accounts (email) VALUES ('a@x'), ('b@x')")
    execute(empty_db, "INSERT INTO orders (account_id, total) VALUES (1, 7), (2, 3)")
    code, out, err = run_apply(empty_db, CASE / "schema.yaml")
    assert code == 3, out + err  # legacy_total, touch_order and orders_touch go: refused without --allow-unsafe
    unsafe = [line for line in out.splitlines() if line.startswith("-- UNSAFE")]
    assert unsafe == ["-- UNSAFE: drops trigger orders_touch on orders: what it did on each write stops",
                      "-- UNSAFE: drops legacy_total(): callers fail", "-- UNSAFE: drops touch_order(): callers fail"]
    out = evolve(empty_db, CASE / "schema.yaml", allow_unsafe=True)
    assert execute(empty_db, "SELECT count(*) FROM orders") == [(2,)]
    assert execute(empty_db, "SELECT format_type(prorettype, NULL) FROM pg_proc WHERE proname = 'account_id_for'") \
        == [("bigint",)]
    assert execute(empty_db, "SELECT provolatile FROM pg_proc WHERE proname = 'accounts_owing'") == [("s",)]
    _behaves(empty_db)


def test_models_create_all_drop_all_and_again(empty_db):
    """drop_all removes the triggers, the aggregate and the functions before the tables (a function
    taking a table's row type would keep the table), so create_all works again."""
    from sqlalchemy import create_engine

    from tests.support import import_package, sqlalchemy_url
    models = import_package(CASE / "expected" / "models")
    engine = create_engine(sqlalchemy_url(empty_db))
    models.Base.metadata.create_all(engine)
    models.Base.metadata.drop_all(engine)
    assert execute(empty_db, "SELECT count(*) FROM pg_proc WHERE pronamespace = 'public'::regnamespace") == [(0,)]
    models.Base.metadata.create_all(engine)
    engine.dispose()
    assert execute(empty_db, "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal") == [(5,)]


def test_another_schema_from_empty_and_after_a_change(empty_db, tmp_path):
    """Schema shop: apply from empty converges; a changed body and a dropped SET are planned."""
    other = CASES / "functions_other_schema" / "schema.yaml"
    evolve(empty_db, other)
    execute(empty_db, "INSERT INTO shop.items (id, name, price) VALUES (1, 'pen', 2), (2, 'notebook', 5)")
    assert execute(empty_db, "SELECT shop.longest_name(name), shop.item_count() FROM shop.items") == [("notebook", 2)]
    changed = other.read_text().replace("    set: {search_path: shop}\n", "").replace(
        "SELECT * FROM items WHERE price < below", "SELECT * FROM shop.items WHERE price <= below")
    (tmp_path / "schema.yaml").write_text(changed)
    out = evolve(empty_db, tmp_path / "schema.yaml")
    assert "CREATE OR REPLACE FUNCTION shop.cheap_items" in out and "UNSAFE" not in out
    assert execute(empty_db, "SELECT count(*) FROM shop.cheap_items(5)") == [(2,)]
