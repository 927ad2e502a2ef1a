"""Names: Python module, class and ORM attribute names, and the names that must be
unique in the database (relations, types, constraints)."""

from __future__ import annotations

import keyword
from dataclasses import replace

from schemagen.spec import model as m
from schemagen.spec import naming
from schemagen.spec.types import known_names
from schemagen.spec.validate.context import IDENTIFIER, Checker


def python_names(ctx: Checker, tables: dict, specs: dict) -> dict:
    modules: dict[str, str] = {}
    classes: dict[str, str] = {}
    named = {}
    for name, table in tables.items():
        spec = specs[name]
        module = spec.module or name
        cls = spec.class_ or naming.model_class_name(module)
        path = ("tables", name)
        if not IDENTIFIER.match(module):
            continue  # derived from an invalid table name, reported already
        if not module.isidentifier() or keyword.iskeyword(module) or module in naming.RESERVED_MODULES:
            ctx.error(path + ("module",), f"module name '{module}' is not usable (a Python "
                      f"identifier, not a keyword, not one of {sorted(naming.RESERVED_MODULES)})")
        elif module in modules:
            ctx.error(path + ("module",), f"module '{module}' is already used by table '{modules[module]}'")
        if not cls.isidentifier() or keyword.iskeyword(cls):
            ctx.error(path + ("class",), f"class name '{cls}' is not a Python identifier")
        elif cls in classes:
            ctx.error(path + ("class",), f"class '{cls}' is already used by table '{classes[cls]}'")
        modules.setdefault(module, name)
        classes.setdefault(cls, name)
        named[name] = replace(table, module=module, class_name=cls)
    return relationships(ctx, named)


def relationships(ctx: Checker, tables: dict) -> dict:
    used = {name: column_attributes(ctx, name, t) for name, t in tables.items()}
    fks_by_table = {name: list(t.foreign_keys) for name, t in tables.items()}
    for name, table in tables.items():
        for i, fk in enumerate(table.foreign_keys):
            ref = tables[fk.ref_table]
            path = ctx.fk_paths.get((name, fk.name), ("tables", name))
            child_attr = fk.relationship or naming.attribute_name(
                naming.many_to_one_attribute(fk.columns, ref.module))
            twice = sum(1 for f in table.foreign_keys if f.ref_table == fk.ref_table) > 1
            parent_attr = fk.back_populates or naming.attribute_name(
                table.module if fk.one_to_one and not twice
                else naming.one_to_many_attribute(name, child_attr, ambiguous=twice))
            for given, side in ((fk.relationship, "relationship"), (fk.back_populates, "back_populates")):
                problem = given and given_attribute_problem(given)
                if problem:
                    ctx.error(path + (side,), f"ORM attribute name '{given}' is {problem}; choose another")
            for owner, attr, side in ((name, child_attr, "relationship"),
                                      (fk.ref_table, parent_attr, "back_populates")):
                if attr in used[owner]:
                    ctx.error(path, f"ORM attribute '{attr}' of {tables[owner].class_name} is already "
                              f"used by {used[owner][attr]}; choose another with {side}:")
                used[owner][attr] = f"relationship of foreign key {fk.name}"
            fks_by_table[name][i] = replace(fk, relationship=child_attr, back_populates=parent_attr)
    return {n: replace(t, foreign_keys=tuple(fks_by_table[n])) for n, t in tables.items()}


def column_attributes(ctx: Checker, name: str, table: m.Table) -> dict[str, str]:
    """The ORM attribute of each column (after escaping: metadata -> metadata_), each once."""
    used: dict[str, str] = {}
    for c in table.columns:
        path = ("tables", name, "columns", c.name)
        problem = reserved_attribute(c.attribute)
        if problem:
            ctx.error(path, f"column '{c.name}' cannot be an ORM attribute: its name is {problem}", key=True)
        elif c.attribute in used:
            ctx.error(path, f"column '{c.name}' and {used[c.attribute]} both become the ORM attribute "
                            f"'{c.attribute}' of {table.class_name}; rename one", key=True)
        used.setdefault(c.attribute, f"column '{c.name}'")
    return used


def given_attribute_problem(attr: str) -> str | None:
    """A relationship: or back_populates: name is used as written (no escaping)."""
    if not attr.isidentifier():
        return "not a Python identifier"
    if keyword.iskeyword(attr):
        return "a Python keyword"
    if attr in naming.RESERVED_ATTRIBUTES:
        return f"reserved by SQLAlchemy's declarative base ({', '.join(sorted(naming.RESERVED_ATTRIBUTES))})"
    return reserved_attribute(attr)


def reserved_attribute(attr: str) -> str | None:
    """Names no mapped class may use, whatever the escaping."""
    if attr.startswith("__"):
        return "Python's and SQLAlchemy's (names starting with '__', e.g. __table__, are mangled or reserved)"
    if attr.startswith("_sa_"):
        return "SQLAlchemy's (it keeps names starting with '_sa_')"
    return None


def database_names(ctx: Checker, enums: list[m.Enum], tables: dict, sequences=(), domains=()) -> None:
    relations: dict[str, str] = {}   # pg_class: tables, indexes, pk/unique indexes, sequences
    types = {e.name: f"enum '{e.name}'" for e in enums}
    for d in domains:  # enums and domains share pg_type
        if d.name in types:
            ctx.error(("domains", d.name), f"domain '{d.name}' has the same name as {types[d.name]}", key=True)
        types.setdefault(d.name, f"domain '{d.name}'")
    for name, table in tables.items():
        path = ("tables", name)
        if name in types:
            ctx.error(path, f"table '{name}' has the same name as {types[name]} (tables "
                            "and types share one namespace)", key=True)
        long_table = naming.too_long(name)  # reported once, by the table name check
        _relation_names(ctx, name, table, relations, long_table)
        _constraint_names(ctx, name, table, long_table)
        if table.on_update_columns and not long_table:
            ctx.length(naming.trigger_name(name), path, "on_update trigger", hint="shorten the table name")
    _sequence_names(ctx, tables, sequences, relations)


def _sequence_names(ctx: Checker, tables: dict, sequences, relations: dict) -> None:
    """Standalone sequences and the ones serial and identity columns make share pg_class with
    tables and indexes (PostgreSQL would silently pick another name for a column's sequence)."""
    entries = [(s.name, f"sequence '{s.name}'", ("sequences", s.name)) for s in sequences]
    entries += [(c.sequence, f"sequence of column '{t.name}.{c.name}'", ("tables", t.name, "columns", c.name))
                for t in tables.values() for c in t.columns if c.sequence]
    for name, what, path in entries:
        if name in relations:
            ctx.error(path, f"name '{name}' of the {what} is already used by the {relations[name]}")
        relations.setdefault(name, what)


def python_constants(ctx: Checker, sequences, domains) -> None:
    """Domains and standalone sequences become constants in models/base.py (email -> EMAIL)."""
    used: dict[str, str] = {}
    entries = [(naming.domain_constant(d.name), f"domain '{d.name}'", ("domains", d.name)) for d in domains
               if d.name not in known_names(())]  # a builtin's name is refused already
    entries += [(naming.sequence_constant(s.name), f"sequence '{s.name}'", ("sequences", s.name)) for s in sequences]
    for constant, what, path in entries:
        if constant in naming.RESERVED_CONSTANTS or constant.endswith("RANGE"):
            ctx.error(path, f"{what} would be {constant} in models/base.py, a name it already uses: rename it",
                      key=True)
        elif constant in used:
            ctx.error(path, f"{what} would be {constant} in models/base.py, like {used[constant]}: rename one",
                      key=True)
        used.setdefault(constant, what)


def _relation_names(ctx: Checker, name: str, table: m.Table, relations: dict, long_table: bool) -> None:
    path = ("tables", name)
    entries = [(name, "table", path)]
    entries += [(table.primary_key.name, "primary key", path)] if table.primary_key.columns else []
    entries += [(u.name, "unique constraint", path) for u in table.uniques]
    entries += [(x.name, "exclusion constraint", path + ("exclude", i)) for i, x in enumerate(table.excludes)]
    entries += [(ix.name, "index", path + ("indexes", i)) for i, ix in enumerate(table.indexes)]
    entries += [(p.name, "partition", path + ("partitions", p.name)) for p in table.all_partitions()]
    for rel_name, kind, where in entries:
        what = f"table '{name}'" if kind == "table" else f"{kind} on '{name}'"
        if naming.too_long(rel_name):
            if not long_table:
                ctx.length(rel_name, where, kind, hint="set name: to a shorter one")
            continue
        if rel_name in relations:
            ctx.error(where, f"name '{rel_name}' of the {what} is already used by the "
                             f"{relations[rel_name]} (set name: to another one)")
        relations.setdefault(rel_name, what)


def _constraint_names(ctx: Checker, name: str, table: m.Table, long_table: bool) -> None:
    path = ("tables", name)
    constraint_names: set[str] = {table.primary_key.name} | {u.name for u in table.uniques}
    constraint_names |= {x.name for x in table.excludes}
    for c in list(table.foreign_keys) + list(table.checks):
        if not long_table:
            ctx.length(c.name, path, "constraint", hint="set name: to a shorter one")
        if c.name in constraint_names:
            ctx.error(path, f"constraint name '{c.name}' is used twice on table '{name}'")
        constraint_names.add(c.name)
