"""Validate a loaded schema.yaml and resolve it into the immutable model.

Structure is checked by the pydantic shapes, one enum and one table at a time,
so a broken table does not hide the problems of the others; then each concern
(columns and types, keys, references, names) adds its diagnostics. All problems
are raised together as one SchemaError. A new object kind adds a module here and
one line in `resolve`.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from schemagen.diagnostics import SchemaError
from schemagen.spec import model as m
from schemagen.spec import naming
from schemagen.spec.loader import Document, load
from schemagen.spec.model_schemas import placements
from schemagen.spec.shapes import FileSpec, TableSpec
from schemagen.spec.validate import (
    aggregates,
    columnrefs,
    columns,
    domains,
    extensions,
    functions,
    grants,
    keys,
    names,
    references,
    schemas,
    sequences,
    triggers,
    views,
)
from schemagen.spec.validate.context import Checker
from schemagen.spec.validate.ignore import ignore

RESERVED_SCHEMAS = ("schemagen", "information_schema")


def load_schema(path: Path | str, display: str | None = None) -> m.Schema:
    """Load, validate and resolve a schema file; raises SchemaError."""
    return validate(load(path, display))


def validate(doc: Document) -> m.Schema:
    ctx = Checker(doc)
    schema = resolve(ctx)
    if ctx.errors or schema is None:
        raise SchemaError(ctx.errors)
    return schema


def resolve(ctx: Checker) -> m.Schema | None:
    data = ctx.doc.data
    if not isinstance(data, dict):
        ctx.error((), "the top level of a schema file must be a mapping with a 'tables' key")
        return None
    top = ctx.spec(FileSpec, data, ())
    schema_name(ctx, data.get("schema", "public"))
    default = top.schema_ if top else "public"
    further = schemas.declared(ctx, data.get("schemas"), default)
    ctx.schema_names = {default, *(d.name for d in further)}
    raw_enums, raw_tables = _mapping(data, "enums"), _mapping(data, "tables")
    declared = extensions.extensions(ctx, _mapping(data, "extensions"))
    enums = [replace(e, schema=schemas.place(ctx, raw_enums[e.name], ("enums", e.name), default))
             for e in columns.enums(ctx, raw_enums)]
    ctx.enum_values = {e.name: e.values for e in enums}
    enum_names = set(raw_enums)  # a broken enum still counts as defined
    doms = domains.domains(ctx, _mapping(data, "domains"), enum_names)
    specs = {}
    for name, raw in raw_tables.items():
        ctx.identifier(name, ("tables", name), "table", key=True)
        if isinstance(raw, dict):
            spec = ctx.spec(TableSpec, raw, ("tables", name))
            if spec is not None:
                specs[name] = spec
    tables = {name: replace(keys.table(ctx, name, spec, enum_names),
                            schema=schemas.place(ctx, raw_tables[name], ("tables", name), default))
              for name, spec in specs.items()}
    ctx.placed = {n: o.schema or default for n, o in [*((e.name, e) for e in enums), *tables.items()]}
    broken = set(raw_tables) - set(tables)
    renamed_tables(ctx, specs, set(raw_tables))
    tables = references.foreign_keys(ctx, tables, specs, broken)
    tables = names.python_names(ctx, tables, specs)
    seqs = sequences.sequences(ctx, _mapping(data, "sequences"), tables)
    extensions.needed(ctx, declared, doms, tables)
    _expressions(ctx, default, tables, specs, doms, seqs)
    names.database_names(ctx, enums, tables, seqs, doms)
    names.python_constants(ctx, seqs, doms)
    others = {**{e.name: f"enum '{e.name}'" for e in enums}, **{d.name: f"domain '{d.name}'" for d in doms},
              **{s.name: f"sequence '{s.name}'" for s in seqs}}
    views_ = views.views(ctx, _mapping(data, "views"), default, set(raw_tables), others)
    routines = _routines(ctx, data, default, tables, views_, declared)
    tables, roles, granted, defaults = grants.access(ctx, data, default, tables, specs, seqs, views_, routines[0])
    left_alone = ignore(ctx, data.get("ignore"), {
        "tables": set(raw_tables), "types": set(raw_enums) | set(_mapping(data, "domains")),
        "sequences": set(_mapping(data, "sequences")) | {c.sequence for t in tables.values() for c in t.columns
                                                         if c.sequence},
        "extensions": set(_mapping(data, "extensions")), "views": set(_mapping(data, "views")),
        "policies": {p.name for t in tables.values() for p in t.policies}})
    if top is None or ctx.errors:
        return None
    placed = placements(default, tables.values(), enums, views_) if further else ()
    return m.Schema(name=top.schema_, enums=tuple(enums), tables=tuple(tables.values()), comment=top.comment,
                    extensions=tuple(declared), sequences=tuple(seqs), domains=tuple(doms), roles=tuple(roles),
                    grants=tuple(granted), default_privileges=tuple(defaults), views=tuple(views_),
                    ignore=left_alone, schemas=tuple(further), placed=placed, functions=routines[0],
                    triggers=routines[1], aggregates=routines[2])


def _routines(ctx: Checker, data: dict, schema: str, tables: dict, views_: list, declared: list) -> tuple:
    """Functions, triggers and aggregates (validate/functions.py, triggers.py, aggregates.py)."""
    relations = {**{v.name: "view" for v in views_}, **{t: "table" for t in tables}}
    fns = functions.functions(ctx, _mapping(data, "functions"), schema, relations)
    for t in tables.values():
        if t.on_update_columns and naming.trigger_name(t.name) in _mapping(data, "functions"):
            ctx.error(("functions", naming.trigger_name(t.name)), f"function name '{naming.trigger_name(t.name)}' "
                      f"is taken by the trigger function of {t.name}'s on_update columns", key=True)
    trigs = triggers.triggers(ctx, _mapping(data, "triggers"), {n: [c.name for c in t.columns] for n, t in
                                                               tables.items()}, {v.name: v for v in views_}, fns,
                              {x.schema for x in declared})
    for trig in trigs:
        if trig.on in tables and tables[trig.on].on_update_columns and trig.name == naming.trigger_name(trig.on):
            ctx.error(("triggers", trig.on, trig.name), f"trigger name '{trig.name}' is taken by the trigger of "
                      f"{trig.on}'s on_update columns", key=True)
    aggs = aggregates.aggregates(ctx, _mapping(data, "aggregates"), relations, fns)
    return tuple(fns), tuple(trigs), tuple(aggs)


def _mapping(data: dict, key: str) -> dict:
    return data.get(key) if isinstance(data.get(key), dict) else {}


def _expressions(ctx: Checker, schema: str, tables: dict, specs: dict, doms: list, seqs: list) -> None:
    """Sequences named in defaults, and the columns generated columns are computed from."""
    known = {s.name for s in seqs} | {c.sequence for t in tables.values() for c in t.columns if c.sequence}
    defaults = [(("domains", d.name, "default"), d.default) for d in doms if isinstance(d.default, str)]
    for name, table in tables.items():
        columns = {c.name: c for c in table.columns}
        for c in table.columns:
            path = ("tables", name, "columns", c.name)
            if isinstance(specs[name].columns[c.name].default, str):
                defaults.append((path + ("default",), c.default))
            if c.generated is not None:
                columnrefs.generated_references(ctx, name, c.generated, columns, path + ("generated",))
    columnrefs.sequence_references(ctx, schema, defaults, known)


def schema_name(ctx: Checker, name) -> None:
    if isinstance(name, str) and ctx.identifier(name, ("schema",), "schema"):
        if name in RESERVED_SCHEMAS or name.startswith("pg_"):
            ctx.error(("schema",), f"schema name '{name}' is reserved (schemagen keeps its history "
                                   "in 'schemagen'; pg_* and information_schema belong to PostgreSQL)")


def renamed_tables(ctx: Checker, specs: dict, names: set) -> None:
    claimed: dict[str, str] = {}
    for name, spec in specs.items():
        old = spec.renamed_from
        if old is None:
            continue
        if old in names:
            ctx.error(("tables", name, "renamed_from"), f"renamed_from: table '{old}' still exists; renamed_from "
                      "names a table that is gone (drop the key once the rename has been applied)")
        elif old in claimed:
            ctx.error(("tables", name, "renamed_from"), f"renamed_from: table '{claimed[old]}' was already "
                      f"renamed from '{old}'")
        claimed.setdefault(old, name)
