"""The JSON Schema of the schema.yaml format, exported from the pydantic specs,
for editors (yaml-language-server) to complete and check schema.yaml."""

from __future__ import annotations

import json

from schemagen.spec.shapes import EnumSpec, FileSpec, TableSpec

SCHEMA_ID = "https://schemagen.invalid/schema.yaml.json"  # an id only: nothing is fetched


def json_schema() -> dict:
    top = FileSpec.model_json_schema(by_alias=True)
    defs = dict(top.pop("$defs", {}))
    for spec in (TableSpec, EnumSpec):
        part = spec.model_json_schema(by_alias=True, ref_template="#/$defs/{model}")
        defs.update(part.pop("$defs", {}))
        defs[spec.__name__] = part
    top["properties"]["tables"]["additionalProperties"] = {"$ref": "#/$defs/TableSpec"}
    top["properties"]["enums"]["additionalProperties"] = {"$ref": "#/$defs/EnumSpec"}
    # an index column may be written as a bare name (the spec converts it before validating)
    defs["IndexSpec"]["properties"]["columns"]["items"] = {
        "anyOf": [{"type": "string"}, {"$ref": "#/$defs/IndexColumnSpec"}]}
    from schemagen.render.header import HEADER
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID,
            "$comment": HEADER.replace("from schema.yaml", "from its pydantic models"),
            "title": "schemagen schema.yaml", **top, "$defs": dict(sorted(defs.items()))}


def json_schema_text() -> str:
    return json.dumps(json_schema(), indent=2, sort_keys=False) + "\n"
