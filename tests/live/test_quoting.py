"""Labels and comments with awkward text survive every statement the planner writes:
apply creates an enum and comments from nothing, then adds a label and changes the
comments, and PostgreSQL's catalog (pg_enum, obj_description) holds exactly the text
schema.yaml gave. Texts are drawn by hypothesis from quotes, backslashes, dollar
quotes, newlines, semicolons, percent signs and non-ASCII letters."""

from __future__ import annotations

import io
import uuid

import psycopg
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemagen.connect.dburl import with_database
from schemagen.live import apply as applier
from schemagen.spec import naming
from schemagen.spec.loader import parse
from schemagen.spec.validate import validate

AWKWARD = list("ab'\"\\$;%-{}\n\t é€😀ß") + ["$$", "''", "\\'", "--", "E'", "%s"]
text = st.lists(st.sampled_from(AWKWARD), min_size=1, max_size=8).map("".join)
label = text.filter(lambda s: len(s.encode()) <= 63 and s.strip() == s and s != "")


def spec(labels: list[str], comments: tuple[str, str, str]) -> dict:
    return {"enums": {"mood": {"values": labels, "comment": comments[0]}},
            "tables": {"feelings": {"comment": comments[1], "columns": {
                "id": {"type": "integer", "primary_key": True},
                "mood": {"type": "mood", "comment": comments[2]}}}}}


def apply(url: str, document: dict) -> None:
    schema = validate(parse(yaml.safe_dump(document, sort_keys=False, allow_unicode=True)))
    out, err = io.StringIO(), io.StringIO()
    code = applier.apply(schema, url, applier.Options(yes=True, lock_wait=5), out=out, err=err)
    assert code == 0, out.getvalue() + err.getvalue()


def catalog(url: str):
    with psycopg.connect(url) as conn:
        labels = [r[0] for r in conn.execute(
            "SELECT enumlabel FROM pg_enum WHERE enumtypid = 'mood'::regtype ORDER BY enumsortorder")]
        comments = conn.execute(
            "SELECT obj_description('mood'::regtype, 'pg_type'), obj_description('feelings'::regclass, 'pg_class'), "
            "col_description('feelings'::regclass, 2)").fetchone()
    return labels, comments


def distinct_members(labels: list[str]) -> bool:
    """schema.yaml refuses two labels that would be one Python enum member (validate/columns.py)."""
    return len({naming.enum_member(v) for v in labels}) == len(labels)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(labels=st.lists(label, min_size=1, max_size=4, unique=True).filter(distinct_members), added=label,
       first=st.tuples(text, text, text), second=st.tuples(text, text, text))
def test_awkward_labels_and_comments_reach_the_catalog_exactly(server_url, labels, added, first, second):
    name = f"sgtest_quote_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = with_database(server_url, name)
    try:
        apply(url, spec(labels, first))  # CREATE TYPE ... AS ENUM, COMMENT ON
        assert catalog(url) == (labels, first)
        more = labels + ([added] if added not in labels and distinct_members(labels + [added]) else [])
        apply(url, spec(more, second))  # ALTER TYPE ... ADD VALUE, COMMENT ON again
        assert catalog(url) == (more, second)
        assert applier.diff(validate(parse(yaml.safe_dump(spec(more, second), allow_unicode=True))), url,
                            applier.Options()).empty
    finally:
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
