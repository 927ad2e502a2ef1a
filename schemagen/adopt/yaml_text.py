"""The imported structure as schema.yaml text: keys in the format's reading order, short
columns on one line, comments as block text; the same structure always gives the same bytes."""

from __future__ import annotations

import yaml

COLUMN_KEYS = ("type", "primary_key", "nullable", "unique", "default", "on_update", "references", "comment")
FLOW_WIDTH = 100


class _Flow(dict):
    """A mapping written on one line."""


class _FlowList(list):
    """A list of scalars written on one line."""


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper, text: str):
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(_Flow, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v.items(), flow_style=True))
_Dumper.add_representer(_FlowList, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))


def _column(spec: dict):
    ordered = {k: spec[k] for k in COLUMN_KEYS if k in spec}
    if "references" in ordered:
        ordered["references"] = _Flow(ordered["references"])
    flow = _Flow(ordered)
    one_line = yaml.dump(flow, Dumper=_Dumper, width=10_000).strip()
    return flow if len(one_line) <= FLOW_WIDTH and "\n" not in one_line else ordered


def _shape(spec: dict) -> dict:
    out = dict(spec)
    for enum in out.get("enums", {}).values():
        enum["values"] = _FlowList(enum["values"])
    for table in out.get("tables", {}).values():
        table["columns"] = {name: _column(col) for name, col in table["columns"].items()}
        for key in ("primary_key",):
            if key in table:
                table[key] = _FlowList(table[key])
        for entry in table.get("indexes", []) + table.get("unique", []) + table.get("foreign_keys", []):
            if "columns" in entry and all(isinstance(c, str) for c in entry["columns"]):
                entry["columns"] = _FlowList(entry["columns"])
            if "references" in entry:
                entry["references"] = _Flow(entry["references"])
    return out


def yaml_text(spec: dict, source: str) -> str:
    header = ("# yaml-language-server: $schema=generated/schemagen.schema.json\n"
              f"# Imported by `schemagen import` from {source}.\n"
              "# Review it, then commit it: from now on this file is the source of truth\n"
              "# (`schemagen render` writes generated/ from it).\n\n")
    body = yaml.dump(_shape(spec), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=FLOW_WIDTH,
                     default_flow_style=False, indent=2)
    return header + body
