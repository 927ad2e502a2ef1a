"""Catalog rows -> the schema.yaml structure, and the list of what it cannot hold."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from schemagen.spec import naming
from schemagen.spec.types import TypeError_, parse_type

ACTIONS = {"a": "no action", "r": "restrict", "c": "cascade", "n": "set null", "d": "set default"}
METHODS = ("btree", "hash", "gin", "gist", "spgist", "brin")
KINDS = {"p": "partitioned table", "v": "view", "m": "materialized view", "f": "foreign table"}


@dataclass
class Result:
    spec: dict
    left_out: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, qualified name, why)

    def leave_out(self, kind: str, name: str, why: str) -> None:
        self.left_out.append((kind, name, why))


def build(cat) -> Result:
    out = Result({})
    enums = {name: _enum(values, comment) for name, values, comment in cat.enums}
    tables, ids = {}, {}
    for oid, name, relkind, persistence, is_partition, reloptions, comment in cat.tables:
        where = f"{cat.schema}.{name}"
        if relkind != "r" or is_partition:
            out.leave_out("partition" if is_partition else KINDS[relkind], where,
                          "the format has no such object yet")
            continue
        if persistence == "u":
            out.leave_out("table property", where, "UNLOGGED (imported as a logged table)")
        if reloptions:
            out.leave_out("table property", where, f"storage parameters {', '.join(reloptions)}")
        ids[oid] = name
        tables[name] = {"comment": comment} if comment else {}
        tables[name]["columns"] = {}
    columns = _columns(cat, ids, tables, set(enums), out)
    _constraints(cat, ids, tables, columns, out)
    _indexes(cat, ids, tables, out)
    _triggers(cat, ids, tables, out)
    for name, kind in cat.other_types:
        out.leave_out({"d": "domain", "c": "composite type", "r": "range type", "m": "multirange type"}[kind],
                      f"{cat.schema}.{name}", "the format has no such object yet")
    for kind, name in cat.others:
        out.leave_out(kind, f"{cat.schema}.{name}", "the format has no such object yet")
    if cat.schema != "public":
        out.spec["schema"] = cat.schema
    if cat.schema_comment and cat.schema != "public":
        out.spec["comment"] = cat.schema_comment
    if enums:
        out.spec["enums"] = enums
    out.spec["tables"] = {name: _ordered(t) for name, t in tables.items() if t["columns"]}
    return out


def _enum(values, comment) -> dict:
    return ({"comment": comment} if comment else {}) | {"values": list(values)}


def _columns(cat, ids, tables, enum_names, out) -> dict:
    """{(table, column): format_type text}, filling each table's columns."""
    types = {}
    for (relid, name, _num, ftype, typtype, typname, type_schema, notnull, identity, generated, default,
         comment, own_collation, ndims) in cat.columns:
        table = ids.get(relid)
        if table is None:
            continue
        where = f"{cat.schema}.{table}.{name}"
        col = {"type": _type(ftype, typtype, typname, type_schema, cat.schema, enum_names)}
        if col["type"] is None:
            plain = _type(re.sub(r"\(\d+(,\d+)?\)", "", ftype), typtype, typname, type_schema, cat.schema, enum_names)
            col["type"] = plain or "text"
            out.leave_out("column type", where, f"type {ftype} (imported as {col['type']})")
        for flag, why in ((identity, "identity column"), (generated, "generated column"),
                          (own_collation, "a collation of its own"), (ndims, "an array type")):
            if flag:
                out.leave_out("column property", where, why)
        if not notnull:
            col["nullable"] = True
        if default is not None and not generated:  # a generated column's expression is no default
            if default.startswith("nextval("):
                out.leave_out("column property", where, f"serial default {default} (its sequence is not imported)")
            else:
                col["default"] = _default(default, ftype)
        if comment:
            col["comment"] = comment
        tables[table]["columns"][name] = col
        types[(table, name)] = ftype
    return types


def _type(ftype, typtype, typname, type_schema, schema, enum_names) -> str | None:
    if typtype == "e":
        return typname if type_schema == schema and typname in enum_names else None
    try:
        return str(parse_type(ftype, set()))
    except TypeError_:
        return None


_CAST = re.compile(r"^('(?:[^']|'')*')::(.+)$")


def _default(text: str, ftype: str):
    """PostgreSQL's deparsed default, as schema.yaml would write it: a literal cast to the
    column's own type loses the cast; true/false and plain numbers become YAML scalars."""
    m = _CAST.match(text)
    if m and m.group(2) in (ftype, ftype.split("(")[0]):
        return m.group(1)
    if text in ("true", "false"):
        return text == "true"
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    return text


def _constraints(cat, ids, tables, columns, out) -> None:
    for (relid, name, contype, deferrable, _deferred, match, upd, dele, validated, local, cols, ref_table,
         ref_schema, ref_cols, definition, comment, set_cols, nulls_nd) in cat.constraints:
        table = ids.get(relid)
        if table is None or not local:
            continue
        where = f"{cat.schema}.{table}.{name}"
        spec = tables[table]
        if contype == "p":
            _primary_key(spec, table, name, cols, out, where)
        elif contype == "u":
            if deferrable or nulls_nd:
                out.leave_out("constraint property", where, "DEFERRABLE" if deferrable else "NULLS NOT DISTINCT")
            _unique(spec, table, name, cols, comment)
        elif contype == "f":
            if ref_schema != cat.schema or ref_table not in tables:
                out.leave_out("foreign key", where, f"references {ref_schema}.{ref_table}, outside what is imported")
                continue
            for flag, why in ((deferrable, "DEFERRABLE"), (match == "f", "MATCH FULL"), (set_cols, "SET NULL (cols)"),
                              (not validated, "NOT VALID")):
                if flag:
                    out.leave_out("constraint property", where, why)
            _foreign_key(spec, tables[ref_table], table, name, cols, ref_table, ref_cols, ACTIONS[upd],
                         ACTIONS[dele], comment)
        elif contype == "c":
            _check(spec, table, name, definition, comment, validated, out, where)
        else:
            out.leave_out({"x": "exclusion constraint", "t": "constraint trigger"}.get(contype, "constraint"),
                          where, "the format has no such object yet")


def _primary_key(spec, table, name, cols, out, where) -> None:
    if name != naming.pk_name(table):
        out.leave_out("constraint name", where, f"the format names a primary key {naming.pk_name(table)}")
    if len(cols) == 1:
        spec["columns"][cols[0]]["primary_key"] = True
        spec["columns"][cols[0]].pop("nullable", None)
    else:
        spec["primary_key"] = list(cols)


def _unique(spec, table, name, cols, comment) -> None:
    if len(cols) == 1 and name == naming.unique_name(table, cols) and not comment:
        spec["columns"][cols[0]]["unique"] = True
        return
    entry = {"columns": list(cols)}
    if name != naming.unique_name(table, cols):
        entry["name"] = name
    if comment:
        entry["comment"] = comment
    spec.setdefault("unique", []).append(entry)


def _foreign_key(spec, ref_spec, table, name, cols, ref_table, ref_cols, on_update, on_delete, comment) -> None:
    ref_pk = ref_spec.get("primary_key") or [c for c, s in ref_spec["columns"].items() if s.get("primary_key")]
    entry = {"table": ref_table} if len(cols) == 1 else {"columns": list(cols), "references": {"table": ref_table}}
    if list(ref_cols) != list(ref_pk):
        if len(cols) == 1:
            entry["column"] = ref_cols[0]
        else:
            entry["references"]["columns"] = list(ref_cols)
    for key, action in (("on_delete", on_delete), ("on_update", on_update)):
        if action != "no action":
            entry[key] = action
    if name != naming.fk_name(table, cols):
        entry["name"] = name
    if comment:
        entry["comment"] = comment
    if len(cols) == 1 and "references" not in spec["columns"][cols[0]]:
        spec["columns"][cols[0]]["references"] = entry
    else:
        spec.setdefault("foreign_keys", []).append(entry)


def _check(spec, table, name, definition, comment, validated, out, where) -> None:
    short = name[len(table) + 1:-len("_check")] if name.startswith(table + "_") and name.endswith("_check") else None
    if not short or not validated:
        out.leave_out("check constraint", where, "NOT VALID" if short else
                      f"its name does not follow the format's {table}_<name>_check")
        return
    expression = definition[len("CHECK ("):-1] if definition.startswith("CHECK (") else definition
    entry = {"name": short, "expression": _unwrap(expression)}
    if comment:
        entry["comment"] = comment
    spec.setdefault("checks", []).append(entry)


def _unwrap(text: str) -> str:
    """(a > 0) -> a > 0, only when the outer parentheses enclose the whole expression."""
    while text.startswith("(") and text.endswith(")"):
        depth = 0
        for i, ch in enumerate(text):
            depth += ch == "("
            depth -= ch == ")"
            if depth == 0 and i < len(text) - 1:
                return text
        text = text[1:-1]
    return text


def _indexes(cat, ids, tables, out) -> None:
    for (relid, name, method, unique, nkey, natts, exprs, predicate, nnd, reloptions, _comment, cols, desc,
         nulls_first, default_opclass, default_collation, valid, backs) in cat.indexes:
        table = ids.get(relid)
        if table is None or backs:
            continue
        where = f"{cat.schema}.{name}"
        problems = [why for flag, why in ((exprs, "an expression element"), (natts > nkey, "INCLUDE columns"),
                                          (not all(default_opclass), "a non-default operator class"),
                                          (not all(default_collation), "a collation of its own"),
                                          (reloptions, "storage parameters"), (nnd, "NULLS NOT DISTINCT"),
                                          (method not in METHODS, f"method {method}"), (not valid, "INVALID"))
                    if flag]
        if problems:
            out.leave_out("index", where, ", ".join(problems))
            continue
        elements = []
        for col, d, nf in zip(cols[:nkey], desc, nulls_first, strict=False):
            element = {"column": col}
            if d:
                element["order"] = "desc"
            if method == "btree" and nf != bool(d):
                element["nulls"] = "first" if nf else "last"
            elements.append(col if len(element) == 1 else element)
        entry = {"columns": elements}
        if unique:
            entry["unique"] = True
        if predicate:
            entry["where"] = predicate
        if method != "btree":
            entry["method"] = method
        if name != naming.index_name(table, cols[:nkey]):
            entry["name"] = name
        tables[table].setdefault("indexes", []).append(entry)


_ASSIGN = re.compile(r'^    NEW\."((?:[^"]|"")+)" := (.*);$')


def _triggers(cat, ids, tables, out) -> None:
    """schemagen's own on_update triggers come back as `on_update:`; others are listed."""
    ours = set()
    for relid, trigger, function, function_schema, source, definition, _comment in cat.triggers:
        table = ids.get(relid)
        assignments = _on_update_body(source)
        expected = f"CREATE TRIGGER {naming.trigger_name(table)} BEFORE UPDATE ON" if table else None
        if (table and trigger == function == naming.trigger_name(table) and function_schema == cat.schema
                and assignments and definition.startswith(expected)
                and all(c in tables[table]["columns"] for c in assignments)):
            for column, expression in assignments.items():
                tables[table]["columns"][column]["on_update"] = expression
            ours.add(function)
            continue
        out.leave_out("trigger", f"{cat.schema}.{trigger}", "the format holds only its own on_update triggers")
    for name, args, kind in cat.functions:
        if name not in ours:
            out.leave_out("procedure" if kind == "p" else "aggregate" if kind == "a" else "function",
                          f"{cat.schema}.{name}({args})", "the format has no such object yet")


def _on_update_body(source: str) -> dict[str, str] | None:
    lines = source.strip("\n").split("\n")
    if len(lines) < 4 or lines[0] != "BEGIN" or lines[-2:] != ["    RETURN NEW;", "END"]:
        return None
    found = {}
    for line in lines[1:-2]:
        m = _ASSIGN.match(line)
        if not m:
            return None
        found[m.group(1).replace('""', '"')] = m.group(2)
    return found or None


_ORDER = ("comment", "columns", "primary_key", "foreign_keys", "unique", "checks", "indexes")


def _ordered(table: dict) -> dict:
    return {key: table[key] for key in _ORDER if key in table}
