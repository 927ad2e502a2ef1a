"""SpendSense's least-privilege model, on a server that checks passwords (scram): the Lambda's
login role is made the way docs/access-control.md says (CREATE ROLE ... LOGIN IN ROLE
spendsense_app, then psql's \\password, which sends libpq's SCRAM verifier), logs in with its
password, and may read and write user data, may only insert into operator_actions, and may
not change the schema."""

from __future__ import annotations

import re
import uuid

import psycopg
import pytest
from psycopg import errors, sql

from schemagen.connect.dburl import with_database
from tests.support import ROOT, apply_sql

DOCS = ROOT / "docs" / "access-control.md"
PASSWORD = "Lambda-Pa55-from-Secrets-Manager"


def documented_statements() -> tuple[str, str]:
    """(the CREATE ROLE statement, the role \\password is run for) from the docs' psql block."""
    block = re.search(r"```sql\n(CREATE ROLE .*?)```", DOCS.read_text(), re.S).group(1)
    create = next(line for line in block.splitlines() if line.startswith("CREATE ROLE"))
    password_for = re.search(r"^\\password (\w+)$", block, re.M).group(1)
    return create.rstrip(";"), password_for


@pytest.fixture(scope="module")
def lambda_login(scram_server):
    """(admin URL of a SpendSense database, the login role's URL with its password)."""
    admin, port = scram_server
    name = f"spendsense_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    db_admin = with_database(admin, name)
    apply_sql(db_admin, (ROOT / "generated" / "schema.sql").read_text())
    create, role = documented_statements()
    with psycopg.connect(db_admin, autocommit=True) as conn:
        conn.execute(create)  # as the docs say, as the master role
        # psql's \password: libpq computes the SCRAM verifier; the password is never sent
        verifier = conn.pgconn.encrypt_password(PASSWORD.encode(), role.encode(), b"scram-sha-256").decode()
        assert verifier.startswith("SCRAM-SHA-256$")
        conn.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(sql.Identifier(role), sql.Literal(verifier)))
        conn.execute(sql.SQL("GRANT sg_password_users TO {}").format(sql.Identifier(role)))  # test server: scram
    yield db_admin, f"postgresql://{role}:{PASSWORD}@127.0.0.1:{port}/{name}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))


@pytest.fixture
def app(lambda_login):
    with psycopg.connect(lambda_login[1]) as conn:
        yield conn
        conn.rollback()


def test_the_login_role_needs_its_password(lambda_login):
    wrong = lambda_login[1].replace(PASSWORD, "wrong")
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(wrong)
    with psycopg.connect(lambda_login[1]) as conn:
        user, member = conn.execute("SELECT current_user, pg_has_role('spendsense_app', 'member')").fetchone()
        assert member and user != "spendsense_app"


def insert_user(conn) -> uuid.UUID:
    user = uuid.uuid4()
    conn.execute("INSERT INTO profiles (user_id, email, role) VALUES (%s, %s, 'consumer')", (user, f"{user}@x.io"))
    return user


def test_dml_on_user_data_works(app):
    user = insert_user(app)
    account = app.execute("INSERT INTO accounts (user_id, account_type, balance) VALUES (%s, 'checking', 10) "
                          "RETURNING id", (user,)).fetchone()[0]
    app.execute("INSERT INTO transactions (user_id, account_id, date, merchant, amount) "
                "VALUES (%s, %s, current_date, 'Shop', -5)", (user, account))
    assert app.execute("UPDATE accounts SET balance = 5 WHERE id = %s", (account,)).rowcount == 1
    assert app.execute("SELECT count(*) FROM transactions WHERE user_id = %s", (user,)).fetchone()[0] == 1
    assert app.execute("DELETE FROM transactions WHERE user_id = %s", (user,)).rowcount == 1
    app.execute("UPDATE profiles SET email = 'new@x.io' WHERE user_id = %s", (user,))  # fires the on_update trigger


@pytest.mark.parametrize("ddl", [
    "CREATE TABLE sneaky (id int)",
    "ALTER TABLE profiles ADD COLUMN sneaky text",
    "DROP TABLE chat_logs",
    "CREATE INDEX sneaky ON profiles (email)",
    "TRUNCATE chat_logs",
    "COMMENT ON TABLE profiles IS 'sneaky'",
    "CREATE SCHEMA sneaky",
    "ALTER TABLE operator_actions DISABLE TRIGGER ALL",
])
def test_ddl_is_refused(app, ddl):
    with pytest.raises(errors.InsufficientPrivilege):
        app.execute(ddl)


def test_operator_actions_are_insert_only(lambda_login):
    with psycopg.connect(lambda_login[1], autocommit=True) as conn:
        operator, user = insert_user(conn), insert_user(conn)
        action = conn.execute("INSERT INTO operator_actions (operator_id, user_id, action_type, reason) "
                              "VALUES (%s, %s, 'flag', 'audit') RETURNING id", (operator, user)).fetchone()[0]
        for statement in ("UPDATE operator_actions SET reason = 'rewritten' WHERE id = %s",
                          "DELETE FROM operator_actions WHERE id = %s",
                          "SELECT reason FROM operator_actions WHERE id = %s"):
            with pytest.raises(errors.InsufficientPrivilege):
                conn.execute(statement, (action,))
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute("TRUNCATE operator_actions")
    with psycopg.connect(lambda_login[0]) as admin:
        assert admin.execute("SELECT reason FROM operator_actions WHERE id = %s", (action,)).fetchone() == ("audit",)


def test_readonly_reads_and_writes_nothing(lambda_login):
    with psycopg.connect(lambda_login[0], autocommit=True) as conn:
        conn.execute("SET ROLE spendsense_readonly")
        assert conn.execute("SELECT count(*) FROM operator_actions").fetchone()[0] >= 0
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute("INSERT INTO profiles (user_id, email, role) VALUES (gen_random_uuid(), 'r@x.io', 'consumer')")
