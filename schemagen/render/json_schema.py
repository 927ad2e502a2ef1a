"""The JSON Schema of the schema.yaml format, exported from the pydantic specs,
for editors (yaml-language-server) to complete and check schema.yaml."""

from __future__ import annotations

import json
from pathlib import Path

SCHEMA_ID = "https://schemagen.invalid/schema.yaml.json"  # an id only: nothing is fetched


def json_schema() -> dict:
    from schemagen.spec.shapes import (
        DomainSpec,
        EnumSpec,
        ExtensionSpec,
        FileSpec,
        GeneratedPartitionsSpec,
        PartitionSpec,
        SequenceSpec,
        TableSpec,
    )
    from schemagen.spec.shapes_objects import SchemaSpec
    from schemagen.spec.shapes_views import ViewSpec
    top = FileSpec.model_json_schema(by_alias=True)
    defs = dict(top.pop("$defs", {}))
    for spec in (PartitionSpec, GeneratedPartitionsSpec):
        part = spec.model_json_schema(by_alias=True, ref_template="#/$defs/{model}")
        defs.update(part.pop("$defs", {}))
        defs[spec.__name__] = part
    parts = {"tables": TableSpec, "enums": EnumSpec, "domains": DomainSpec, "sequences": SequenceSpec,
             "extensions": ExtensionSpec, "views": ViewSpec, "schemas": SchemaSpec}
    for key, spec in parts.items():
        part = spec.model_json_schema(by_alias=True, ref_template="#/$defs/{model}")
        defs.update(part.pop("$defs", {}))
        defs[spec.__name__] = part
        top["properties"][key]["additionalProperties"] = {"$ref": f"#/$defs/{spec.__name__}"}
    # an extension may be declared with nothing under it (citext:)
    for key, spec in (("extensions", "ExtensionSpec"), ("schemas", "SchemaSpec")):  # or `audit:` alone
        top["properties"][key]["additionalProperties"] = {"anyOf": [{"$ref": f"#/$defs/{spec}"}, {"type": "null"}]}
    # identity may be written as one word (the spec converts it before validating)
    defs["ColumnSpec"]["properties"]["identity"] = {"anyOf": [
        {"enum": ["always", "by default"]}, {"$ref": "#/$defs/IdentitySpec"}, {"type": "null"}], "default": None}
    # ignore: kinds of object -> name patterns (validate/ignore.py explains mistakes in its own words)
    from schemagen.spec.ignore import KINDS
    top["properties"]["ignore"] = {
        "type": "object", "additionalProperties": False,
        "description": "objects in the live database that diff, apply and import leave alone, by kind: "
                       "name patterns (* any characters, ? one)",
        "properties": {k: {"type": "array", "items": {"type": "string", "minLength": 1}} for k in KINDS}}
    # an index column may be written as a bare name (the spec converts it before validating)
    defs["IndexSpec"]["properties"]["columns"]["items"] = {
        "anyOf": [{"type": "string"}, {"$ref": "#/$defs/IndexColumnSpec"}]}
    _short_forms(defs)
    _access(top, defs)
    _routines(top, defs)
    from schemagen.render.header import HEADER
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID,
            "$comment": HEADER.replace("from schema.yaml", "from its pydantic models"),
            "title": "schemagen schema.yaml", **top, "$defs": dict(sorted(defs.items()))}


def json_schema_text() -> str:
    """The JSON Schema as text; cached by the spec stage's code and pydantic's version, since
    building it means importing pydantic and building every shape."""
    from schemagen.diagnostics import cache
    key = cache.code_version("spec", "render") + "-" + _pydantic_version() + ".json"
    hit = cache.read("json-schema", key)
    if hit is not None:
        return hit.decode("utf-8")
    text = json.dumps(json_schema(), indent=2, sort_keys=False) + "\n"
    cache.write("json-schema", key, text.encode("utf-8"))
    return text


def _pydantic_version() -> str:
    """pydantic's version file, hashed, without importing pydantic (that is what the cache saves)."""
    import hashlib
    from importlib.util import find_spec
    spec = find_spec("pydantic")
    origin = Path(spec.origin).parent / "version.py" if spec and spec.origin else None
    return hashlib.sha256(origin.read_bytes()).hexdigest()[:16] if origin and origin.exists() else "unknown"


def _short_forms(defs: dict) -> None:
    """What the shapes accept in a shorter spelling and convert before validating."""
    from schemagen.spec.shapes import ACTIONS
    from schemagen.spec.validate.partition_ranges import PERIODS
    for spec in ("ForeignKeySpec", "ColumnReferenceSpec"):
        defs[spec]["properties"]["on_delete"] = {
            "anyOf": [{"enum": list(ACTIONS)}, {"$ref": "#/$defs/OnDeleteSpec"}], "default": "no action"}
    defs["ColumnSpec"]["properties"]["check"]["anyOf"].insert(0, {"type": "string"})
    for method in ("range", "list", "hash"):
        defs["PartitionBySpec"]["properties"][method]["anyOf"][0]["items"] = {
            "anyOf": [{"type": "string"}, {"$ref": "#/$defs/PartitionElementSpec"}]}
    partitions = {"type": "object", "default": {},
                  "properties": {p: {"$ref": "#/$defs/GeneratedPartitionsSpec"} for p in PERIODS},
                  "additionalProperties": {"$ref": "#/$defs/PartitionSpec"}}
    for spec in ("TableSpec", "PartitionSpec"):
        defs[spec]["properties"]["partitions"] = partitions


def _access(top: dict, defs: dict) -> None:
    """roles:, grants: and default_privileges: are checked one entry at a time (FileSpec holds
    them as plain mappings); `to:` and a policy's `roles:` may be one name."""
    from schemagen.spec.shapes_security import DefaultPrivilegeSpec, GrantSpec, RoleSpec
    for spec in (RoleSpec, GrantSpec, DefaultPrivilegeSpec):
        part = spec.model_json_schema(by_alias=True, ref_template="#/$defs/{model}")
        defs.update(part.pop("$defs", {}))
        defs[spec.__name__] = part
    top["properties"]["roles"]["additionalProperties"] = {"anyOf": [{"$ref": "#/$defs/RoleSpec"}, {"type": "null"}]}
    top["properties"]["grants"]["items"] = {"$ref": "#/$defs/GrantSpec"}
    top["properties"]["default_privileges"]["items"] = {"$ref": "#/$defs/DefaultPrivilegeSpec"}
    for spec, key in (("GrantSpec", "to"), ("DefaultPrivilegeSpec", "to"), ("PolicySpec", "roles")):
        names = defs[spec]["properties"][key]
        defs[spec]["properties"][key] = {"anyOf": [{"type": "string"}, names], **(
            {"default": names["default"]} if "default" in names else {})}


def _routines(top: dict, defs: dict) -> None:
    """functions: name -> one definition or a list (overloads); triggers: table or view -> name -> trigger."""
    from schemagen.spec.shapes_functions import AggregateSpec, FunctionSpec, TriggerSpec
    for spec in (FunctionSpec, TriggerSpec, AggregateSpec):
        part = spec.model_json_schema(by_alias=True, ref_template="#/$defs/{model}")
        defs.update(part.pop("$defs", {}))
        defs[spec.__name__] = part
    one = {"$ref": "#/$defs/FunctionSpec"}
    top["properties"]["functions"]["additionalProperties"] = {"anyOf": [one, {"type": "array", "items": one}]}
    top["properties"]["triggers"]["additionalProperties"] = {
        "type": "object", "additionalProperties": {"$ref": "#/$defs/TriggerSpec"}}
    top["properties"]["aggregates"]["additionalProperties"] = {"$ref": "#/$defs/AggregateSpec"}
