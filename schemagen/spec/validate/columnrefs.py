"""What SQL expressions in schema.yaml refer to, read by PostgreSQL's parser (pglast):
the sequences a default draws from (nextval('name')), the columns a generated column
is computed from, and VALUE in a domain's CHECK. pglast is imported only when such
an expression exists, so schemas without them validate as quickly as before."""

from __future__ import annotations

from schemagen.diagnostics import did_you_mean
from schemagen.spec.validate.context import Checker

SEQUENCE_FUNCTIONS = ("nextval", "currval", "setval")


def _walk(text: str):
    """(function calls, column references) of one expression; None when it does not parse
    (PostgreSQL reports that itself when the script runs)."""
    from pglast import parse_sql
    from pglast.parser import ParseError
    from pglast.visitors import Visitor
    calls, columns = [], []

    class Collect(Visitor):
        def visit_FuncCall(self, parent, node):
            calls.append(node)

        def visit_ColumnRef(self, parent, node):
            columns.append(node)
    try:
        Collect()(parse_sql(f"SELECT {text}"))
    except ParseError:
        return None
    return calls, columns


def _sequence_argument(call) -> str | None:
    from pglast import ast
    arg = (call.args or (None,))[0]
    if isinstance(arg, ast.TypeCast):
        arg = arg.arg
    if isinstance(arg, ast.A_Const) and isinstance(arg.val, ast.String):
        return arg.val.sval
    return None


def sequence_references(ctx: Checker, schema: str, defaults, sequences: set[str]) -> None:
    """defaults: (yaml path, SQL text) of every default; each nextval('name') must name a
    sequence the schema declares or makes (serial, identity)."""
    for path, text in defaults:
        if not any(f in text.lower() for f in SEQUENCE_FUNCTIONS):
            continue
        found = _walk(text)
        for call in found[0] if found else ():
            if call.funcname[-1].sval not in SEQUENCE_FUNCTIONS:
                continue
            name = _sequence_argument(call)
            if name is not None:
                _check_sequence(ctx, schema, name.replace('"', ""), sequences, path)


def _check_sequence(ctx: Checker, schema: str, name: str, sequences: set[str], path: tuple) -> None:
    owner, _, bare = name.rpartition(".")
    if owner and owner != schema:
        ctx.error(path, f"sequence '{name}' is outside schema '{schema}', which schemagen manages")
    elif bare not in sequences:
        ctx.error(path, f"default uses sequence '{bare}', which is not declared under sequences:"
                        + did_you_mean(bare, sequences))
    elif not owner and schema != "public":
        ctx.error(path, f"write nextval('{schema}.{bare}'): an unqualified name is looked up on the "
                        f"search_path when schema.sql runs, and schema '{schema}' is not on it")


def generated_references(ctx: Checker, table: str, expression: str, columns: dict, path: tuple) -> None:
    """columns: name -> Column of the table. A generated column may use the table's
    ordinary columns only (PostgreSQL refuses generated ones and other tables)."""
    found = _walk(expression)
    for ref in found[1] if found else ():
        names = [f.sval for f in ref.fields if hasattr(f, "sval")]
        if len(names) != 1:
            ctx.error(path, f"generated column refers to '{'.'.join(names)}': it may use only columns "
                            f"of '{table}', by their bare names")
        elif names[0] not in columns:
            ctx.error(path, f"generated column refers to unknown column '{names[0]}'" + did_you_mean(names[0], columns))
        elif columns[names[0]].generated is not None:
            ctx.error(path, f"generated column refers to '{names[0]}', another generated column "
                            "(PostgreSQL does not allow that)")


def domain_check(ctx: Checker, domain: str, expression: str, path: tuple) -> None:
    found = _walk(expression)
    for ref in found[1] if found else ():
        names = [f.sval for f in ref.fields if hasattr(f, "sval")]
        if names != ["value"]:
            ctx.error(path, f"a CHECK of domain '{domain}' can refer only to VALUE, not '{'.'.join(names)}'")
