"""SQL expressions read by PostgreSQL's parser: exactly one expression, what it names,
and every problem at its offset."""

from __future__ import annotations

import pytest
from pglast import parse_sql

from schemagen.spec.expressions import ColumnRef, Constant, analyse, line_col


@pytest.mark.parametrize(("text", "offset", "words"), [
    ("", 0, "empty"),
    ("gen_random_uuid(); DROP TABLE notes", 17, "';' is not allowed"),
    ("'unterminated", 0, "unterminated quoted string"),
    ("length(body) < 100 -- trailing", 19, "comments are not allowed"),
    ("a /* x */ + 1", 2, "comments are not allowed"),
    ("1) FROM t WHERE (1", 1, "unbalanced ')'"),
    ("lower(name", 10, "unbalanced '('"),
    ("a b", 2, 'syntax error at or near "b"'),
    ("1, 2", 1, "list of values"),
    ("1 +", 3, "ends too early"),
    ("(SELECT max(id) FROM t)", 0, "subqueries are not allowed"),
    ("x IN (SELECT 1)", 2, "subqueries are not allowed"),
    ("count(*) OVER ()", 0, "window functions"),
    ("$1", 0, "'$' is not allowed"),
    ("$$x$$", 0, "'$' is not allowed"),
    ("t.*", 0, "'*' is not allowed"),
    ("x\n  AND y >", 11, "ends too early"),
])
def test_problems_at_their_offset(text, offset, words):
    [problem] = analyse(text).problems
    assert problem.offset == offset and words in problem.message, problem


def test_dollars_inside_a_string_only_matter_in_a_function_body():
    assert analyse("'a$$b'").ok
    [problem] = analyse("'a$$b'", in_function_body=True).problems
    assert problem.offset == 2 and "end the trigger function's body" in problem.message


def test_column_references_with_qualifiers_and_offsets():
    expr = analyse("OLD.revision + 1 > \"NEW\".x AND é_col = lower(name)")
    assert expr.columns == (ColumnRef("revision", "old", 0, 2), ColumnRef("x", "NEW", 19, 2),
                            ColumnRef("é_col", None, 31, 1), ColumnRef("name", None, 45, 1))
    assert expr.functions == ("lower",)


def test_functions_include_schema_and_sql_value_functions():
    expr = analyse("coalesce(pg_catalog.now(), CURRENT_TIMESTAMP) + interval '1 day'")
    assert set(expr.functions) == {"pg_catalog.now", "current_timestamp"}
    assert expr.constant is None


@pytest.mark.parametrize(("text", "constant"), [
    ("0", Constant("integer", 0)), ("-3", Constant("integer", -3)), ("1.50", Constant("numeric", "1.50")),
    ("99999999999999999999", Constant("integer", 99999999999999999999)), ("false", Constant("boolean", False)),
    ("NULL", Constant("null", None)), ("'x''y'", Constant("string", "x'y")), ("B'101'", Constant("bits", "b101")),
    ("'{}'::jsonb", Constant("string", "{}", "jsonb")), ("CAST('7' AS integer)", Constant("string", "7", "int4", 5)),
    ("(('a'))", Constant("string", "a", None, 2)),
])
def test_constants(text, constant):
    assert analyse(text).constant == constant


def test_a_deep_expression_is_no_recursion_problem():
    deep = analyse("(" * 3000 + "1" + ")" * 3000)  # PostgreSQL's parser may refuse it; nothing may crash
    assert deep.ok or "not a valid SQL expression" in deep.problems[0].message
    assert len(analyse(" + ".join(["a"] * 400)).columns) == 400
    [problem] = analyse(" + ".join(["a"] * 5000)).problems
    assert problem.message == "SQL expression is nested too deeply"


def test_line_col_inside_a_multi_line_expression():
    text = "a > 0\n  AND bb < 10"
    assert line_col(text, text.index("bb")) == (2, 7)


@pytest.mark.parametrize("text", ["now()", "lower(email) = email AND email ~ '^[^@]+@[^@]+$'",
                                  "CASE WHEN a THEN 'x;' ELSE ')' END", "\"weird;name\" > 0", "E'\\''",
                                  "NOT a", "a IS NULL"])
def test_accepted_text_stays_one_expression_in_every_place_it_is_pasted(text):
    assert analyse(text).ok
    for sql in (f"CREATE TABLE t (x int, CHECK ({text}))", f"CREATE INDEX i ON t (x) WHERE {text}"):
        assert len(parse_sql(sql)) == 1
    if analyse(text, default=True).ok:
        assert len(parse_sql(f"CREATE TABLE t (x int DEFAULT {text}, y int)")) == 1


def test_a_default_takes_boolean_operators_only_in_parentheses():
    [problem] = analyse("a IS NULL", default=True).problems
    assert problem.offset == 5 and "in parentheses" in problem.message
    assert analyse("(a IS NULL)", default=True).ok
