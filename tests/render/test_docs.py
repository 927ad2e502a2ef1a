"""generated/SCHEMA.md (Mermaid ER diagram + data dictionary) and the JSON Schema of schema.yaml."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest
import yaml

from schemagen.render.json_schema import json_schema
from schemagen.spec.validate import load_schema
from tests.support import ROOT

RELATION = re.compile(r'^\s+(\w+) (\|\||\|o)--(o\{|o\|) (\w+) : "([^"]*)"$')
ENTITY = re.compile(r"^\s+(\w+) \{$")
ATTRIBUTE = re.compile(r'^\s+([A-Za-z_][A-Za-z0-9_]*) ([a-z_][a-z0-9_]*)'
                       r'( (?:PK|FK|UK)(?:, (?:PK|FK|UK))*)?( "[^"]*")?$')


def mermaid_block(markdown: str) -> list[str]:
    start = markdown.index("```mermaid\n") + len("```mermaid\n")
    return markdown[start:markdown.index("```", start)].splitlines()


def parse_er(lines: list[str]):
    """A small parser for the erDiagram subset we write; fails on any line it does not know."""
    assert lines[0] == "erDiagram"
    relations, entities, current = [], {}, None
    for line in lines[1:]:
        if current is not None:
            if line.strip() == "}":
                current = None
                continue
            m = ATTRIBUTE.match(line)
            assert m, f"bad attribute line: {line!r}"
            entities[current].append(m.group(2))
        elif m := RELATION.match(line):
            relations.append(m.groups())
        elif m := ENTITY.match(line):
            current = m.group(1)
            entities[current] = []
        else:
            raise AssertionError(f"not erDiagram syntax: {line!r}")
    return relations, entities


@pytest.mark.parametrize("source,doc", [
    (ROOT / "schema.yaml", ROOT / "generated" / "SCHEMA.md"),
    *[(p / "schema.yaml", p / "expected" / "SCHEMA.md") for p in sorted((ROOT / "tests" / "cases").iterdir())],
])
def test_mermaid_has_every_table_and_relationship_with_cardinality(source, doc):
    schema = load_schema(source)
    relations, entities = parse_er(mermaid_block(doc.read_text()))
    assert {t.name: [c.name for c in t.columns] for t in schema.tables} == entities
    expected = []
    for t in schema.tables:
        for fk in t.foreign_keys:
            nullable = any(t.column(c).nullable for c in fk.columns)
            unique = set(fk.columns) == set(t.primary_key.columns) or any(
                set(u.columns) == set(fk.columns) for u in t.uniques)
            expected.append((fk.ref_table, "|o" if nullable else "||", "o|" if unique else "o{", t.name,
                             ", ".join(fk.columns)))
    assert sorted(relations) == sorted(expected)


def test_spendsense_dictionary_documents_rules_and_enums():
    text = (ROOT / "generated" / "SCHEMA.md").read_text()
    assert "| operator_actions_operator_id_fkey | operator_id | profiles(user_id) | RESTRICT |" in text
    assert "recommendations ||--o| decision_traces" in text
    assert 'Values: "30d", "90d", "180d"' in text
    assert "Referenced by: accounts(user_id), chat_logs(user_id)" in text


def test_json_schema_accepts_spendsense_and_rejects_a_typo():
    validator = jsonschema.Draft202012Validator(json_schema())
    spendsense = yaml.safe_load((ROOT / "schema.yaml").read_text())
    assert list(validator.iter_errors(spendsense)) == []
    broken = yaml.safe_load((ROOT / "schema.yaml").read_text())
    broken["tables"]["accounts"]["columns"]["balance"]["nulable"] = True
    errors = list(validator.iter_errors(broken))
    assert errors and "nulable" in errors[0].message


def test_json_schema_is_committed_and_referenced_by_schema_yaml():
    committed = json.loads((ROOT / "generated" / "schemagen.schema.json").read_text())
    assert committed == json_schema()
    first = (ROOT / "schema.yaml").read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=generated/schemagen.schema.json"


@pytest.mark.parametrize("case", sorted((ROOT / "tests" / "cases").iterdir()), ids=lambda p: p.name)
def test_json_schema_accepts_every_golden_case(case):
    validator = jsonschema.Draft202012Validator(json_schema())
    assert list(validator.iter_errors(yaml.safe_load((case / "schema.yaml").read_text()))) == []
