"""Expressions and operators inside index, exclusion and partition key elements, read
by PostgreSQL's own parser (pglast): the label PostgreSQL would give an expression in a
derived name, and whether an operator is one operator (spec/expressions.py reads the
expressions themselves).

Imported only when a schema has such elements (pglast takes a while to import).
"""

from __future__ import annotations


def _parse_expression(text: str):
    """The expression's parse tree, or None when it is not one expression."""
    from pglast import parse_sql
    from pglast.parser import ParseError
    try:
        statements = parse_sql(f"SELECT ({text})")
    except ParseError:
        return None
    if len(statements) != 1:
        return None
    targets = getattr(statements[0].stmt, "targetList", None) or ()
    return targets[0].val if len(targets) == 1 else None


def label(text: str) -> str:
    """What PostgreSQL calls an expression in a derived index name (FigureColname):
    lower(email) -> 'lower', a cast or collation -> what it applies to, else 'expr'."""
    from pglast import ast
    node = _parse_expression(text)
    while node is not None:
        if isinstance(node, ast.FuncCall):
            return node.funcname[-1].sval
        if isinstance(node, ast.ColumnRef) and isinstance(node.fields[-1], ast.String):
            return node.fields[-1].sval
        if isinstance(node, (ast.TypeCast, ast.CollateClause)):
            node = node.arg
            continue
        if isinstance(node, ast.CoalesceExpr):
            return "coalesce"
        if isinstance(node, ast.CaseExpr):
            return "case"
        break
    return "expr"


def operator_problem(text: str) -> str | None:
    """Why text is not one operator (e.g. '=', '&&', OPERATOR(pg_catalog.=)), or None."""
    from pglast import ast
    node = _parse_expression(f"a {text} b") if text.strip() else None
    from pglast.enums import A_Expr_Kind
    if not isinstance(node, ast.A_Expr) or node.kind != A_Expr_Kind.AEXPR_OP:
        return f"'{text}' is not an operator (e.g. '=' or '&&')"
    if not isinstance(node.lexpr, ast.ColumnRef) or not isinstance(node.rexpr, ast.ColumnRef):
        return f"'{text}' is not an operator (e.g. '=' or '&&')"
    return None
