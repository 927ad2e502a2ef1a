"""schemagen lint: each rule fires on its fixture and is silenced, with a reason, by schema.yaml."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from schemagen.lint.rules import RULES
from tests.support import LINT, ROOT


def schemagen(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "schemagen", *args], cwd=cwd, capture_output=True, text=True)


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_fires_and_can_be_silenced(code):
    fired = schemagen("lint", "--schema", str(LINT / code / "trigger.yaml"), "--format", "json")
    assert code in [f["code"] for f in json.loads(fired.stdout)], fired.stdout + fired.stderr
    assert fired.returncode == (1 if RULES[code].severity == "error" else 0)
    silenced = schemagen("lint", "--schema", str(LINT / code / "silenced.yaml"), "--format", "json")
    assert code not in [f["code"] for f in json.loads(silenced.stdout)]


def test_human_format_has_file_line_col_and_code():
    result = schemagen("lint", "--schema", str(LINT / "SG004" / "trigger.yaml"))
    assert result.stdout.startswith(f"{LINT / 'SG004' / 'trigger.yaml'}:2:")
    assert ": warning SG004 'things.at' is timestamp without time zone" in result.stdout  # severity shown


def test_human_format_shows_which_finding_is_the_error():
    result = schemagen("lint", "--schema", str(LINT / "SG005" / "trigger.yaml"))
    assert result.returncode == 1 and ": error SG005 " in result.stdout


def test_spendsense_lints_clean_and_every_silence_has_a_reason():
    result = schemagen("lint")
    assert result.returncode == 0 and result.stdout == "" and "lint clean" in result.stderr
    text = (ROOT / "schema.yaml").read_text()
    assert "SG009: The story names this column limit" in text


def test_unknown_rule_or_missing_reason_is_a_schema_error(tmp_path):
    (tmp_path / "schema.yaml").write_text("tables:\n  t:\n    lint: {ignore: {SG0099: x, SG002: ''}}\n"
                                          "    columns: {id: {type: integer, primary_key: true}}\n")
    result = schemagen("lint", cwd=tmp_path)
    assert result.returncode == 1
    assert "unknown lint rule 'SG0099'" in result.stderr and "silencing SG002 needs a reason" in result.stderr
