"""Views and materialized views: the query read by PostgreSQL's parser (one SELECT; what it
reads, from the parse tree's RangeVar nodes), the options that belong to one kind only,
declared columns, indexes of materialized views, and the order views are created in."""

from __future__ import annotations

import json
from dataclasses import replace

from schemagen.diagnostics import did_you_mean
from schemagen.spec import model as m
from schemagen.spec import naming
from schemagen.spec.expressions import char_offset, range_vars
from schemagen.spec.shapes_views import ViewSpec
from schemagen.spec.types import TypeError_, parse_type
from schemagen.spec.validate.context import Checker
from schemagen.spec.validate.indexes import index
from schemagen.spec.validate.schemas import place

PLAIN_ONLY = ("security_barrier", "security_invoker", "check_option")
MATERIALIZED_ONLY = ("with_data", "indexes")


def views(ctx: Checker, raw: dict, schema: str, tables: set, others: dict) -> list[m.View]:
    """others: name -> what it is (enums, domains, sequences), for names views cannot share."""
    out = {}
    for name, data in raw.items():  # placed first: a view may read a view of another schema
        ctx.placed[name] = place(ctx, data, ("views", name), schema) or schema
    for name, data in raw.items():
        path = ("views", name)
        ctx.identifier(name, path, "view", key=True)
        if name in tables or name in others:
            what = f"table '{name}'" if name in tables else others[name]
            ctx.error(path, f"view '{name}' has the same name as {what} (a view is a relation with a row "
                            "type: it shares the namespace of tables and types)", key=True)
        spec = ctx.spec(ViewSpec, data, path)
        if spec is not None:
            placed = ctx.placed[name]
            out[name] = replace(view(ctx, name, spec, data, placed, set(tables) | set(raw)),
                                schema="" if placed == schema else placed)
    return ordered(ctx, out)


def view(ctx: Checker, name: str, spec: ViewSpec, data: dict, schema: str, relations: set) -> m.View:
    path = ("views", name)
    kind_options(ctx, spec, data, path)
    query = spec.query.rstrip().rstrip(";").rstrip()
    reads, unqualified = query_reads(ctx, name, query, schema, relations, path + ("query",))
    columns = tuple(view_column(ctx, c, cspec, path + ("columns", c)) for c, cspec in spec.columns.items())
    indexes = ()
    if spec.materialized and spec.indexes:
        if not columns:
            ctx.error(path + ("indexes",), f"materialized view '{name}' has indexes: declare its columns: so "
                                           "their names and types can be checked")
        else:
            as_table = {c.name: m.Column(c.name, c.type, True) for c in columns}
            indexes = tuple(index(ctx, name, as_table, ix, path + ("indexes", i)) for i, ix in enumerate(spec.indexes))
    module = spec.module or name
    keyed = any(c.primary_key for c in columns)
    return m.View(name, query, reads, spec.comment, columns, spec.materialized, spec.security_barrier,
                  spec.security_invoker, spec.check_option, spec.with_data, indexes, module,
                  (spec.class_ or naming.model_class_name(module)) if keyed else "",
                  ctx.lint_ignore(spec.lint, path + ("lint", "ignore")), qualify(query, schema, unqualified))


def qualify(query: str, schema: str, offsets: list) -> str:
    """The query with the schema written before each name of the file's relations (at the
    parser's locations), so the DDL does not depend on search_path. offsets: character offsets
    (in `schema`) or (offset, the relation's own schema)."""
    for offset, where in sorted({o if isinstance(o, tuple) else (o, schema) for o in offsets}, reverse=True):
        query = query[:offset] + '"' + where.replace('"', '""') + '".' + query[offset:]
    return query


def kind_options(ctx: Checker, spec: ViewSpec, data: dict, path: tuple) -> None:
    """Options that PostgreSQL accepts on one kind of view only."""
    wrong = PLAIN_ONLY if spec.materialized else MATERIALIZED_ONLY
    for key in wrong:
        if key in data:
            kind = "plain views" if spec.materialized else "materialized views (materialized: true)"
            ctx.error(path + (key,), f"{key} applies to {kind} only", key=True)


def view_column(ctx: Checker, name: str, spec, path: tuple) -> m.ViewColumn:
    ctx.identifier(name, path, "column", key=True)
    try:
        ctype = parse_type(spec.type, set(ctx.enum_values), ctx.domains)
    except TypeError_ as exc:
        ctx.error(path + ("type",), str(exc))
        ctype = parse_type("text", ())
    return m.ViewColumn(name, ctype, spec.comment, spec.primary_key, naming.attribute_name(name))


def query_reads(ctx: Checker, name: str, query: str, schema: str, relations: set, path: tuple
                ) -> tuple[tuple[str, ...], list[int]]:
    """The relations of this schema the query names, each checked to exist, and where the query
    names them without a schema (character offsets)."""
    if not query.strip():
        ctx.error(path, f"the query of view '{name}' is empty")
        return (), []
    from pglast import parser  # PostgreSQL's parser: imported by the commands that validate
    try:
        statements = json.loads(parser.parse_sql_json(query))["stmts"]
    except parser.ParseError as exc:
        location = exc.args[1] if len(exc.args) > 1 else 0
        ctx.error_in_value(path, query, char_offset(query, location), f"not a valid query: {exc.args[0]}")
        return (), []
    if len(statements) != 1:
        ctx.error_in_value(path, query, char_offset(query, statements[1].get("stmt_location", 0)),
                           "a view's query is one SELECT statement; this is a second statement")
        return (), []
    stmt = statements[0]["stmt"]
    kind = next(iter(stmt))
    if kind != "SelectStmt" or stmt[kind].get("intoClause"):
        what = "SELECT ... INTO" if kind == "SelectStmt" else kind.removesuffix("Stmt").upper()
        ctx.error(path, f"a view's query is one SELECT statement, not {what}")
        return (), []
    ctes, found = set(), []
    range_vars(stmt, ctes, found)
    reads, unqualified = [], []
    for rv in found:
        named = rv.get("schemaname")
        if (named is not None and named not in (ctx.schema_names or {schema})) or rv["relname"] in ctes:
            continue  # another schema's relation (pg_catalog, ...), or a WITH query's name
        where = ctx.placed.get(rv["relname"], schema)
        if named is not None and rv["relname"] in relations and named != where:
            ctx.error_in_value(path, query, char_offset(query, rv.get("location", 0)),
                               f"'{rv['relname']}' is in schema '{where}', not '{named}': "
                               f"write {where}.{rv['relname']}")
        elif rv["relname"] not in relations:
            ctx.error_in_value(path, query, char_offset(query, rv.get("location", 0)),
                               f"view '{name}' reads unknown table or view '{rv['relname']}'"
                               + did_you_mean(rv["relname"], relations))
        elif rv["relname"] not in reads:
            reads.append(rv["relname"])
        if "schemaname" not in rv and rv["relname"] in relations:
            unqualified.append((char_offset(query, rv["location"]), where))
    return tuple(reads), unqualified


def ordered(ctx: Checker, views: dict[str, m.View]) -> list[m.View]:
    """Views after the views they read, in file order where free; a cycle is an error."""
    out, done, remaining = [], set(), list(views.values())
    while remaining:
        ready = next((v for v in remaining if all(r in done or r not in views for r in v.reads)), None)
        if ready is None:
            names = ", ".join(v.name for v in remaining)
            ctx.error(("views", remaining[0].name), f"views read each other in a cycle: {names}")
            return out
        remaining.remove(ready)
        done.add(ready.name)
        out.append(ready)
    return out
