"""Indexes and keys of partitioned tables, made the way PostgreSQL requires.

The diff engine creates a partitioned table's index `ON ONLY` the parent (invalid until
every partition's index is attached, which it never does) and its primary key with
`ADD CONSTRAINT ... USING INDEX`, which PostgreSQL refuses on a partitioned table, as it
refuses a NOT VALID foreign key there (PostgreSQL 15). The parent's index is made without
ONLY, the key from its definition and the foreign key valid at once: each reaches every
partition, and order.prune leaves out the partitions' own copies.
"""

from __future__ import annotations

from pglast import parse_sql
from pglast.stream import RawStream

from schemagen.live.catalog import Catalog
from schemagen.live.sqlnames import ident, qualified


def repair(sqls: list, want: Catalog, schema: str) -> list:
    """The statements (SQL, or (SQL, key)) with those two shapes replaced."""
    partitioned = {o.name for o in want.values() if o.kind == "table" and o.get("relkind") == "p"}
    keys = {}  # index name -> the key constraint that replaces its USING INDEX
    for obj in want.values():
        if obj.kind == "constraint" and obj.parent_name in partitioned and obj.get("type") in ("p", "u"):
            keys[obj.name.split(".", 1)[1]] = obj
    out, validated_at_once = [], set()
    for item in sqls:
        sql = item if isinstance(item, str) else item[0]
        node = _parsed(sql)
        name = type(node).__name__
        if name == "IndexStmt" and node.relation.relname in partitioned and node.idxname in keys:
            continue  # the key constraint below makes it
        if name == "IndexStmt" and node.relation.relname in partitioned and not node.relation.inh:
            node.relation.inh = True  # ON ONLY -> the partitions too
            out.append(RawStream()(node) if isinstance(item, str) else (RawStream()(node), item[1]))
            continue
        if name == "AlterTableStmt" and node.relation.relname in partitioned:
            cmd = node.cmds[0]
            if cmd.subtype.name == "AT_ValidateConstraint" and cmd.name in validated_at_once:
                continue
            if cmd.subtype.name == "AT_AddConstraint" and cmd.def_.contype.name == "CONSTR_FOREIGN" \
                    and cmd.def_.skip_validation:
                cmd.def_.skip_validation, cmd.def_.initially_valid = False, True
                validated_at_once.add(cmd.def_.conname)
                out.append(RawStream()(node))
                continue
            con = getattr(cmd.def_, "indexname", None) if len(node.cmds) == 1 and cmd.def_ is not None else None
            if con and con in keys:
                key = keys[con]
                out.append(f"ALTER TABLE {qualified(schema, key.parent_name)} ADD CONSTRAINT "
                           f"{ident(cmd.def_.conname)} {key.get('definition')}")
                continue
        out.append(item)
    return out


def _parsed(sql: str):
    try:
        return parse_sql(sql)[0].stmt
    except Exception:  # noqa: BLE001 - not ours to judge: it passes through unchanged
        return None
