"""One fixture per class of schema error: tests/invalid/<case>/schema.yaml and
expected.txt, the exact stderr of `schemagen validate` (file:line:col: message).
Each must exit 1 without a traceback, and `render` must write nothing."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.support import INVALID

CASES = sorted(p.parent for p in INVALID.glob("*/schema.yaml"))


def schemagen(*args, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "schemagen", *args], cwd=cwd, capture_output=True, text=True)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_invalid_schema_reports_exact_messages(case):
    result = schemagen("validate", cwd=case)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr == (case / "expected.txt").read_text()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_invalid_schema_writes_nothing(case, tmp_path):
    result = schemagen("render", "--schema", str(case / "schema.yaml"), "--out", str(tmp_path / "out"),
                       cwd=tmp_path)
    assert result.returncode == 1
    assert not (tmp_path / "out").exists()


def test_every_error_class_has_a_fixture():
    names = {c.name for c in CASES}
    required = {"yaml_syntax", "duplicate_key", "unknown_key", "unknown_type", "undefined_enum",
                "fk_missing_table", "fk_missing_column", "fk_not_unique", "fk_type_mismatch",
                "set_null_not_null", "index_missing_column", "constraint_missing_column",
                "duplicate_names", "identifier_too_long", "identifier_invalid", "no_primary_key",
                "yaml_alias_bomb", "yaml_deep_nesting", "yaml_tags", "yaml_nul_byte", "yaml_not_utf8",
                "yaml_control_character", "yaml_unknown_alias", "merge_key_position",
                "check_missing_column", "where_missing_column", "on_update_missing_column", "on_update_unqualified",
                "default_column_reference", "default_wrong_type", "default_needs_parentheses", "index_method_type",
                "hash_multicolumn", "system_column_name", "enum_shadows_builtin", "renamed_from_exists",
                "orm_attribute_escaped_collision", "orm_reserved_names", "fk_missing_column_block",
                "identity_invalid", "serial_conflicts", "generated_invalid", "sequence_options_invalid",
                "sequence_unknown", "sequence_owned_by_invalid", "extension_missing", "extension_invalid",
                "domain_invalid", "collation_invalid", "type_spelling", "sequence_name_clash",
                "view_query_syntax", "view_not_select", "view_options_kind", "view_unknown_relation"}
    assert required <= names


def test_json_format_carries_the_same_records():
    import json
    result = schemagen("validate", "--format", "json", cwd=INVALID / "unknown_key")
    assert result.returncode == 1
    records = json.loads(result.stdout)
    assert [(r["line"], r["col"]) for r in records] == [(6, 27), (7, 5)]
    assert records[0]["message"] == "unknown key 'nulable' (did you mean 'nullable'?)"
    assert records[0]["path"] == "tables.users.columns.email.nulable"


def test_github_format_is_a_workflow_annotation():
    result = schemagen("validate", "--format", "github", cwd=INVALID / "no_primary_key")
    assert result.returncode == 1
    assert result.stdout.startswith("::error file=schema.yaml,line=2,col=3::table 'events' has no primary key")
