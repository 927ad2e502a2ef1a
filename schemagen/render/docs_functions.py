"""View-model of the functions, triggers and aggregates sections of generated/SCHEMA.md."""

from __future__ import annotations

from dataclasses import dataclass

from schemagen.spec import model as m


@dataclass(frozen=True)
class FunctionDoc:
    title: str                      # name(arguments) -> returns
    kind: str
    comment: str | None
    properties: tuple[str, ...]
    language: str
    body: str


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def _argument(a: m.Argument) -> str:
    words = ([a.mode.upper()] if a.mode != "in" else []) + ([a.name] if a.name else []) + [str(a.type)]
    return " ".join(words) + (f" = {a.default}" if a.default is not None else "")


def function_doc(fn: m.Function) -> FunctionDoc:
    title = f"{fn.name}({', '.join(_argument(a) for a in fn.arguments)})"
    if fn.returns_table:
        title += " → table(" + ", ".join(f"{c} {t}" for c, t in fn.returns_table) + ")"
    elif fn.returns is not None:
        title += f" → {fn.returns}"
    props = [fn.volatility] if not fn.procedure else []
    props += [label for label, on in (("strict", fn.strict), ("security definer", fn.security_definer),
                                      (f"parallel {fn.parallel}", fn.parallel != "unsafe")) if on]
    props += [f"set {k} = {', '.join(v)}" for k, v in fn.settings]
    return FunctionDoc(title, fn.kind, fn.comment, tuple(props), fn.language, fn.body)


def trigger_rows(schema: m.Schema) -> list[tuple[str, ...]]:
    """trigger, on, when it fires, condition, function, comment."""
    rows = []
    for t in schema.triggers:
        events = " or ".join(e + (f" of {', '.join(t.update_of)}" if e == "update" and t.update_of else "")
                             for e in t.events)
        fires = f"{t.timing} {events}, for each {t.for_each}"
        if t.old_table or t.new_table:
            fires += " (transition tables: " + ", ".join(f"{w} {n}" for w, n in (("old", t.old_table),
                                                                                 ("new", t.new_table)) if n) + ")"
        function = (f"{t.function_schema}." if t.function_schema else "") + t.function
        function += f"({', '.join(repr(a) for a in t.arguments)})" if t.arguments else "()"
        rows.append((t.name, t.on, _cell(fires), f"`{_cell(t.when)}`" if t.when else "", function, _cell(t.comment)))
    return rows


def aggregate_rows(schema: m.Schema) -> list[tuple[str, ...]]:
    """aggregate, state (function and type), final function, initial condition, comment."""
    return [(f"{a.name}({', '.join(str(t) for t in a.arguments)})", f"{a.sfunc} / {a.stype}", a.finalfunc or "",
             _cell(a.initcond), _cell(a.comment)) for a in schema.aggregates]
