"""Synthetic schema.yaml files of any size, for the benchmarks."""

from __future__ import annotations

import sys

import yaml


def spec(tables: int) -> dict:
    out = {"enums": {"state": {"values": ["new", "active", "closed"], "comment": "Row state."}}, "tables": {}}
    for i in range(tables):
        columns = {
            "id": {"type": "bigint", "primary_key": True},
            "name": {"type": "varchar(100)", "comment": f"Name of row in t{i:04d}."},
            "amount": {"type": "numeric(12,2)", "nullable": True},
            "state": {"type": "state", "default": "'new'"},
            "payload": {"type": "jsonb", "default": "'{}'::jsonb"},
            "created_at": {"type": "timestamptz", "default": "now()"},
        }
        indexes = [{"columns": ["name"]}]
        if i:
            columns["parent_id"] = {"type": "bigint", "nullable": True,
                                    "references": {"table": f"t{i - 1:04d}", "on_delete": "cascade"}}
            indexes.append({"columns": ["parent_id"]})
        out["tables"][f"t{i:04d}"] = {"comment": f"Synthetic table {i}.", "columns": columns, "indexes": indexes}
    return out


if __name__ == "__main__":
    sys.stdout.write(yaml.safe_dump(spec(int(sys.argv[1])), sort_keys=False))
