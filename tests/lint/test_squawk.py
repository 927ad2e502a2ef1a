"""Squawk's findings as schemagen shows them: rules about locking or rewriting tables that
hold rows are not reported on a table the same plan creates."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from schemagen.lint.squawk import EXISTING_TABLES_ONLY, findings

pytestmark = pytest.mark.skipif(shutil.which("squawk", path=str(Path(sys.executable).parent)) is None,
                                reason="squawk-cli is not installed")

NEW = 'CREATE TABLE "public"."notes" (id bigint PRIMARY KEY, size varchar(20), n int);\n'
LATER = ('ALTER TABLE "public"."notes" ADD CONSTRAINT notes_n_check CHECK (n > 0);\n'
         'ALTER TABLE "public"."notes" ALTER COLUMN "size" TYPE varchar(40);\n')


def rules(sql: str) -> set[str]:
    return {f["rule_name"] for f in findings(sql)}


def test_lock_and_rewrite_rules_are_not_reported_on_a_new_table():
    found = rules(NEW + LATER)
    assert not found & EXISTING_TABLES_ONLY
    assert "prefer-bigint-over-int" in found  # a design rule still counts on a new table


def test_they_are_reported_on_an_existing_table():
    assert {"constraint-missing-not-valid", "changing-column-type", "prefer-text-field"} <= rules(LATER)


def test_sql_the_parser_cannot_read_keeps_every_finding():
    sql = NEW + LATER + "this is not sql;\n"
    assert "syntax-error" in rules(sql) or rules(sql) & EXISTING_TABLES_ONLY
