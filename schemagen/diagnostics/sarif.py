"""Diagnostics as SARIF 2.1.0, the format GitHub code scanning reads."""

from __future__ import annotations

from collections.abc import Iterable

from schemagen.diagnostics import Diagnostic
from schemagen.diagnostics.rules import RULES

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
# Findings that are not lint rules: schema problems and what diff finds in a plan.
_OTHER = {
    "schema": "schema.yaml is not valid: PostgreSQL or the models would be wrong or could not be built.",
    "UNSAFE": "A planned statement can lose data, rewrite a table, lock it for long, break callers or open access.",
}


def _rule_id(d: Diagnostic) -> str:
    return d.code or "schema"


def _rule(rule_id: str) -> dict:
    if rule_id in RULES:
        r = RULES[rule_id]
        return {"id": r.code, "name": r.name, "shortDescription": {"text": r.rationale},
                "defaultConfiguration": {"level": _LEVEL[r.severity]}}
    text = _OTHER.get(rule_id) or f"Squawk rule {rule_id.split('/', 1)[-1]} (migration lint)."
    return {"id": rule_id, "name": rule_id.replace("/", "-"), "shortDescription": {"text": text}}


def _result(d: Diagnostic, rule_index: int) -> dict:
    return {"ruleId": _rule_id(d), "ruleIndex": rule_index, "level": _LEVEL.get(d.severity, "warning"),
            "message": {"text": d.message},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": d.file},
                                                "region": {"startLine": max(d.line, 1),
                                                           "startColumn": max(d.col, 1)}}}]}


def sarif(diagnostics: Iterable[Diagnostic], version: str) -> dict:
    diagnostics = list(diagnostics)
    rule_ids = sorted({_rule_id(d) for d in diagnostics})
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    driver = {"name": "schemagen", "version": version, "semanticVersion": version,
              "informationUri": "https://pypi.org/project/schemagen/", "rules": [_rule(r) for r in rule_ids]}
    return {"$schema": SCHEMA_URI, "version": "2.1.0",
            "runs": [{"tool": {"driver": driver},
                      "results": [_result(d, index[_rule_id(d)]) for d in diagnostics]}]}
