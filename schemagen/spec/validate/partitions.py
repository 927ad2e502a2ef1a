"""Partitioned tables: the partition key (`partition_by:`), the partitions with their
bounds (declared, or generated per period), sub-partitioning, and PostgreSQL's rules
for them (keys include the partition columns, no storage parameters on a parent,
no exclusion constraints, not unlogged)."""

from __future__ import annotations

import schemagen.spec.validate.expressions as expressions
import schemagen.spec.validate.partition_ranges as ranges
from schemagen.spec import model as m
from schemagen.spec import storage
from schemagen.spec.shapes import GeneratedPartitionsSpec, PartitionBySpec, PartitionSpec, TableSpec
from schemagen.spec.validate.context import Checker
from schemagen.spec.validate.storage import parameters


def partitioning(ctx: Checker, name: str, spec: TableSpec, columns: dict
                 ) -> tuple[m.PartitionKey | None, tuple[m.Partition, ...]]:
    path = ("tables", name)
    if spec.partition_by is None:
        if spec.partitions:
            ctx.error(path + ("partitions",), f"table '{name}' has partitions but no partition_by:", key=True)
        return None, ()
    if spec.with_:
        ctx.error(path + ("with",), f"partitioned table '{name}' holds no rows itself, so it takes no storage "
                                    "parameters; set with: on its partitions", key=True)
    if spec.unlogged:
        ctx.error(path + ("unlogged",), "a partitioned table cannot be unlogged (PostgreSQL 15)", key=True)
    if spec.exclude:
        ctx.error(path + ("exclude",), "PostgreSQL 15 has no exclusion constraints on partitioned tables", key=True)
    key = partition_key(ctx, name, spec.partition_by, columns, path + ("partition_by",))
    if key is None:
        return None, ()
    return key, partitions(ctx, name, key, spec.partitions, columns, path + ("partitions",))


def partition_key(ctx: Checker, table: str, spec: PartitionBySpec, columns: dict, path: tuple
                  ) -> m.PartitionKey | None:
    chosen = spec.chosen()
    if chosen is None:
        ctx.error(path, "partition_by: takes exactly one of range:, list: or hash:")
        return None
    method, elements = chosen
    epath = path + (method,)
    if method == "list" and len(elements) != 1:
        ctx.error(epath, "list partitioning takes one column or expression")
    cols, exprs = [], []
    for i, e in enumerate(elements):
        if (e.column is None) == (e.expression is None):
            ctx.error(epath + (i,), "a partition key element needs either column: or expression:, not both")
            return None
        if e.column is not None:
            ctx.column_exists(table, columns, e.column, epath + (i, "column"))
        else:
            expressions.row_expression(ctx, table, columns, e.expression, epath + (i, "expression"),
                                       "a partition key")
        cols.append(e.column)
        exprs.append(e.expression)
    return m.PartitionKey(method, tuple(cols), tuple(exprs))


def partitions(ctx: Checker, parent: str, key: m.PartitionKey, raw: dict, columns: dict, path: tuple
               ) -> tuple[m.Partition, ...]:
    """The partitions under one partitioned table or partition, generated ones in period order."""
    placed: list[tuple[m.Partition, tuple]] = []  # (partition, where schema.yaml declares it)
    for pname, value in raw.items():
        ppath = path + (pname,)
        if pname in ranges.PERIODS:
            spec = ctx.spec(GeneratedPartitionsSpec, value, ppath) if isinstance(value, dict) else None
            if not isinstance(value, dict):
                ctx.error(ppath, f"{pname}: takes a mapping with from: and to:")
            if spec is not None:
                placed += [(p, ppath) for p in ranges.generate(ctx, parent, pname, spec, key, columns, ppath)]
            continue
        ctx.identifier(pname, ppath, "partition", key=True)
        if not isinstance(value, dict):
            ctx.error(ppath, "expected a mapping with the partition's bounds (from/to, in, modulus/remainder "
                             "or default: true)")
            continue
        spec = ctx.spec(PartitionSpec, value, ppath)
        if spec is not None:
            placed.append((partition(ctx, pname, spec, key, columns, ppath), ppath))
    ranges.check_together(ctx, key, placed)
    return tuple(p for p, _ in placed)


def partition(ctx: Checker, name: str, spec: PartitionSpec, key: m.PartitionKey, columns: dict, path: tuple
              ) -> m.Partition:
    bounds = _bounds(ctx, spec, key, columns, path)
    sub_key, subs = None, ()
    if spec.partition_by is not None:
        sub_key = partition_key(ctx, name, spec.partition_by, columns, path + ("partition_by",))
        if sub_key is not None:
            subs = partitions(ctx, name, sub_key, spec.partitions, columns, path + ("partitions",))
        if spec.with_:
            ctx.error(path + ("with",), f"partition '{name}' is partitioned itself and holds no rows, so it takes "
                                        "no storage parameters", key=True)
    elif spec.partitions:
        ctx.error(path + ("partitions",), f"partition '{name}' has partitions but no partition_by:", key=True)
    params = parameters(ctx, spec.with_, storage.TABLE, path + ("with",), "tables")
    return m.Partition(name, **bounds, storage=params, partition_by=sub_key, partitions=subs)


_BOUND_KEYS = {"range": ("from", "to"), "list": ("in",), "hash": ("modulus", "remainder")}


def _bounds(ctx: Checker, spec: PartitionSpec, key: m.PartitionKey, columns: dict, path: tuple) -> dict:
    given = {k for k, v in (("from", spec.from_), ("to", spec.to), ("in", spec.in_), ("modulus", spec.modulus),
                            ("remainder", spec.remainder)) if v is not None}
    wanted = _BOUND_KEYS[key.method]
    if spec.default:
        if key.method == "hash":
            ctx.error(path + ("default",), "a hash-partitioned table has no default partition")
        if given:
            ctx.error(path, f"a default partition has no bounds (remove {', '.join(sorted(given))})")
        return {"default": True}
    if not set(wanted) <= given or given - set(wanted):
        others = sorted(given - set(wanted))
        extra = f" (not {', '.join(others)})" if others else ""
        ctx.error(path, f"a {key.method} partition needs {' and '.join(k + ':' for k in wanted)}{extra}, "
                        "or default: true")
        return {}
    if key.method == "hash":
        if spec.modulus < 1 or not 0 <= spec.remainder < spec.modulus:
            ctx.error(path, f"hash partition bounds need modulus >= 1 and 0 <= remainder < modulus, got "
                            f"modulus {spec.modulus}, remainder {spec.remainder}")
        return {"modulus": spec.modulus, "remainder": spec.remainder}
    types = [columns[c].type if c in columns else None for c in key.columns]
    if key.method == "list":
        return {"values": tuple(ranges.bound(ctx, v, types[0], path + ("in", i), nulls=True)
                                for i, v in enumerate(spec.in_))}
    lower = _range_values(ctx, spec.from_, types, path + ("from",))
    upper = _range_values(ctx, spec.to, types, path + ("to",))
    return {"lower": lower, "upper": upper}


def _range_values(ctx: Checker, value, types: list, path: tuple) -> tuple[m.Bound, ...]:
    values = value if isinstance(value, list) else [value]
    if len(values) != len(types):
        ctx.error(path, f"the partition key has {len(types)} element(s); give {len(types)} value(s) here")
        return ()
    return tuple(ranges.bound(ctx, v, t, path + ((i,) if isinstance(value, list) else ()))
                 for i, (v, t) in enumerate(zip(values, types, strict=True)))


def key_columns(key: m.PartitionKey | None, parts: tuple[m.Partition, ...]) -> list[tuple[str | None, str]]:
    """(column or None for an expression, where) for the key of the table and of every sub-partitioned partition."""
    out = []
    if key is not None:
        out += [(c, "its partition key") for c in key.columns]
    for p in (q for part in parts for q in part.walk()):
        if p.partition_by is not None:
            out += [(c, f"the partition key of '{p.name}'") for c in p.partition_by.columns]
    return out


def check_keys(ctx: Checker, table: m.Table, spec: TableSpec) -> None:
    """A primary key or unique constraint on a partitioned table must hold every partition column,
    at every level (PostgreSQL checks uniqueness partition by partition)."""
    needed = key_columns(table.partition_by, table.partitions)
    if not needed:
        return
    path = ("tables", table.name)
    keys = [("primary key", table.primary_key.columns, path + ("primary_key",) if spec.primary_key is not None
             else path + ("columns", (table.primary_key.columns or ("",))[0], "primary_key"))]
    keys += [(f"unique constraint {u.name}", u.columns, _unique_path(spec, table.name, u)) for u in table.uniques]
    keys += [(f"unique index {ix.name}", tuple(c.name for c in ix.columns), path + ("indexes", i))
             for i, ix in enumerate(table.indexes) if ix.unique]
    for what, columns, where in keys:
        if not columns:
            continue
        if any(c is None for c, _ in needed):
            ctx.error(where, f"the {what} of partitioned table '{table.name}' cannot exist: PostgreSQL allows no "
                             "primary key or unique constraint when a partition key holds an expression")
            continue
        for column, whose in needed:
            if column not in columns:
                ctx.error(where, f"the {what} of partitioned table '{table.name}' must include column "
                                 f"'{column}' of {whose} (PostgreSQL checks uniqueness in each partition)")


def _unique_path(spec: TableSpec, table: str, unique: m.Unique) -> tuple:
    for cname, cspec in spec.columns.items():
        if cspec.unique and unique.columns == (cname,):
            return ("tables", table, "columns", cname, "unique")
    for i, u in enumerate(spec.unique):
        if tuple(u.columns) == unique.columns:
            return ("tables", table, "unique", i)
    return ("tables", table)
