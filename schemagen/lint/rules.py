"""`schemagen lint`: design rules over the validated schema, each with a stable
code, a severity and a one-line rationale. A table or column silences a rule
with `lint: {ignore: {CODE: reason}}` in schema.yaml (the reason is required).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from schemagen.diagnostics import Diagnostic
from schemagen.diagnostics.rules import RULES
from schemagen.spec import model as m
from schemagen.spec.loader import Document

RESERVED = set("""all analyse analyze and any array as asc asymmetric authorization binary both case cast check
collate collation column concurrently constraint create cross current_catalog current_date current_role
current_schema current_time current_timestamp current_user default deferrable desc distinct do else end except
false fetch for foreign freeze from full grant group having ilike in initially inner intersect into is isnull
join lateral leading left like limit localtime localtimestamp natural not notnull null offset on only or order
outer overlaps placing primary references returning right select session_user similar some symmetric
system_user table tablesample then to trailing true union unique user using variadic verbose when where window
with""".split())

_MONEY = re.compile(r"(amount|balance|price|cost|total|fee|salary|limit|payment|credit|debit)", re.I)
_AUDIT = re.compile(r"(audit|_log$|_logs$|^log|history|journal|trail)", re.I)
VOLATILE_ENUM_VALUES = 10


def _finding(doc: Document, path: tuple, code: str, message: str) -> Diagnostic:
    base = doc.diag(path, message, key=True)
    return Diagnostic(base.file, base.line, base.col, message, base.path, code, RULES[code].severity)


def _element(c: m.IndexColumn) -> str:
    """An index element as lint compares them: a column or an expression, with opclass and collation."""
    extras = [x for x in (c.opclass, c.collation) if x]
    return " ".join([c.expression or c.name, *extras])


def _index_keys(table: m.Table) -> list[tuple[str, ...]]:
    """Column lists of everything that gives an index: primary key, unique constraints, indexes."""
    keys = [table.primary_key.columns] + [u.columns for u in table.uniques]
    keys += [tuple(_element(c) for c in ix.columns) for ix in table.indexes if ix.method == "btree"]
    return keys


def _fk_path(doc: Document, table: m.Table, fk: m.ForeignKey) -> tuple:
    column_level = ("tables", table.name, "columns", fk.columns[0], "references")
    if len(fk.columns) == 1 and doc.exact(column_level) is not None:
        return column_level
    return ("tables", table.name, "foreign_keys")


def findings(doc: Document, schema: m.Schema) -> Iterator[tuple[tuple, str, str, object, m.Column | None]]:
    """(yaml path, code, message, table or enum, column) for every rule that fires, before silencing."""
    for table in schema.tables:
        tpath = ("tables", table.name)
        if not table.comment:
            yield tpath, "SG002", f"table '{table.name}' has no comment", table, None
        if table.name in RESERVED:
            yield tpath, "SG009", f"table name '{table.name}' is a reserved word", table, None
        keys = _index_keys(table)
        for fk in table.foreign_keys:
            covered = any(set(key[:len(fk.columns)]) == set(fk.columns) for key in keys)
            col = table.column(fk.columns[0]) if len(fk.columns) == 1 else None
            if not covered:
                yield (_fk_path(doc, table, fk), "SG001",
                       f"foreign key {fk.name} ({', '.join(fk.columns)}) has no index leading with its columns",
                       table, col)
            if fk.on_delete == "cascade" and _AUDIT.search(table.name):
                yield (_fk_path(doc, table, fk), "SG010",
                       (f"{table.name} looks like an audit or log table, but {fk.name} deletes its rows "
                       f"with their {fk.ref_table} row (ON DELETE CASCADE)"), table, col)
        for i, ix in enumerate(table.indexes):
            mine = tuple(_element(c) for c in ix.columns)
            if ix.where or ix.unique or ix.method != "btree":
                continue
            longer = [k for k in keys if k != mine and len(k) >= len(mine) and k[:len(mine)] == mine]
            if longer or mine in [table.primary_key.columns] + [u.columns for u in table.uniques]:
                yield (("tables", table.name, "indexes", i), "SG008",
                       (f"index {ix.name} ({', '.join(mine)}) is redundant: an index or key on "
                       f"({', '.join(longer[0] if longer else mine)}) already serves it"), table, None)
        yield from _table_findings(table)
        for u in (u for u in table.uniques if not u.nulls_not_distinct):
            for name in u.columns:
                if table.column(name).nullable:
                    yield (("tables", table.name, "columns", name), "SG011",
                           (f"unique constraint {u.name} includes nullable column '{name}': rows with NULL there "
                           "are never duplicates"), table, table.column(name))
        for col in table.columns:
            yield from _column_findings(table, col)
    for fn in schema.functions:
        if fn.security_definer and not any(k == "search_path" for k, _ in fn.settings):
            path = ("functions", fn.name, fn.overload)
            path = path if doc.exact(path) is not None else path[:2]
            yield (path + ("security_definer",), "SG023", (f"{fn.kind} '{fn.name}' is SECURITY DEFINER without "
                   "SET search_path: it would resolve names in the caller's search_path with its owner's rights"),
                   fn, None)
    for seq in schema.sequences:
        if seq.options.cycle:
            top = seq.options.maxvalue or "its maximum"
            yield (("sequences", seq.name), "SG014",
                   f"sequence '{seq.name}' cycles: after {top} it hands out the same numbers again", seq, None)
    for enum in schema.enums:
        if len(enum.values) > VOLATILE_ENUM_VALUES:
            yield (("enums", enum.name), "SG012", (f"enum '{enum.name}' has {len(enum.values)} values; if they "
                   "change often, a lookup table is easier to evolve"), enum, None)


def _table_findings(table: m.Table):
    """Storage, deferral and partitioning choices that carry a risk."""
    tpath = ("tables", table.name)
    if table.unlogged:
        yield tpath + ("unlogged",), "SG020", (f"table '{table.name}' is unlogged: a crash empties it and "
                                               "replicas never see its rows"), table, None
    for u in table.uniques:
        if u.deferrable:
            yield tpath, "SG021", (f"unique constraint {u.name} is deferrable: INSERT ... ON CONFLICT cannot use it "
                                   "and no foreign key can reference it"), table, None
    if table.partition_by is not None and table.partition_by.method != "hash":
        parents = [(table.name, table.partitions)] + [(p.name, p.partitions) for p in table.all_partitions()
                                                       if p.partition_by and p.partition_by.method != "hash"]
        for name, parts in parents:
            if not any(p.default or any(b.kind == "maxvalue" for b in p.upper) for p in parts):
                yield tpath + ("partitions",), "SG022", (f"'{name}' has no default partition: rows outside every "
                                                         "partition's bounds are refused"), table, None


def _column_findings(table: m.Table, col: m.Column):
    path = ("tables", table.name, "columns", col.name)
    if not col.comment and not col.type.is_enum and col.name not in table.primary_key.columns:
        yield path, "SG003", f"column '{table.name}.{col.name}' has no comment", table, col
    if col.type.name == "timestamp":
        yield path, "SG004", f"'{table.name}.{col.name}' is timestamp without time zone; use timestamptz", table, col
    if col.type.name in ("real", "double precision") and _MONEY.search(col.name):
        yield path, "SG005", f"'{table.name}.{col.name}' looks like money but is {col.type}; use numeric", table, col
    if col.type.name == "varchar" and not col.type.args:
        yield path, "SG006", f"'{table.name}.{col.name}' is varchar without a length", table, col
    if col.type.name == "char":
        yield path, "SG007", f"'{table.name}.{col.name}' is {col.type}; use varchar(n) or text", table, col
    if col.name in RESERVED:
        yield path, "SG009", f"column name '{col.name}' is a reserved word", table, col
    if col.type.serial:
        generated = "always" if col.name in table.primary_key.columns else "by default"
        message = f"'{table.name}.{col.name}' is {col.type}; use {col.type.name} with identity: {generated}"
        yield path, "SG013", message, table, col
    if col.identity and col.identity.options.cycle:
        yield path, "SG014", f"identity of '{table.name}.{col.name}' cycles: its values repeat", table, col


def lint(doc: Document, schema: m.Schema) -> list[Diagnostic]:
    out = []
    for path, code, message, owner, column in findings(doc, schema):
        silenced = {c for c, _ in owner.lint_ignore}
        silenced |= {c for c, _ in (column.lint_ignore if column else ())}
        if code not in silenced:
            out.append(_finding(doc, path, code, message))
    return sorted(out)
