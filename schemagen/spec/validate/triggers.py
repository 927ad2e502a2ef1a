"""Triggers (`triggers: {table or view: {trigger name: ...}}`): what PostgreSQL allows for each
timing and level, the columns of UPDATE OF and of WHEN's OLD./NEW., and the function they call
(declared here and returning trigger, or an extension's or a built-in one, written schema.name)."""

from __future__ import annotations

from schemagen.diagnostics import did_you_mean
from schemagen.spec import model as m
from schemagen.spec.shapes_functions import TriggerSpec
from schemagen.spec.validate.context import Checker

EVENT_ORDER = ("insert", "update", "delete", "truncate")


def triggers(ctx: Checker, raw: dict, tables: dict, views: dict, functions: list[m.Function],
             extension_schemas: set) -> list[m.Trigger]:
    """tables, views: name -> columns (names); extension_schemas: schemas an extension's functions may be in."""
    out = []
    for on, items in raw.items():
        if on not in tables and on not in views:
            ctx.error(("triggers", on), f"triggers on unknown table or view '{on}'"
                      + did_you_mean(on, list(tables) + list(views)), key=True)
            continue
        if not isinstance(items, dict):
            ctx.error(("triggers", on), "triggers of a table are a mapping: trigger name -> its definition")
            continue
        for name, data in items.items():
            path = ("triggers", on, name)
            ctx.identifier(name, path, "trigger", key=True)
            spec = ctx.spec(TriggerSpec, data, path)
            if spec is not None:
                out.append(trigger(ctx, name, on, spec, path, tables.get(on), functions, extension_schemas))
    return out


def trigger(ctx: Checker, name: str, on: str, spec: TriggerSpec, path: tuple, columns: list | None,
            functions: list[m.Function], extension_schemas: set) -> m.Trigger:
    """columns: the table's columns, None for a view."""
    events = tuple(e for e in EVENT_ORDER if e in spec.events)
    if spec.update_of and "update" not in events:
        events = tuple(e for e in EVENT_ORDER if e in events or e == "update")
    _rules(ctx, spec, path, events, columns is None, on)
    if columns is not None:
        ctx.column_list(on, {c: c for c in columns}, spec.update_of, path + ("update_of",))
    refs = ctx.expression(spec.when, path + ("when",)).columns if spec.when else ()
    for ref in refs:
        if ref.qualifier not in ("old", "new"):
            continue
        if spec.for_each != "row":
            ctx.error_in_value(path + ("when",), spec.when, ref.offset,
                               "a FOR EACH STATEMENT trigger's WHEN cannot name OLD or NEW columns")
            break
        elif columns is not None and ref.name not in columns:
            ctx.error_in_value(path + ("when",), spec.when, ref.offset,
                               f"table '{on}' has no column '{ref.name}'" + did_you_mean(ref.name, columns))
    schema_name, fname = _function(ctx, spec.function, path + ("function",), functions, extension_schemas)
    return m.Trigger(name, on, spec.timing, events, tuple(spec.update_of), spec.for_each, spec.when,
                     spec.referencing.get("old_table"), spec.referencing.get("new_table"), fname, schema_name,
                     tuple(spec.arguments), spec.comment)


def _rules(ctx: Checker, spec: TriggerSpec, path: tuple, events: tuple, on_view: bool, on: str) -> None:
    """CREATE TRIGGER's own refusals, said before PostgreSQL says them."""
    row = spec.for_each == "row"
    if spec.timing == "instead of":
        if not on_view:
            ctx.error(path + ("timing",), f"INSTEAD OF triggers are for views; '{on}' is a table")
        if not row:
            ctx.error(path + ("for_each",), "INSTEAD OF triggers are FOR EACH ROW")
        if spec.when or spec.update_of:
            ctx.error(path, "INSTEAD OF triggers take no WHEN and no UPDATE OF columns")
    elif on_view and row:
        ctx.error(path + ("for_each",), f"'{on}' is a view: BEFORE and AFTER triggers on a view are FOR EACH "
                                        "STATEMENT (INSTEAD OF for rows)")
    if "truncate" in events and (row or on_view):
        ctx.error(path + ("events",), "TRUNCATE triggers are FOR EACH STATEMENT, on tables")
    if spec.referencing:
        if spec.timing != "after" or on_view:
            ctx.error(path + ("referencing",), "transition tables (referencing:) are for AFTER triggers on tables")
        if spec.update_of:
            ctx.error(path + ("referencing",), "transition tables cannot be used with UPDATE OF columns")
        if len(events) != 1 and row:
            ctx.error(path + ("referencing",), "a FOR EACH ROW trigger with transition tables has one event")
        if "old_table" in spec.referencing and not {"update", "delete"} & set(events):
            ctx.error(path + ("referencing", "old_table"), "old_table needs an UPDATE or DELETE event")
        if "new_table" in spec.referencing and not {"insert", "update"} & set(events):
            ctx.error(path + ("referencing", "new_table"), "new_table needs an INSERT or UPDATE event")
        for key, value in spec.referencing.items():
            ctx.identifier(value, path + ("referencing", key), "transition table")


def _function(ctx: Checker, written: str, path: tuple, functions: list[m.Function], extension_schemas: set
              ) -> tuple[str | None, str]:
    """(schema when not this one, function name)."""
    schema, dot, name = written.rpartition(".")
    if dot:
        if schema not in extension_schemas | {"pg_catalog"}:
            where = ", ".join(sorted(extension_schemas | {"pg_catalog"}))
            ctx.error(path, f"trigger function '{written}': a function of another schema must be a built-in or "
                            f"a declared extension's (schemas: {where})")
        return schema, name
    mine = [f for f in functions if f.name == written]
    if not mine:
        ctx.error(path, f"unknown trigger function '{written}': declare it under functions: (returns: trigger), "
                        "or write pg_catalog.<name> or <extension schema>.<name>"
                  + did_you_mean(written, sorted({f.name for f in functions})))
    elif not any(f.returns is not None and f.returns.pseudo == "trigger" and not f.signature for f in mine):
        ctx.error(path, f"function '{written}' is called by a trigger: it takes no arguments and returns trigger "
                        "(a trigger passes its arguments in TG_ARGV)")
    return None, written
