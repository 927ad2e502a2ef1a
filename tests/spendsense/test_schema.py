"""SpendSense's schema, checked in a real PostgreSQL: what the story asks for
exists in the catalog, and the database behaves as the story's rules say."""

from __future__ import annotations

import uuid
from decimal import Decimal

import psycopg
import pytest
from psycopg import errors

from tests.catalog import snapshot

UUID, TSZ, NOW, GEN = "uuid", "timestamp with time zone", "now()", "gen_random_uuid()"

# (column, type, NOT NULL, default) per table, in the story's order (Task 3).
EXPECTED = {
    "profiles": [
        ("user_id", UUID, True, None), ("email", "character varying(320)", True, None),
        ("role", "user_role", True, None), ("created_at", TSZ, True, NOW), ("updated_at", TSZ, True, NOW)],
    "consent_records": [
        ("id", UUID, True, GEN), ("user_id", UUID, True, None), ("granted_at", TSZ, False, None),
        ("revoked_at", TSZ, False, None), ("version", "character varying(20)", True, "'1.0'::character varying"),
        ("ip_address", "character varying(45)", False, None)],
    "accounts": [
        ("id", UUID, True, GEN), ("user_id", UUID, True, None), ("account_type", "account_type", True, None),
        ("account_number_last4", "character varying(4)", False, None), ("balance", "numeric(10,2)", False, None),
        ("limit", "numeric(10,2)", False, None), ("created_at", TSZ, True, NOW)],
    "transactions": [
        ("id", UUID, True, GEN), ("user_id", UUID, True, None), ("account_id", UUID, True, None),
        ("date", "date", True, None), ("merchant", "character varying(255)", True, None),
        ("amount", "numeric(10,2)", True, None), ("category", "character varying(100)", False, None),
        ("created_at", TSZ, True, NOW)],
    "computed_features": [
        ("id", UUID, True, GEN), ("user_id", UUID, True, None), ("time_window", "time_window", True, None),
        ("signal_type", "character varying(100)", True, None), ("signal_value", "jsonb", True, None),
        ("computed_at", TSZ, True, NOW)],
    "persona_assignments": [
        ("id", UUID, True, GEN), ("user_id", UUID, True, None), ("time_window", "time_window", True, None),
        ("persona", "persona_type", True, None), ("assigned_at", TSZ, True, NOW)],
    "recommendations": [
        ("id", UUID, True, GEN), ("user_id", UUID, True, None), ("type", "recommendation_type", True, None),
        ("title", "character varying(255)", True, None), ("rationale", "text", True, None),
        ("shown_at", TSZ, False, None), ("clicked", "boolean", True, "false"), ("created_at", TSZ, True, NOW)],
    "decision_traces": [
        ("id", UUID, True, GEN), ("recommendation_id", UUID, True, None), ("trace_data", "jsonb", True, None),
        ("created_at", TSZ, True, NOW)],
    "chat_logs": [
        ("id", UUID, True, GEN), ("user_id", UUID, True, None), ("message", "text", True, None),
        ("response", "text", True, None), ("guardrails_passed", "boolean", True, "true"),
        ("created_at", TSZ, True, NOW)],
    "operator_actions": [
        ("id", UUID, True, GEN), ("operator_id", UUID, True, None), ("user_id", UUID, True, None),
        ("action_type", "operator_action_type", True, None), ("reason", "text", True, None),
        ("created_at", TSZ, True, NOW)],
}

ENUMS = {
    "user_role": ["consumer", "operator"],
    "account_type": ["checking", "savings", "high_yield_savings", "credit_card"],
    "time_window": ["30d", "90d", "180d"],
    "persona_type": ["high_utilization", "subscription_heavy", "variable_income_budgeter", "savings_builder",
                     "general_wellness"],
    "recommendation_type": ["education", "offer"],
    "operator_action_type": ["override", "flag"],
}

# Task 4, with the cascade policy of the issue: (table, column) -> (target, ON DELETE)
FOREIGN_KEYS = {
    ("consent_records", "user_id"): ("profiles(user_id)", "CASCADE"),
    ("accounts", "user_id"): ("profiles(user_id)", "CASCADE"),
    ("transactions", "user_id"): ("profiles(user_id)", "CASCADE"),
    ("transactions", "account_id"): ("accounts(id)", "CASCADE"),
    ("computed_features", "user_id"): ("profiles(user_id)", "CASCADE"),
    ("persona_assignments", "user_id"): ("profiles(user_id)", "CASCADE"),
    ("recommendations", "user_id"): ("profiles(user_id)", "CASCADE"),
    ("decision_traces", "recommendation_id"): ("recommendations(id)", "CASCADE"),
    ("chat_logs", "user_id"): ("profiles(user_id)", "CASCADE"),
    ("operator_actions", "operator_id"): ("profiles(user_id)", "RESTRICT"),
    ("operator_actions", "user_id"): ("profiles(user_id)", "CASCADE"),
}

# Task 5 plus an index on every foreign key not led by another index:
# table -> indexed column lists (leading order matters; DESC where asked)
INDEXES = {
    "profiles": ["email"],
    "consent_records": ["user_id"],
    "accounts": ["user_id"],
    "transactions": ["user_id, date DESC", "account_id", "date"],
    "computed_features": ["user_id, time_window", "signal_type"],
    "persona_assignments": ["user_id, time_window"],
    "recommendations": ["user_id", "shown_at"],
    "decision_traces": ["recommendation_id"],
    "chat_logs": ["user_id", "created_at"],
    "operator_actions": ["user_id", "operator_id"],
}


@pytest.fixture
def catalog(spendsense_db):
    with psycopg.connect(spendsense_db) as conn:
        return snapshot(conn)


def test_every_table_and_column_of_the_story(catalog):
    assert set(catalog["tables"]) == set(EXPECTED)
    for table, columns in EXPECTED.items():
        got = [(c["name"], c["type"], c["not_null"], c["default"]) for c in catalog["tables"][table]["columns"]]
        assert got == columns, table


def test_enums(catalog):
    assert {name: e["values"] for name, e in catalog["enums"].items()} == ENUMS


def test_foreign_keys_and_cascade_rules(catalog):
    found = {}
    for table, info in catalog["tables"].items():
        for con in info["constraints"].values():
            if con["type"] == "f":
                definition = con["definition"]
                column = definition.split("(")[1].split(")")[0]
                target = definition.split("REFERENCES ")[1].split(")")[0] + ")"
                rule = "RESTRICT" if "ON DELETE RESTRICT" in definition else \
                    "CASCADE" if "ON DELETE CASCADE" in definition else "NO ACTION"
                found[(table, column)] = (target, rule)
                assert con["comment"], f"{table}.{column}: the cascade reason is missing"
    assert found == FOREIGN_KEYS


def test_indexes(catalog):
    for table, wanted in INDEXES.items():
        defs = [d.split(" USING btree (")[1].rstrip(")") for d in catalog["tables"][table]["indexes"].values()]
        for columns in wanted:
            assert columns in defs, f"{table}: no index on ({columns}); has {defs}"
    unique = catalog["tables"]["profiles"]["constraints"]["profiles_email_key"]
    assert unique["type"] == "u"
    one_trace = catalog["tables"]["decision_traces"]["constraints"]["decision_traces_recommendation_id_key"]
    assert one_trace["type"] == "u"


def test_every_foreign_key_column_leads_an_index(catalog):
    for table, info in catalog["tables"].items():
        leading = {d.split(" USING btree (")[1].split(",")[0].rstrip(")").split(" ")[0]
                   for d in info["indexes"].values()}
        for con in info["constraints"].values():
            if con["type"] == "f":
                column = con["definition"].split("(")[1].split(")")[0]
                assert column in leading, f"{table}.{column} has no index led by it"


# --- behaviour ----------------------------------------------------------------

@pytest.fixture
def conn(spendsense_db):
    with psycopg.connect(spendsense_db, autocommit=True) as connection:
        yield connection


def add_profile(conn, role="consumer", email=None) -> uuid.UUID:
    user_id = uuid.uuid4()
    conn.execute("INSERT INTO profiles (user_id, email, role) VALUES (%s, %s, %s)",
                 (user_id, email or f"{user_id}@example.com", role))
    return user_id


def add_everything(conn, user_id):
    """One row in every table owned by the user; returns the recommendation id."""
    account = conn.execute("INSERT INTO accounts (user_id, account_type, balance, \"limit\") "
                           "VALUES (%s, 'credit_card', 10.50, 1000) RETURNING id", (user_id,)).fetchone()[0]
    conn.execute("INSERT INTO transactions (user_id, account_id, date, merchant, amount) "
                 "VALUES (%s, %s, '2025-01-02', 'Coffee', -3.20)", (user_id, account))
    conn.execute("INSERT INTO consent_records (user_id, granted_at) VALUES (%s, now())", (user_id,))
    conn.execute("INSERT INTO computed_features (user_id, time_window, signal_type, signal_value) "
                 "VALUES (%s, '30d', 'subscription', '{\"count\": 3}')", (user_id,))
    conn.execute("INSERT INTO persona_assignments (user_id, time_window, persona) "
                 "VALUES (%s, '90d', 'savings_builder')", (user_id,))
    rec = conn.execute("INSERT INTO recommendations (user_id, type, title, rationale) "
                       "VALUES (%s, 'education', 'Budgeting', 'because') RETURNING id", (user_id,)).fetchone()[0]
    conn.execute("INSERT INTO decision_traces (recommendation_id, trace_data) VALUES (%s, '{}')", (rec,))
    conn.execute("INSERT INTO chat_logs (user_id, message, response) VALUES (%s, 'hi', 'hello')", (user_id,))
    return rec


OWNED = ["accounts", "transactions", "consent_records", "computed_features", "persona_assignments",
         "recommendations", "chat_logs"]


def count(conn, table, where="true", params=()):
    return conn.execute(f'SELECT count(*) FROM "{table}" WHERE {where}', params).fetchone()[0]


def test_foreign_key_violation_is_rejected(conn):
    with pytest.raises(errors.ForeignKeyViolation):
        conn.execute("INSERT INTO accounts (user_id, account_type) VALUES (%s, 'checking')", (uuid.uuid4(),))


def test_duplicate_email_is_rejected(conn):
    add_profile(conn, email="same@example.com")
    with pytest.raises(errors.UniqueViolation):
        add_profile(conn, email="same@example.com")


def test_invalid_enum_value_is_rejected(conn):
    with pytest.raises(errors.InvalidTextRepresentation):
        add_profile(conn, role="admin")


def test_null_in_not_null_column_is_rejected(conn):
    user = add_profile(conn)
    with pytest.raises(errors.NotNullViolation):
        conn.execute("INSERT INTO chat_logs (user_id, message, response) VALUES (%s, 'hi', NULL)", (user,))


def test_deleting_a_profile_deletes_everything_it_owns(conn):
    user, other = add_profile(conn), add_profile(conn)
    add_everything(conn, user)
    add_everything(conn, other)
    operator = add_profile(conn, role="operator")
    conn.execute("INSERT INTO operator_actions (operator_id, user_id, action_type, reason) "
                 "VALUES (%s, %s, 'flag', 'review')", (operator, user))
    conn.execute("DELETE FROM profiles WHERE user_id = %s", (user,))
    for table in OWNED + ["operator_actions"]:
        assert count(conn, table, "user_id = %s", (user,)) == 0, table
    assert count(conn, "decision_traces") == 1  # only the other user's trace is left
    for table in OWNED:
        assert count(conn, table, "user_id = %s", (other,)) == 1, table


def test_deleting_an_account_deletes_its_transactions(conn):
    user = add_profile(conn)
    add_everything(conn, user)
    conn.execute("DELETE FROM accounts WHERE user_id = %s", (user,))
    assert count(conn, "transactions", "user_id = %s", (user,)) == 0


def test_deleting_an_operator_with_actions_is_refused(conn):
    operator, user = add_profile(conn, role="operator"), add_profile(conn)
    conn.execute("INSERT INTO operator_actions (operator_id, user_id, action_type, reason) "
                 "VALUES (%s, %s, 'override', 'fix')", (operator, user))
    with pytest.raises(errors.ForeignKeyViolation):
        conn.execute("DELETE FROM profiles WHERE user_id = %s", (operator,))
    assert count(conn, "operator_actions") == 1


def test_one_decision_trace_per_recommendation(conn):
    rec = add_everything(conn, add_profile(conn))
    with pytest.raises(errors.UniqueViolation):
        conn.execute("INSERT INTO decision_traces (recommendation_id, trace_data) VALUES (%s, '{}')", (rec,))


def test_updated_at_advances_on_update(conn):
    user = add_profile(conn)
    conn.execute("UPDATE profiles SET updated_at = '2000-01-01' WHERE user_id = %s", (user,))
    before = conn.execute("SELECT updated_at FROM profiles WHERE user_id = %s", (user,)).fetchone()[0]
    conn.execute("UPDATE profiles SET email = 'new@example.com' WHERE user_id = %s", (user,))
    after = conn.execute("SELECT updated_at FROM profiles WHERE user_id = %s", (user,)).fetchone()[0]
    assert before.year > 2000  # the trigger overrides even an explicit value
    assert after > before


def test_uuid_and_other_defaults_are_generated(conn):
    user = add_profile(conn)
    add_everything(conn, user)
    row = conn.execute("SELECT id, version, granted_at FROM consent_records WHERE user_id = %s",
                       (user,)).fetchone()
    assert isinstance(row[0], uuid.UUID) and row[1] == "1.0"
    clicked = conn.execute("SELECT clicked FROM recommendations WHERE user_id = %s", (user,)).fetchone()[0]
    assert clicked is False
    passed = conn.execute("SELECT guardrails_passed FROM chat_logs WHERE user_id = %s", (user,)).fetchone()[0]
    assert passed is True
    limit = conn.execute('SELECT "limit" FROM accounts WHERE user_id = %s', (user,)).fetchone()[0]
    assert limit == Decimal("1000.00")
