"""Functions and procedures: argument and return types (column types, this schema's row types,
pseudo-types), overloads told apart by their input types, SET options, and the body read by
PostgreSQL's parser (SQL statements by pglast's parser, PL/pgSQL by `pglast.parse_plpgsql`)."""

from __future__ import annotations

import json
import re

from schemagen.diagnostics import did_you_mean
from schemagen.spec import model as m
from schemagen.spec.expressions import char_offset, range_vars
from schemagen.spec.shapes_functions import FunctionSpec, ReturnsTableSpec
from schemagen.spec.types import TypeError_, known_names, parse_type
from schemagen.spec.validate.context import Checker

PSEUDO = ("trigger", "event_trigger", "void", "record", "anyelement", "anyarray", "anynonarray", "anyenum",
          "anyrange", "anymultirange", "anycompatible", "anycompatiblearray", "anycompatiblenonarray",
          "anycompatiblerange", "internal", "cstring")
SETTING = re.compile(r"^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$")


def functions(ctx: Checker, raw: dict, schema: str, relations: dict) -> list[m.Function]:
    """relations: name -> 'table' or 'view' (row types; what SQL bodies may read)."""
    out: list[m.Function] = []
    for name, data in raw.items():
        ctx.identifier(name, ("functions", name), "function", key=True)
        overloads = data if isinstance(data, list) else [data]
        seen: dict[tuple, int] = {}
        for i, item in enumerate(overloads):
            path = ("functions", name, i) if isinstance(data, list) else ("functions", name)
            spec = ctx.spec(FunctionSpec, item, path)
            if spec is None:
                continue
            fn = function(ctx, name, spec, path, schema, relations, i)
            key = tuple(t.key for t in fn.signature)
            if key in seen:
                ctx.error(path, f"function '{name}({', '.join(key)})' is declared twice: overloads differ "
                                "in the types of their input arguments")
            seen.setdefault(key, i)
            out.append(fn)
    return out


def routine_type(ctx: Checker, text: str, path: tuple, relations: dict, *, setof_ok: bool = False) -> m.RoutineType:
    spelling = " ".join(text.split())
    setof = spelling.lower().startswith("setof ")
    if setof:
        spelling = spelling[6:].strip()
        if not setof_ok:
            ctx.error(path, "SETOF is for a function's return type only")
    if spelling in relations:
        return m.RoutineType(relation=spelling, setof=setof)
    if spelling.lower() in PSEUDO:
        return m.RoutineType(pseudo=spelling.lower(), setof=setof)
    try:
        return m.RoutineType(ctype=parse_type(spelling, set(ctx.enum_values), ctx.domains), setof=setof)
    except TypeError_ as exc:
        known = known_names(ctx.enum_values, ctx.domains) + list(relations) + list(PSEUDO)
        hint = did_you_mean(spelling, known) if str(exc).startswith("unknown type") else ""
        ctx.error(path, str(exc) + hint)
        return m.RoutineType(pseudo="void", setof=setof)


def function(ctx: Checker, name: str, spec: FunctionSpec, path: tuple, schema: str, relations: dict,
             overload: int) -> m.Function:
    args = tuple(argument(ctx, a, path + ("arguments", i), relations) for i, a in enumerate(spec.arguments))
    seen: set[str] = set()
    for i, a in enumerate(args):
        if a.name and a.name in seen:
            ctx.error(path + ("arguments", i, "name"), f"argument '{a.name}' is named twice")
        seen.add(a.name)
    if any(a.default is not None for a in args):
        first = next(i for i, a in enumerate(args) if a.default is not None)
        for i, a in enumerate(args[first:], first):
            if a.is_input and a.mode != "variadic" and a.default is None:
                ctx.error(path + ("arguments", i), "an input argument after one with a default needs a default too")
    returns, table = _returns(ctx, spec, path, relations)
    body = spec.body.strip("\n")
    reads_views = _body(ctx, spec, body, path + ("body",), schema, relations)
    settings = tuple(_setting(ctx, k, v, path + ("set", k)) for k, v in spec.set.items())
    return m.Function(name, spec.language, body, args, returns, table, spec.procedure, spec.volatility,
                      spec.strict, spec.security_definer, spec.parallel, settings, spec.comment,
                      ctx.lint_ignore(spec.lint, path + ("lint", "ignore")), reads_views, overload)


def argument(ctx: Checker, spec, path: tuple, relations: dict) -> m.Argument:
    if spec.name is not None:
        ctx.identifier(spec.name, path + ("name",), "argument")
    default = spec.default
    if isinstance(default, bool):
        default = "true" if default else "false"
    elif isinstance(default, (int, float)):
        default = repr(default)
    elif isinstance(default, str):
        ctx.expression(default, path + ("default",), default=True)
    if default is not None and spec.mode == "out":
        ctx.error(path + ("default",), "an OUT argument takes no default")
    return m.Argument(spec.name, routine_type(ctx, spec.type, path + ("type",), relations), spec.mode, default)


def _returns(ctx: Checker, spec: FunctionSpec, path: tuple, relations: dict):
    if spec.procedure:
        if spec.returns is not None:
            ctx.error(path + ("returns",), "a procedure returns nothing (use INOUT or OUT arguments)")
        for key in ("volatility", "strict", "parallel"):
            if key in spec.model_fields_set:
                ctx.error(path + (key,), f"{key} applies to functions only, not to procedures")
        return None, ()
    if spec.returns is None:
        ctx.error(path, "a function needs `returns:` (a type, 'setof <type>', or {table: {column: type}}); "
                        "write `procedure: true` for a procedure")
        return m.RoutineType(pseudo="void"), ()
    if isinstance(spec.returns, ReturnsTableSpec):
        table = tuple((c, routine_type(ctx, t, path + ("returns", "table", c), relations))
                      for c, t in spec.returns.table.items())
        for c, _ in table:
            ctx.identifier(c, path + ("returns", "table", c), "column", key=True)
        return None, table
    return routine_type(ctx, spec.returns, path + ("returns",), relations, setof_ok=True), ()


def _setting(ctx: Checker, name: str, value, path: tuple) -> tuple[str, tuple[str, ...]]:
    if not SETTING.match(name):
        ctx.error(path, f"invalid setting name '{name}'", key=True)
    if isinstance(value, bool):
        return name, ("on" if value else "off",)
    if isinstance(value, list):
        return name, tuple(value)
    if name == "search_path":
        return name, tuple(part.strip() for part in str(value).split(",") if part.strip())
    return name, (str(value),)


def _body(ctx: Checker, spec: FunctionSpec, body: str, path: tuple, schema: str, relations: dict) -> bool:
    """Syntax errors where PostgreSQL's parser finds them; for SQL bodies, the relations of this
    schema they name must exist. Returns whether an SQL body reads a view."""
    if not body.strip():
        ctx.error(path, "the body is empty")
        return False
    from pglast import parse_plpgsql, parser  # imported by the commands that validate
    if spec.language == "plpgsql":
        try:
            parse_plpgsql(_header(spec) + f" LANGUAGE plpgsql AS {_quote(body)}")
        except parser.ParseError as exc:
            ctx.error(path, f"not valid PL/pgSQL: {exc.args[0]}")
        except Exception:  # noqa: BLE001 - a header pglast cannot read (a type spelling) leaves the body unchecked
            pass
        return False
    try:
        statements = json.loads(parser.parse_sql_json(body))["stmts"]
    except parser.ParseError as exc:
        location = exc.args[1] if len(exc.args) > 1 and exc.args[1] else 0
        ctx.error_in_value(path, body, char_offset(body, location), f"not valid SQL: {exc.args[0]}")
        return False
    ctes: set = set()
    found: list = []
    range_vars(statements, ctes, found)
    reads_views = False
    for rv in found:
        if rv.get("schemaname", schema) != schema or rv["relname"] in ctes or rv["relname"].startswith("pg_"):
            continue
        if rv["relname"] not in relations:
            ctx.error_in_value(path, body, char_offset(body, rv.get("location", 0)),
                               f"the body names unknown table or view '{rv['relname']}'"
                               + did_you_mean(rv["relname"], relations))
        elif "schemaname" not in rv and schema != "public" and "search_path" not in spec.set:
            ctx.error_in_value(path, body, char_offset(body, rv.get("location", 0)),
                               f"write {schema}.{rv['relname']}: the body is read with the caller's search_path "
                               "(or give the function `set: {search_path: ...}`)")
        reads_views |= relations.get(rv["relname"]) == "view"
    return reads_views


def _header(spec: FunctionSpec) -> str:
    """CREATE FUNCTION f(...) RETURNS ...: PL/pgSQL knows the arguments and OUT columns as
    variables. Every type is written as text (pglast has no catalog to look types up in); only
    void and trigger change what the body may do."""
    args = ", ".join(f"{'in' if a.mode == 'variadic' else a.mode} {a.name or ''} text" for a in spec.arguments)
    if spec.procedure:
        return f"CREATE PROCEDURE f({args})"
    if isinstance(spec.returns, ReturnsTableSpec):
        return f"CREATE FUNCTION f({args}) RETURNS TABLE(" + ", ".join(f"{c} text" for c in spec.returns.table) + ")"
    written = " ".join((spec.returns or "void").lower().split())
    setof = "SETOF " if written.startswith("setof ") else ""
    outs = sum(a.mode in ("out", "inout") for a in spec.arguments)
    returns = written if written in ("void", "trigger", "event_trigger") else (
        "record" if outs > 1 or (setof and written.endswith("record")) else "text")
    return f"CREATE FUNCTION f({args}) RETURNS {setof}{returns}"


def _quote(body: str) -> str:
    """The body dollar-quoted with a tag it does not contain."""
    tag = "$$"
    n = 0
    while tag in body:
        n += 1
        tag = f"$body{n if n > 1 else ''}$"
    return f"{tag}{body}{tag}"
