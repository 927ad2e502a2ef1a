"""Foreign keys: their columns, targets, types and referential actions."""

from __future__ import annotations

from dataclasses import replace

from schemagen.diagnostics import did_you_mean
from schemagen.spec import model as m
from schemagen.spec import naming
from schemagen.spec.shapes import ForeignKeySpec, TableSpec, TargetSpec
from schemagen.spec.validate.constraints import deferral
from schemagen.spec.validate.context import Checker
from schemagen.spec.validate.schemas import target as schema_target


def foreign_keys(ctx: Checker, tables: dict, specs: dict, broken: set) -> dict:
    out = {}
    for name, table in tables.items():
        fks = []
        for fk_spec, path, ref_path, ref_columns_path in fk_specs(name, specs[name]):
            fk = foreign_key(ctx, table, fk_spec, path, ref_path, tables, broken, ref_columns_path)
            if fk is not None:
                fks.append(fk)
                ctx.fk_paths[(name, fk.name)] = path
        out[name] = replace(table, foreign_keys=tuple(fks))
    return out


def foreign_key(ctx: Checker, table: m.Table, spec: ForeignKeySpec, path: tuple, ref_path: tuple,
                tables: dict, broken: set, ref_columns_path: tuple) -> m.ForeignKey | None:
    """Resolve one foreign key. ref_path is where its target is written:
    `references:` of a table-level key, or the column's `references:` itself;
    ref_columns_path where its referenced columns are (`columns:` or `column:`)."""
    columns = {c.name: c for c in table.columns}
    if not ctx.column_list(table.name, columns, spec.columns, path + ("columns",)):
        return None
    actions(ctx, table, spec, columns, path)
    deferrable, deferred = deferral(ctx, spec, path)
    if spec.name:
        ctx.identifier(spec.name, path + ("name",), "foreign key")
    target_name = schema_target(ctx, spec.references.table, ref_path + ("table",), "table")
    if target_name is None:
        return None
    target = tables.get(target_name)
    if target is None:
        if target_name not in broken:  # a broken table has its own errors already
            ctx.error(ref_path + ("table",), f"foreign key references unknown table "
                      f"'{target_name}'" + did_you_mean(target_name, list(tables) + list(broken)))
        return None
    ref_columns = spec.references.columns or list(target.primary_key.columns)
    target_columns = {c.name: c for c in target.columns}
    if ref_columns_path[-1] == "column" and ref_columns:  # a column's references: names one column
        if not ctx.column_exists(target.name, target_columns, ref_columns[0], ref_columns_path):
            return None
    elif not ctx.column_list(target.name, target_columns, ref_columns, ref_columns_path):
        return None
    if len(ref_columns) != len(spec.columns):
        ctx.error(ref_path, f"foreign key has {len(spec.columns)} column(s) but references "
                            f"{len(ref_columns)} column(s) of '{target.name}'")
        return None
    if not is_unique(target, ref_columns):
        ctx.error(ref_path, f"foreign key must reference a primary key or unique columns; "
                            f"{target.name}({', '.join(ref_columns)}) is neither")
    elif not is_unique(target, ref_columns, immediate=True):
        ctx.error(ref_path, f"the unique constraint on {target.name}({', '.join(ref_columns)}) is deferrable; "
                            "PostgreSQL lets a foreign key reference only a key checked immediately")
    if target.unlogged and not table.unlogged:
        ctx.error(ref_path, f"'{table.name}' is logged but '{target.name}' is unlogged: PostgreSQL lets a "
                            "foreign key of a logged table reference only logged tables")
    for mine, theirs in zip(spec.columns, ref_columns, strict=True):
        a, b = columns[mine], target_columns[theirs]
        if a.type.family != b.type.family and not ctx.bad_types & {(table.name, mine), (target.name, theirs)}:
            ctx.error(ref_path, f"type mismatch: {table.name}.{mine} is {a.type} but "
                                f"{target.name}.{theirs} is {b.type}")
    return m.ForeignKey(
        name=spec.name or naming.fk_name(table.name, spec.columns), columns=tuple(spec.columns),
        ref_table=target.name, ref_columns=tuple(ref_columns), on_delete=spec.on_delete.action,
        on_update=spec.on_update, comment=spec.comment,
        one_to_one=is_unique(table, spec.columns),
        relationship=spec.relationship or "", back_populates=spec.back_populates or "",
        on_delete_columns=tuple(spec.on_delete.columns or ()), match_full=spec.match == "full",
        deferrable=deferrable, initially_deferred=deferred)


def actions(ctx: Checker, table: m.Table, spec: ForeignKeySpec, columns: dict, path: tuple) -> None:
    """SET NULL needs nullable columns, SET DEFAULT needs defaults (only those of the
    column list, when ON DELETE names one)."""
    listed = spec.on_delete.columns
    if listed is not None:
        lpath = path + ("on_delete", "columns")
        if spec.on_delete.action not in ("set null", "set default"):
            ctx.error(lpath, f"a column list goes with set null or set default, not {spec.on_delete.action}")
        for i, c in enumerate(listed):
            if c not in spec.columns:
                ctx.error(lpath + (i,), f"'{c}' is not one of the foreign key's columns "
                                        f"({', '.join(spec.columns)})" + did_you_mean(c, spec.columns))
            elif c in listed[:i]:
                ctx.error(lpath + (i,), f"column '{c}' is listed twice")
    for action_key in ("on_delete", "on_update"):
        action = spec.on_delete.action if action_key == "on_delete" else spec.on_update
        apath = path + (action_key,)
        label = action_key.replace("_", " ").upper()
        targets = listed if action_key == "on_delete" and listed else spec.columns
        for c in (c for c in targets if c in columns):
            if action == "set null" and not columns[c].nullable:
                ctx.error(apath, f"{label} SET NULL needs a nullable column, "
                          f"but {table.name}.{c} is NOT NULL")
            if action == "set default" and columns[c].default is None:
                ctx.error(apath, f"{label} SET DEFAULT needs a default, "
                          f"but {table.name}.{c} has none")


def fk_specs(table: str, spec: TableSpec):
    """Every foreign key of a table as (spec, its yaml path, the yaml path of its
    target, the yaml path of the referenced columns), column-level ones first."""
    for cname, cspec in spec.columns.items():
        ref = cspec.references
        if ref is not None:
            path = ("tables", table, "columns", cname, "references")
            yield ForeignKeySpec(
                columns=[cname],
                references=TargetSpec(table=ref.table, columns=[ref.column] if ref.column else None),
                on_delete=ref.on_delete, on_update=ref.on_update, name=ref.name, comment=ref.comment,
                relationship=ref.relationship, back_populates=ref.back_populates, match=ref.match,
                deferrable=ref.deferrable, initially=ref.initially,
            ), path, path, path + ("column",)
    for i, fk in enumerate(spec.foreign_keys):
        path = ("tables", table, "foreign_keys", i)
        yield fk, path, path + ("references",), path + ("references", "columns")


def is_unique(table: m.Table, columns, *, immediate: bool = False) -> bool:
    """Whether the columns are a key of the table (with immediate: one a foreign key can reference)."""
    wanted = set(columns)
    keys = [set(table.primary_key.columns)]
    keys += [set(u.columns) for u in table.uniques if not (immediate and u.deferrable)]
    keys += [{c.name for c in ix.columns} for ix in table.indexes
             if ix.unique and ix.where is None and all(c.name for c in ix.columns)]
    return wanted in keys
