"""DDL of functions, procedures, triggers and aggregates, every name of this schema qualified
(through sqltext, as views do) so nothing depends on search_path when it is created."""

from __future__ import annotations

from schemagen.render.sqltext import ident, literal, qualified, sql_type
from schemagen.spec import model as m


def type_sql(schema: m.Schema, t: m.RoutineType) -> str:
    setof = "SETOF " if t.setof else ""
    if t.pseudo:
        return setof + t.pseudo
    if t.relation:
        return setof + qualified(schema, t.relation)
    return setof + sql_type(schema, t.ctype)


def _argument(schema: m.Schema, a: m.Argument, *, defaults: bool = True) -> str:
    parts = [] if a.mode == "in" else [a.mode.upper()]
    parts += [ident(a.name)] if a.name else []
    parts.append(type_sql(schema, a.type))
    if defaults and a.default is not None:
        parts.append(f"DEFAULT {a.default}")
    return " ".join(parts)


def signature(schema: m.Schema, fn: m.Function) -> str:
    """name(input types): what COMMENT, DROP and GRANT name the function by."""
    return f"{qualified(schema, fn.name)}({', '.join(type_sql(schema, t) for t in fn.signature)})"


def dollar_quote(body: str) -> str:
    """The body between dollar quotes whose tag it does not contain."""
    tag, n = "$$", 1
    while tag in body:
        n += 1
        tag = f"$body{n if n > 2 else ''}$"
    return f"{tag}\n{body}\n{tag}"


def _setting(name: str, values: tuple[str, ...]) -> str:
    if name == "search_path":
        return f"SET {name} = " + ", ".join(ident(v) for v in values)
    return f"SET {name} = {literal(values[0])}"


def create_function(schema: m.Schema, fn: m.Function) -> list[str]:
    arguments = ", ".join(_argument(schema, a) for a in fn.arguments)
    head = f"CREATE {fn.kind.upper()} {qualified(schema, fn.name)}({arguments})"
    if fn.returns_table:
        head += " RETURNS TABLE(" + ", ".join(f"{ident(c)} {type_sql(schema, t)}" for c, t in fn.returns_table) + ")"
    elif fn.returns is not None:
        head += f" RETURNS {type_sql(schema, fn.returns)}"
    options = [f"LANGUAGE {fn.language}"]
    if not fn.procedure:
        options += [fn.volatility.upper()] if fn.volatility != "volatile" else []
        options += ["STRICT"] if fn.strict else []
        options += [f"PARALLEL {fn.parallel.upper()}"] if fn.parallel != "unsafe" else []
    options += ["SECURITY DEFINER"] if fn.security_definer else []
    lines = [head, "    " + " ".join(options)]
    lines += ["    " + _setting(k, v) for k, v in fn.settings]
    lines.append(f"AS {dollar_quote(fn.body)}")
    out = ["\n".join(lines)]
    if fn.comment:
        out.append(f"COMMENT ON {fn.kind.upper()} {signature(schema, fn)} IS {literal(fn.comment)}")
    return out


def drop_function(schema: m.Schema, fn: m.Function) -> str:
    return f"DROP {fn.kind.upper()} IF EXISTS {signature(schema, fn)}"


def create_trigger(schema: m.Schema, trig: m.Trigger) -> list[str]:
    events = []
    for e in trig.events:
        cols = f" OF {', '.join(ident(c) for c in trig.update_of)}" if e == "update" and trig.update_of else ""
        events.append(e.upper() + cols)
    on = qualified(schema, trig.on)
    sql = f"CREATE TRIGGER {ident(trig.name)} {trig.timing.upper()} {' OR '.join(events)} ON {on}"
    refs = [f"{w} TABLE AS {ident(n)}" for w, n in (("OLD", trig.old_table), ("NEW", trig.new_table)) if n]
    sql += f"\n    REFERENCING {' '.join(refs)}" if refs else ""
    sql += f"\n    FOR EACH {trig.for_each.upper()}"
    sql += f"\n    WHEN ({trig.when})" if trig.when else ""
    function = (f"{ident(trig.function_schema)}.{ident(trig.function)}" if trig.function_schema
                else qualified(schema, trig.function))
    sql += f"\n    EXECUTE FUNCTION {function}({', '.join(literal(a) for a in trig.arguments)})"
    out = [sql]
    if trig.comment:
        out.append(f"COMMENT ON TRIGGER {ident(trig.name)} ON {qualified(schema, trig.on)} IS {literal(trig.comment)}")
    return out


def _support(schema: m.Schema, agg: m.Aggregate, key: str) -> str:
    written = getattr(agg, key)
    return qualified(schema, written) if key in agg.declared else written


def create_aggregate(schema: m.Schema, agg: m.Aggregate) -> list[str]:
    opts = [f"SFUNC = {_support(schema, agg, 'sfunc')}", f"STYPE = {type_sql(schema, agg.stype)}"]
    opts += [f"FINALFUNC = {_support(schema, agg, 'finalfunc')}"] if agg.finalfunc else []
    opts += [f"INITCOND = {literal(agg.initcond)}"] if agg.initcond is not None else []
    opts += [f"PARALLEL = {agg.parallel.upper()}"] if agg.parallel != "unsafe" else []
    args = ", ".join(type_sql(schema, t) for t in agg.arguments)
    out = [f"CREATE AGGREGATE {qualified(schema, agg.name)}({args}) (\n    " + ",\n    ".join(opts) + "\n)"]
    if agg.comment:
        out.append(f"COMMENT ON AGGREGATE {qualified(schema, agg.name)}({args}) IS {literal(agg.comment)}")
    return out


def drop_aggregate(schema: m.Schema, agg: m.Aggregate) -> str:
    arguments = ", ".join(type_sql(schema, t) for t in agg.arguments)
    return f"DROP AGGREGATE IF EXISTS {qualified(schema, agg.name)}({arguments})"


def before_views(schema: m.Schema) -> list[str]:
    """Functions (after the tables: an SQL body is checked against them when it is created),
    then aggregates over them."""
    out = [s for f in schema.functions if not f.reads_views for s in create_function(schema, f)]
    return out + [s for a in schema.aggregates for s in create_aggregate(schema, a)]


def after_views(schema: m.Schema) -> list[str]:
    """Functions whose SQL body reads a view, then every trigger (INSTEAD OF triggers are on views)."""
    out = [s for f in schema.functions if f.reads_views for s in create_function(schema, f)]
    return out + [s for t in schema.triggers for s in create_trigger(schema, t)]


def routine_only_enums(schema: m.Schema) -> list[m.Enum]:
    """Enums only functions and aggregates use: the models' create_all makes the others with the
    tables (and domains) that use them, so these are made (and dropped) with the routines."""
    used = {c.type.name for t in schema.tables for c in t.columns if c.type.is_enum}
    used |= {d.type.name for d in schema.domains if d.type.is_enum}
    types = [a.type for f in schema.functions for a in f.arguments] + [f.returns for f in schema.functions]
    types += [t for f in schema.functions for _, t in f.returns_table]
    types += [t for a in schema.aggregates for t in (*a.arguments, a.stype)]
    named = {t.ctype.name for t in types if t is not None and t.ctype is not None and t.ctype.is_enum}
    return [e for e in schema.enums if e.name in named - used]


def drops(schema: m.Schema) -> list[str]:
    """What drop_all must drop before the tables: triggers (on tables; a view's go with the view),
    aggregates, then functions (one taking a table's row type would keep the table)."""
    views = {v.name for v in schema.views}
    return ([f"DROP TRIGGER IF EXISTS {ident(t.name)} ON {qualified(schema, t.on)}" for t in reversed(schema.triggers)
             if t.on not in views]
            + [drop_aggregate(schema, a) for a in reversed(schema.aggregates)]
            + [drop_function(schema, f) for f in reversed(schema.functions)]
            + [f"DROP TYPE IF EXISTS {qualified(schema, e.name)}" for e in routine_only_enums(schema)])
