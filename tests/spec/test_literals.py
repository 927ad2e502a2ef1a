"""Constant defaults against column types: our verdict equals PostgreSQL's, asked by
creating the table and inserting a row that uses the default, for a matrix of types
and literals; where we refuse more than PostgreSQL, the case is listed with why."""

from __future__ import annotations

import psycopg
import pytest

from schemagen.spec.expressions import analyse
from schemagen.spec.literals import problem, yaml_default
from schemagen.spec.types import parse_type

ENUM_VALUES = ("happy", "sad")
TYPES = ["boolean", "smallint", "integer", "bigint", "numeric", "numeric(5,2)", "real", "double precision",
         "text", "varchar(3)", "char(2)", "uuid", "date", "time", "timestamp", "timestamptz", "interval",
         "json", "jsonb", "bytea", "mood"]
LITERALS = [
    "NULL", "0", "1", "-1", "true", "false", "B'101'", "1.5", "1.0", "123.456", "99.995", "999.995", "1e400",
    "1e-50", "3.4028236e38", "40000", "3000000000", "99999999999999999999",
    "'t'", "'yes'", "'of'", "'o'", "'on '", "'2'", "'42'", "' 42 '", "'+7'", "'1.5'", "'abc'", "''",
    "'Infinity'", "'-inf'", "'NaN'", "'1e400'", "'1e-400'", "'{}'", "'[1, 2]'", "'\"x\"'", "'{\"a\": NaN}'",
    "'happy'", "'sadd'", "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'", "'{a0eebc999c0b4ef8bb6d6bb9bd380a11}'",
    "'a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11'", "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1'",
    "'2024-01-31'", "'2024-01-31 10:00:00+02'", "'13:45'", "'epoch'", "'infinity'", "'allballs'",
    "'1 day'", "'\\x0a1b'", "'\\x0a1'", "'a\\b'", "'a\\\\b'", "'\\101'", "'{}'::jsonb", "'7'::integer",
    "'2024-01-31T10:00:00Z'", "'20240131'", "'10:00'", "'25:00'", "'Jan 31 2024'", "'1 day 02:00'", "'P1Y2M'",
    "'1-2'", "'2 hours ago'", "'1 fortnight'", "'-1.5 days'", "' true '", "'n'", "'FALSE'", "'0x1F'", "'1_000'",
    "'{\"a\": [1, {\"b\": null}]}'", "'happy'::text", "'1 day'::interval", "'12:00'::time",
]
# Accepted by PostgreSQL, refused by us on purpose.
STRICTER = {
    ("1.5", "integer"), ("123.456", "integer"), ("99.995", "integer"), ("999.995", "integer"),
    ("1.5", "smallint"), ("123.456", "smallint"), ("99.995", "smallint"), ("999.995", "smallint"),
    ("1.5", "bigint"), ("123.456", "bigint"), ("99.995", "bigint"), ("999.995", "bigint"),  # would round
    ("1e-50", "smallint"), ("1e-50", "integer"), ("1e-50", "bigint"),
    ("'\\101'", "interval"),  # PostgreSQL reads it as 101 seconds, skipping the backslash
    ("'0x1F'", "real"), ("'0x1F'", "double precision"),  # C's strtod reads hexadecimal; PostgreSQL documents none
    ("'Jan 31 2024'", "date"), ("'Jan 31 2024'", "timestamp"), ("'Jan 31 2024'", "timestamptz"),  # ISO 8601 only
}
FIXED_AT_CREATION = {"'now'", "'today'"}  # read once at CREATE TABLE: tested apart, PostgreSQL accepts them


def postgres_accepts(conn, sql_type: str, default: str) -> bool:
    try:
        with conn.transaction():
            conn.execute(f"CREATE TEMP TABLE probe (x {sql_type} DEFAULT {default}) ON COMMIT DROP")
            conn.execute("INSERT INTO probe DEFAULT VALUES")
            conn.execute("SELECT x::text FROM probe").fetchone()
            raise _Rollback
    except _Rollback:
        return True
    except psycopg.Error:
        return False


class _Rollback(Exception):
    pass


def our_verdict(sql_type: str, default: str) -> str | None:
    expression = analyse(default)
    assert expression.ok and expression.constant is not None, default
    return problem(expression.constant, parse_type(sql_type, {"mood"}), ENUM_VALUES)


@pytest.fixture(scope="module")
def conn(server_url):
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute("CREATE TYPE pg_temp.mood AS ENUM ('happy', 'sad')")
        yield conn


@pytest.mark.parametrize("sql_type", TYPES)
def test_constant_defaults_agree_with_postgresql(conn, sql_type):
    wrong = []
    for literal in LITERALS:
        ours = our_verdict(sql_type, literal)
        theirs = postgres_accepts(conn, "pg_temp.mood" if sql_type == "mood" else sql_type, literal)
        if (ours is None) != theirs and not (theirs and (literal, sql_type) in STRICTER):
            wrong.append(f"{sql_type} {literal}: PostgreSQL {'accepts' if theirs else 'refuses'}, we say {ours!r}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("sql_type", ["date", "timestamp", "timestamptz"])
@pytest.mark.parametrize("literal", sorted(FIXED_AT_CREATION))
def test_now_as_a_string_is_refused_though_postgresql_takes_it(conn, sql_type, literal):
    assert postgres_accepts(conn, sql_type, literal)
    assert "read once, when the table is created" in our_verdict(sql_type, literal)


@pytest.mark.parametrize(("value", "sql"), [(True, "true"), (0, "0"), (1.5, "1.5"), (1e20, "1e+20"),
                                            (float("inf"), "'Infinity'"), (float("-inf"), "'-Infinity'"),
                                            (float("nan"), "'NaN'")])
def test_yaml_scalars_render_as_postgresql_reads_them(conn, value, sql):
    rendered, constant = yaml_default(value)
    assert rendered == sql
    for sql_type in ("boolean", "integer", "numeric", "double precision", "text", "numeric(5,2)"):
        ours = problem(constant, parse_type(sql_type, set()))
        theirs = postgres_accepts(conn, sql_type, rendered)
        assert (ours is None) == theirs or (theirs and isinstance(value, float) and "round" in ours), \
            (value, sql_type, ours)


def test_boolean_zero_is_refused_with_a_hint():
    assert problem(yaml_default(0)[1], parse_type("boolean", set())) == "write true or false"
