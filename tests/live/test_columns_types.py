"""diff -> apply -> diff for identity, sequences, the richer types, domains and extensions:
each golden case is reached from a smaller previous version holding rows (the rows stay,
new rows get fresh keys), and both the diff engine and the digest then see no difference."""

from __future__ import annotations

import io

import psycopg
import pytest
import yaml

from schemagen.live import apply as applier
from schemagen.live import dbconn, fingerprint
from schemagen.live.planner import build_plan
from schemagen.spec.loader import parse
from schemagen.spec.validate import load_schema, validate
from tests.support import CASES


def model(spec):
    if isinstance(spec, dict):
        return validate(parse(yaml.safe_dump(spec, sort_keys=False)))
    return load_schema(spec)


def run_apply(url: str, spec, **options):
    out, err = io.StringIO(), io.StringIO()
    try:
        code = applier.apply(model(spec), url, applier.Options(yes=True, lock_wait=5, **options), out=out, err=err)
    except applier.ApplyError as exc:
        return exc.exit_code, out.getvalue(), str(exc)
    return code, out.getvalue(), err.getvalue()


def converged(url: str, spec, digest: bool = True) -> None:
    """The diff engine finds nothing (the digest shortcut off) and the digests are equal."""
    schema = model(spec)
    opts = applier.Options()
    path = dbconn.search_path(schema)
    with dbconn.connect(url, path) as live, applier._target(schema, url, live, opts) as target:
        with live.begin() as tx:
            plan = build_plan(schema, live, target, shortcut=False)
            tx.rollback()
        assert plan.empty, plan.render()
        assert fingerprint.same(live, target, schema.name) or not digest


def evolve(url: str, spec, **options) -> str:
    code, out, err = run_apply(url, spec, **options)
    assert code == 0, f"{err}\n{out}"
    converged(url, spec)
    return out


def execute(url: str, sql: str, params=None):
    with psycopg.connect(url, autocommit=True) as conn:
        cur = conn.execute(sql, params)
        return cur.fetchall() if cur.description else None


# --- the golden cases, from their previous versions ----------------------------------

def test_identity_sequences_from_serial_keys_with_rows(empty_db):
    case = CASES / "identity_sequences"
    evolve(empty_db, case / "previous.yaml")
    execute(empty_db, "INSERT INTO customers (name) VALUES ('ada'), ('bob'), ('cy')")
    execute(empty_db, "INSERT INTO invoices (number, customer_id) VALUES (1, 1), (2, 2), (3, 3)")
    out = evolve(empty_db, case / "schema.yaml", allow_unsafe=True)
    assert "_retired" in out  # the serial sequences made way for the identity ones
    assert """SELECT setval('"public"."customers_id_seq"', max("id"))""" in out
    assert execute(empty_db, "SELECT id, name FROM customers ORDER BY id") == [(1, "ada"), (2, "bob"), (3, "cy")]
    # identity always: the database chooses, and carries on after the existing keys
    new = execute(empty_db, "INSERT INTO customers (name) VALUES ('dee') RETURNING id, legacy_no")
    assert new[0][0] == 4
    row = execute(empty_db, "INSERT INTO invoices (customer_id) VALUES (4) RETURNING id, number, ticket")[0]
    assert row[1] == 10000 and row[2] == 4  # invoice_number starts at 10000; the 3 rows took tickets 1-3
    with pytest.raises(psycopg.errors.GeneratedAlways):
        execute(empty_db, "INSERT INTO customers (id, name) VALUES (99, 'x')")
    assert execute(empty_db, "SELECT nextval('ledger_ref')") == [(1,)]


def test_types_rich_from_plainer_types_with_rows(empty_db):
    case = CASES / "types_rich"
    evolve(empty_db, case / "previous.yaml")
    execute(empty_db, "INSERT INTO readings (tags, body, label, source_ip, valid, mask, price, qty) VALUES "
                      "('{a,b}', 'B', 'x', '10.0.0.1/24', '[2025-01-01,2025-02-01)', B'101', 2.50, 4), "
                      "('{}', 'a', NULL, NULL, NULL, NULL, 1.00, 1)")
    evolve(empty_db, case / "schema.yaml", allow_unsafe=True)
    rows = execute(empty_db, "SELECT body, total, body_length, host(source_ip), mask::text FROM readings "
                             "ORDER BY body")
    assert rows == [("B", 10, 1, "10.0.0.1", "101"), ("a", 1, 1, None, None)]  # collate "C": B before a


def test_domains_extensions_from_plain_columns_with_rows(empty_db):
    case = CASES / "domains_extensions"
    evolve(empty_db, case / "previous.yaml")
    execute(empty_db, "INSERT INTO shop.customers (email, zip, labels) VALUES ('Ada@Example.com', '12345', "
                      "'{x}')")
    execute(empty_db, "INSERT INTO shop.orders (customer_id, total, paid) VALUES (1, 99999.99, 12.50)")
    out = evolve(empty_db, case / "schema.yaml", allow_unsafe=True)
    assert out.index('CREATE EXTENSION IF NOT EXISTS "citext"') < out.index('CREATE DOMAIN "shop"."email"')
    assert 'RENAME TO "amount_replaced"' in out  # numeric(10,2) -> numeric(12,2): made anew, columns cast over
    assert execute(empty_db, "SELECT count(*) FROM shop.customers WHERE email = 'ada@example.COM'") == [(1,)]
    assert execute(empty_db, "SELECT paid FROM shop.orders")[0][0] == 12.5
    with pytest.raises(psycopg.errors.CheckViolation):
        execute(empty_db, "INSERT INTO shop.customers (email) VALUES ('no-at-sign')")
    with pytest.raises(psycopg.errors.CheckViolation):
        execute(empty_db, "UPDATE shop.customers SET backup_emails = ARRAY['bad']::shop.email[]")


# --- renames and the way back ---------------------------------------------------------

KEYS = {"tables": {"items": {"columns": {
    "id": {"type": "serial", "primary_key": True},
    "n": {"type": "bigint", "identity": "always"},
    "name": {"type": "text"},
}}}}


def test_renamed_table_and_column_keep_their_sequences_counting(empty_db):
    evolve(empty_db, KEYS)
    execute(empty_db, "INSERT INTO items (name) VALUES ('a'), ('b'), ('c')")
    spec = {"tables": {"things": {"renamed_from": "items", "columns": {
        "id": {"type": "serial", "primary_key": True},
        "m": {"type": "bigint", "identity": "always", "renamed_from": "n"},
        "name": {"type": "text"},
    }}}}
    out = evolve(empty_db, spec)
    assert 'ALTER SEQUENCE "public"."items_id_seq" RENAME TO "things_id_seq"' in out
    assert 'ALTER SEQUENCE "public"."items_n_seq" RENAME TO "things_m_seq"' in out
    assert "UNSAFE" not in out
    assert execute(empty_db, "INSERT INTO things (name) VALUES ('d') RETURNING id, m") == [(4, 4)]


def test_identity_back_to_serial_keeps_counting(empty_db):
    spec = {"tables": {"items": {"columns": {"id": {"type": "bigint", "primary_key": True, "identity": "always"},
                                             "name": {"type": "text"}}}}}
    evolve(empty_db, spec)
    execute(empty_db, "INSERT INTO items (name) VALUES ('a'), ('b')")
    spec["tables"]["items"]["columns"]["id"] = {"type": "bigserial", "primary_key": True}
    out = evolve(empty_db, spec)
    assert "UNSAFE" not in out and """SELECT setval('"public"."items_id_seq"', max("id"))""" in out
    assert execute(empty_db, "INSERT INTO items (name) VALUES ('c') RETURNING id") == [(3,)]


def test_sequence_owner_and_options_change_in_place(empty_db):
    spec = {"sequences": {"ref": {"type": "integer"}},
            "tables": {"items": {"columns": {"id": {"type": "integer", "primary_key": True},
                                             "ref": {"type": "integer", "default": "nextval('ref')"}}}}}
    evolve(empty_db, spec)
    execute(empty_db, "INSERT INTO items (id) VALUES (1), (2)")
    spec["sequences"]["ref"] = {"type": "bigint", "increment": 5, "owned_by": "items.ref", "comment": "Refs."}
    out = evolve(empty_db, spec)
    assert 'ALTER SEQUENCE "public"."ref" AS bigint INCREMENT BY 5' in out and "UNSAFE" not in out
    assert execute(empty_db, "INSERT INTO items (id) VALUES (3) RETURNING ref") == [(7,)]  # 2 + 5
    del spec["sequences"]["ref"]["owned_by"]
    evolve(empty_db, spec)
    del spec["sequences"]
    spec["tables"]["items"]["columns"]["ref"].pop("default")
    code, out, _ = run_apply(empty_db, spec)
    assert code == 3 and "UNSAFE: drops sequence ref and its current value" in out
