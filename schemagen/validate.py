"""Validate a loaded schema.yaml and resolve it into the immutable model.

Structure is checked by the pydantic specs, one enum and one table at a time,
so a broken table does not hide the problems of the others; then cross
references and names are checked here. All problems are collected and raised
together as one SchemaError.
"""

from __future__ import annotations

import copy
import keyword
import re
from dataclasses import replace as _replace
from pathlib import Path

from pydantic import BaseModel, ValidationError

from . import model as m
from . import naming
from .diagnostics import Diagnostic, SchemaError, did_you_mean
from .loader import Document, load
from .pydantic_errors import to_diagnostics
from .spec import ColumnSpec, EnumSpec, FileSpec, ForeignKeySpec, TableSpec, TargetSpec
from .sqlexpr import expression_problem
from .types import ColumnType, TypeError_, known_names, parse_type

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


def load_schema(path: Path | str, display: str | None = None) -> m.Schema:
    """Load, validate and resolve a schema file; raises SchemaError."""
    return validate(load(path, display))


def validate(doc: Document) -> m.Schema:
    validator = _Validator(doc)
    schema = validator.run()
    if validator.errors or schema is None:
        raise SchemaError(validator.errors)
    return schema


class _Validator:
    def __init__(self, doc: Document):
        self.doc = doc
        self.errors: list[Diagnostic] = list(doc.errors)
        self.bad_types: set[tuple[str, str]] = set()  # (table, column) whose type did not parse
        self.fk_paths: dict[tuple[str, str], tuple] = {}  # (table, fk name) -> yaml path

    # --- helpers -------------------------------------------------------------

    def error(self, path: tuple, message: str, *, key: bool = False) -> None:
        self.errors.append(self.doc.diag(path, message, key=key))

    def spec(self, model: type[BaseModel], data, path: tuple):
        """Validate data against a spec model; on errors, record them and try once
        more without the offending keys, so the rest can still be checked."""
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            self.errors.extend(to_diagnostics(exc, model, self.doc, path))
            pruned = _without_bad_keys(data, exc.errors())
        if pruned is None:
            return None
        try:
            return model.model_validate(pruned)
        except ValidationError:
            return None

    def identifier(self, name: str, path: tuple, what: str, *, key: bool = False) -> bool:
        if not _IDENTIFIER.match(name):
            self.error(path, f"invalid {what} name '{name}': use lower-case letters, digits and "
                             "underscores, starting with a letter or underscore", key=key)
            return False
        return self.length(name, path, what, key=key)

    def length(self, name: str, path: tuple, what: str, *, key: bool = False, hint: str = "use a shorter one"
               ) -> bool:
        if naming.too_long(name):
            self.error(path, f"{what} name '{name}' is {len(name.encode())} bytes; PostgreSQL "
                             f"truncates identifiers at {naming.MAX_IDENTIFIER_BYTES} bytes ({hint})", key=key)
            return False
        return True

    def expression(self, text: str, path: tuple) -> None:
        problem = expression_problem(text)
        if problem:
            self.error(path, problem)

    def column_exists(self, table: str, columns: dict, name: str, path: tuple) -> bool:
        if name in columns:
            return True
        self.error(path, f"table '{table}' has no column '{name}'" + did_you_mean(name, columns))
        return False

    # --- the run -------------------------------------------------------------

    def run(self) -> m.Schema | None:
        data = self.doc.data
        if not isinstance(data, dict):
            self.error((), "the top level of a schema file must be a mapping with a 'tables' key")
            return None
        top = self.spec(FileSpec, data, ())
        schema_name = data.get("schema", "public")
        if isinstance(schema_name, str) and self.identifier(schema_name, ("schema",), "schema"):
            if schema_name == "schemagen" or schema_name.startswith("pg_") or schema_name == "information_schema":
                self.error(("schema",), f"schema name '{schema_name}' is reserved (schemagen keeps its history "
                                        "in 'schemagen'; pg_* and information_schema belong to PostgreSQL)")
        raw_enums = data.get("enums") if isinstance(data.get("enums"), dict) else {}
        raw_tables = data.get("tables") if isinstance(data.get("tables"), dict) else {}
        enums = self.enums(raw_enums)
        enum_names = set(raw_enums)  # a broken enum still counts as defined
        specs = {}
        for name, raw in raw_tables.items():
            self.identifier(name, ("tables", name), "table", key=True)
            if isinstance(raw, dict):
                spec = self.spec(TableSpec, raw, ("tables", name))
                if spec is not None:
                    specs[name] = spec
        tables = {name: self.table(name, spec, enum_names) for name, spec in specs.items()}
        broken = set(raw_tables) - set(tables)
        tables = self.foreign_keys(tables, specs, broken)
        tables = self.python_names(tables, specs)
        self.names(enums, tables)
        if top is None or self.errors:
            return None
        return m.Schema(name=top.schema_, enums=tuple(enums), tables=tuple(tables.values()),
                        comment=top.comment)

    # --- enums ---------------------------------------------------------------

    def enums(self, raw_enums: dict) -> list[m.Enum]:
        out = []
        for name, raw in raw_enums.items():
            path = ("enums", name)
            self.identifier(name, path, "enum", key=True)
            spec = self.spec(EnumSpec, raw, path)
            if spec is None:
                continue
            seen = set()
            for i, value in enumerate(spec.values):
                if value in seen:
                    self.error(path + ("values", i), f"enum '{name}' lists the value '{value}' twice")
                if not value or naming.too_long(value):
                    self.error(path + ("values", i), f"enum value '{value}' must be 1 to 63 bytes long")
                seen.add(value)
            out.append(m.Enum(name, tuple(spec.values), spec.comment,
                              self.lint_ignore(spec.lint, path + ("lint", "ignore"))))
        return out

    # --- one table, without foreign keys -------------------------------------

    def table(self, name: str, spec: TableSpec, enum_names: set) -> m.Table:
        path = ("tables", name)
        columns = {}
        for cname, cspec in spec.columns.items():
            columns[cname] = self.column(name, cname, cspec, enum_names)
        pk = self.primary_key(name, spec, columns)
        if pk is not None:  # primary key columns are NOT NULL whatever the spec says
            columns = {c: _replace(col, nullable=False) if c in pk.columns else col
                       for c, col in columns.items()}
        uniques = [m.Unique(naming.unique_name(name, [c]), (c,)) for c, cs in spec.columns.items()
                   if cs.unique]
        for i, u in enumerate(spec.unique):
            upath = path + ("unique", i)
            self.column_list(name, columns, u.columns, upath + ("columns",))
            if u.name:
                self.identifier(u.name, upath + ("name",), "unique constraint")
            uniques.append(m.Unique(u.name or naming.unique_name(name, u.columns), tuple(u.columns),
                                    u.comment))
        checks = []
        for i, c in enumerate(spec.checks):
            cpath = path + ("checks", i)
            self.identifier(c.name, cpath + ("name",), "check")
            self.expression(c.expression, cpath + ("expression",))
            checks.append(m.Check(naming.check_name(name, c.name), c.expression, c.comment))
        indexes = [self.index(name, columns, ix, path + ("indexes", i))
                   for i, ix in enumerate(spec.indexes)]
        return m.Table(
            name=name, columns=tuple(columns.values()),
            primary_key=pk or m.PrimaryKey(naming.pk_name(name), ()),
            comment=spec.comment, uniques=tuple(uniques), checks=tuple(checks),
            indexes=tuple(indexes), renamed_from=spec.renamed_from,
            lint_ignore=self.lint_ignore(spec.lint, path + ("lint", "ignore")))

    def column(self, table: str, name: str, spec: ColumnSpec, enum_names: set) -> m.Column:
        path = ("tables", table, "columns", name)
        self.identifier(name, path, "column", key=True)
        try:
            ctype = parse_type(spec.type, enum_names)
        except TypeError_ as exc:
            hint = did_you_mean(spec.type.split("(")[0].strip(), known_names(enum_names)) \
                if str(exc).startswith("unknown type") else ""
            if spec.type.count("(") > spec.type.count(")"):
                hint += " (in a {flow: mapping} a comma splits the value: quote it, e.g. 'numeric(10,2)')"
            self.error(path + ("type",), f"{exc}{hint}")
            self.bad_types.add((table, name))
            ctype = ColumnType("text")  # keep going; the error is recorded
        if spec.primary_key and spec.nullable:
            self.error(path + ("nullable",), f"primary key column '{table}.{name}' cannot be nullable")
        default = spec.default
        if isinstance(default, bool):
            default = "true" if default else "false"
        elif isinstance(default, (int, float)):
            default = repr(default)
        elif isinstance(default, str):
            self.expression(default, path + ("default",))
        if spec.on_update is not None:
            self.expression(spec.on_update, path + ("on_update",))
        return m.Column(name=name, type=ctype, nullable=spec.nullable, default=default,
                        comment=spec.comment, on_update=spec.on_update,
                        renamed_from=spec.renamed_from, attribute=naming.attribute_name(name),
                        lint_ignore=self.lint_ignore(spec.lint, path + ("lint", "ignore")))

    def lint_ignore(self, spec, path: tuple) -> tuple[tuple[str, str], ...]:
        """Silenced lint rules; each needs a known code and a written reason."""
        from .lint import RULES
        if spec is None:
            return ()
        for code, reason in spec.ignore.items():
            if code not in RULES:
                self.error(path + (code,), f"unknown lint rule '{code}'" + did_you_mean(code, RULES), key=True)
            if not reason.strip():
                self.error(path + (code,), f"silencing {code} needs a reason")
        return tuple(sorted(spec.ignore.items()))

    def column_list(self, table: str, columns: dict, names: list[str], path: tuple) -> bool:
        ok = True
        for i, cname in enumerate(names):
            ok &= self.column_exists(table, columns, cname, path + (i,))
            if cname in names[:i]:
                self.error(path + (i,), f"column '{cname}' is listed twice")
                ok = False
        return ok

    def primary_key(self, table: str, spec: TableSpec, columns: dict) -> m.PrimaryKey | None:
        path = ("tables", table)
        marked = [c for c, cs in spec.columns.items() if cs.primary_key]
        if spec.primary_key is not None and marked:
            self.error(path + ("primary_key",), f"table '{table}' declares its primary key twice: "
                       f"here and with primary_key: true on column '{marked[0]}'")
            return None
        names = spec.primary_key if spec.primary_key is not None else marked
        if len(marked) > 1:
            self.error(path + ("columns", marked[1], "primary_key"),
                       f"table '{table}' marks {len(marked)} columns as primary_key; list a composite "
                       f"key under the table's primary_key: instead")
            return None
        if not names:
            self.error(path, f"table '{table}' has no primary key (mark a column with "
                             "primary_key: true, or list columns under primary_key:)", key=True)
            return None
        if not self.column_list(table, columns, names, path + ("primary_key",)):
            return None
        for i, cname in enumerate(names):
            if spec.primary_key is not None and spec.columns[cname].nullable:
                self.error(path + ("primary_key", i),
                           f"primary key column '{table}.{cname}' cannot be nullable")
        return m.PrimaryKey(naming.pk_name(table), tuple(names))

    def index(self, table: str, columns: dict, spec, path: tuple) -> m.Index:
        names = [c.column for c in spec.columns]
        self.column_list(table, columns, names, path + ("columns",))
        if spec.name:
            self.identifier(spec.name, path + ("name",), "index")
        if spec.where is not None:
            self.expression(spec.where, path + ("where",))
        if spec.method != "btree":
            if spec.unique:
                self.error(path + ("unique",), f"a unique index must use btree, not {spec.method}")
            if any(c.order != "asc" or c.nulls for c in spec.columns):
                self.error(path + ("columns",), f"index method {spec.method} has no ASC/DESC or NULLS order")
        ix_columns = tuple(m.IndexColumn(c.column, c.order, c.nulls) for c in spec.columns)
        return m.Index(spec.name or naming.index_name(table, names), ix_columns, spec.unique,
                       spec.where, spec.method)

    # --- foreign keys --------------------------------------------------------

    def foreign_keys(self, tables: dict, specs: dict, broken: set) -> dict:
        out = {}
        for name, table in tables.items():
            fks = []
            for fk_spec, path, ref_path in _fk_specs(name, specs[name]):
                fk = self.foreign_key(table, fk_spec, path, ref_path, tables, broken)
                if fk is not None:
                    fks.append(fk)
                    self.fk_paths[(name, fk.name)] = path
            out[name] = _replace(table, foreign_keys=tuple(fks))
        return out

    def foreign_key(self, table: m.Table, spec: ForeignKeySpec, path: tuple, ref_path: tuple,
                    tables: dict, broken: set) -> m.ForeignKey | None:
        """Resolve one foreign key. ref_path is where its target is written:
        `references:` of a table-level key, or the column's `references:` itself."""
        columns = {c.name: c for c in table.columns}
        if not self.column_list(table.name, columns, spec.columns, path + ("columns",)):
            return None
        self.actions(table, spec, columns, path)
        if spec.name:
            self.identifier(spec.name, path + ("name",), "foreign key")
        target_name = spec.references.table
        target = tables.get(target_name)
        if target is None:
            if target_name not in broken:  # a broken table has its own errors already
                self.error(ref_path + ("table",), f"foreign key references unknown table "
                           f"'{target_name}'" + did_you_mean(target_name, list(tables) + list(broken)))
            return None
        ref_columns = spec.references.columns or list(target.primary_key.columns)
        target_columns = {c.name: c for c in target.columns}
        if not self.column_list(target.name, target_columns, ref_columns, ref_path + ("columns",)):
            return None
        if len(ref_columns) != len(spec.columns):
            self.error(ref_path, f"foreign key has {len(spec.columns)} column(s) but references "
                                 f"{len(ref_columns)} column(s) of '{target.name}'")
            return None
        if not _is_unique(target, ref_columns):
            self.error(ref_path, f"foreign key must reference a primary key or unique columns; "
                                 f"{target.name}({', '.join(ref_columns)}) is neither")
        for mine, theirs in zip(spec.columns, ref_columns, strict=True):
            a, b = columns[mine], target_columns[theirs]
            if a.type.family != b.type.family and not self.bad_types & {(table.name, mine), (target.name, theirs)}:
                self.error(ref_path, f"type mismatch: {table.name}.{mine} is {a.type} but "
                                     f"{target.name}.{theirs} is {b.type}")
        return m.ForeignKey(
            name=spec.name or naming.fk_name(table.name, spec.columns), columns=tuple(spec.columns),
            ref_table=target.name, ref_columns=tuple(ref_columns), on_delete=spec.on_delete,
            on_update=spec.on_update, comment=spec.comment,
            one_to_one=_is_unique(table, spec.columns),
            relationship=spec.relationship or "", back_populates=spec.back_populates or "")

    def actions(self, table: m.Table, spec: ForeignKeySpec, columns: dict, path: tuple) -> None:
        """SET NULL needs nullable columns, SET DEFAULT needs defaults."""
        for action_key in ("on_delete", "on_update"):
            action = getattr(spec, action_key)
            label = action_key.replace("_", " ").upper()
            for c in spec.columns:
                if action == "set null" and not columns[c].nullable:
                    self.error(path + (action_key,), f"{label} SET NULL needs a nullable column, "
                               f"but {table.name}.{c} is NOT NULL")
                if action == "set default" and columns[c].default is None:
                    self.error(path + (action_key,), f"{label} SET DEFAULT needs a default, "
                               f"but {table.name}.{c} has none")

    # --- Python names --------------------------------------------------------

    def python_names(self, tables: dict, specs: dict) -> dict:
        modules: dict[str, str] = {}
        classes: dict[str, str] = {}
        named = {}
        for name, table in tables.items():
            spec = specs[name]
            module = spec.module or name
            cls = spec.class_ or naming.class_name(module)
            path = ("tables", name)
            if not _IDENTIFIER.match(module):
                continue  # derived from an invalid table name, reported already
            if not module.isidentifier() or keyword.iskeyword(module) or module in naming.RESERVED_MODULES:
                self.error(path + ("module",), f"module name '{module}' is not usable (a Python "
                           f"identifier, not a keyword, not one of {sorted(naming.RESERVED_MODULES)})")
            elif module in modules:
                self.error(path + ("module",), f"module '{module}' is already used by table '{modules[module]}'")
            if not cls.isidentifier() or keyword.iskeyword(cls):
                self.error(path + ("class",), f"class name '{cls}' is not a Python identifier")
            elif cls in classes:
                self.error(path + ("class",), f"class '{cls}' is already used by table '{classes[cls]}'")
            modules.setdefault(module, name)
            classes.setdefault(cls, name)
            named[name] = _replace(table, module=module, class_name=cls)
        return self.relationships(named, specs)

    def relationships(self, tables: dict, specs: dict) -> dict:
        used = {name: {c.attribute: f"column '{c.name}'" for c in t.columns} for name, t in tables.items()}
        fks_by_table = {name: list(t.foreign_keys) for name, t in tables.items()}
        for name, table in tables.items():
            for i, fk in enumerate(table.foreign_keys):
                ref = tables[fk.ref_table]
                child_attr = fk.relationship or naming.many_to_one_attribute(fk.columns, ref.module)
                twice = sum(1 for f in table.foreign_keys if f.ref_table == fk.ref_table) > 1
                parent_attr = fk.back_populates or (
                    table.module if fk.one_to_one and not twice
                    else naming.one_to_many_attribute(name, child_attr, ambiguous=twice))
                path = self.fk_paths.get((name, fk.name), ("tables", name))
                for owner, attr, side in ((name, child_attr, "relationship"),
                                          (fk.ref_table, parent_attr, "back_populates")):
                    if attr in used[owner]:
                        self.error(path, f"ORM attribute '{attr}' of {tables[owner].class_name} is already "
                                   f"used by {used[owner][attr]}; choose another with {side}:")
                    used[owner][attr] = f"relationship of foreign key {fk.name}"
                fks_by_table[name][i] = _replace(fk, relationship=child_attr, back_populates=parent_attr)
        return {n: _replace(t, foreign_keys=tuple(fks_by_table[n])) for n, t in tables.items()}

    # --- names that must be unique in the database -------------------------

    def names(self, enums: list[m.Enum], tables: dict) -> None:
        relations: dict[str, str] = {}   # pg_class: tables, indexes, pk/unique indexes
        types = {e.name: f"enum '{e.name}'" for e in enums}
        for name, table in tables.items():
            path = ("tables", name)
            if name in types:
                self.error(path, f"table '{name}' has the same name as {types[name]} (tables "
                                 "and types share one namespace)", key=True)
            entries = [(name, "table", path)]
            entries += [(table.primary_key.name, "primary key", path)] if table.primary_key.columns else []
            entries += [(u.name, "unique constraint", path) for u in table.uniques]
            entries += [(ix.name, "index", path + ("indexes", i)) for i, ix in enumerate(table.indexes)]
            long_table = naming.too_long(name)  # reported once, by the table name check
            for rel_name, kind, where in entries:
                what = f"table '{name}'" if kind == "table" else f"{kind} on '{name}'"
                if naming.too_long(rel_name):
                    if not long_table:
                        self.length(rel_name, where, kind, hint="set name: to a shorter one")
                    continue
                if rel_name in relations:
                    self.error(where, f"name '{rel_name}' of the {what} is already used by the "
                                      f"{relations[rel_name]} (set name: to another one)")
                relations.setdefault(rel_name, what)
            constraint_names: set[str] = {table.primary_key.name} | {u.name for u in table.uniques}
            for c in list(table.foreign_keys) + list(table.checks):
                if not long_table:
                    self.length(c.name, path, "constraint", hint="set name: to a shorter one")
                if c.name in constraint_names:
                    self.error(path, f"constraint name '{c.name}' is used twice on table '{name}'")
                constraint_names.add(c.name)
            if table.on_update_columns and not long_table:
                self.length(naming.trigger_name(name), path, "on_update trigger", hint="shorten the table name")


def _without_bad_keys(data, errors) -> dict | None:
    """A copy of data without the mapping keys pydantic objected to, or None
    when an error cannot be dropped that way (a missing key, a bad list item)."""
    data = copy.deepcopy(data)
    for err in errors:
        *parents, last = err["loc"]
        if err["type"] == "missing" or not isinstance(last, str):
            return None
        node = data
        for part in parents:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return None
        if not isinstance(node, dict):
            return None
        node.pop(last, None)
    return data


def _fk_specs(table: str, spec: TableSpec):
    """Every foreign key of a table as (spec, its yaml path, the yaml path of its
    target), column-level ones first."""
    for cname, cspec in spec.columns.items():
        ref = cspec.references
        if ref is not None:
            yield ForeignKeySpec(
                columns=[cname],
                references=TargetSpec(table=ref.table, columns=[ref.column] if ref.column else None),
                on_delete=ref.on_delete, on_update=ref.on_update, name=ref.name, comment=ref.comment,
                relationship=ref.relationship, back_populates=ref.back_populates,
            ), ("tables", table, "columns", cname, "references"), ("tables", table, "columns", cname, "references")
    for i, fk in enumerate(spec.foreign_keys):
        path = ("tables", table, "foreign_keys", i)
        yield fk, path, path + ("references",)


def _is_unique(table: m.Table, columns) -> bool:
    wanted = set(columns)
    keys = [set(table.primary_key.columns)] + [set(u.columns) for u in table.uniques]
    keys += [{c.name for c in ix.columns} for ix in table.indexes if ix.unique and ix.where is None]
    return wanted in keys

