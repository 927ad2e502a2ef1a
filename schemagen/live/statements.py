"""The diff engine's statements read with PostgreSQL's own parser (pglast), for the
statement kinds this project added: what a new column computes for every existing row
(which makes PostgreSQL rewrite the table), and which sequence, extension or type a
statement creates or drops."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=4096)
def parsed(sql: str):
    """The statement's parse tree, or None when pglast cannot read it."""
    from pglast import parse_sql
    from pglast.parser import ParseError
    try:
        statements = parse_sql(sql)
    except ParseError:
        return None
    return statements[0].stmt if len(statements) == 1 else None


def kind(sql: str) -> str:
    """The parse node's name (CreateSeqStmt, DropStmt, ...), '' when unreadable."""
    node = parsed(sql)
    return type(node).__name__ if node is not None else ""


def created_sequence(sql: str) -> str | None:
    node = parsed(sql)
    return node.sequence.relname if kind(sql) == "CreateSeqStmt" else None


def created_enum(sql: str) -> str | None:
    node = parsed(sql)
    return node.typeName[-1].sval if kind(sql) == "CreateEnumStmt" else None


def dropped(sql: str, what: str) -> list[str]:
    """Names a DROP statement of `what` (sequence, extension, type) removes, without their schema."""
    from pglast.enums import ObjectType
    node = parsed(sql)
    wanted = {"sequence": ObjectType.OBJECT_SEQUENCE, "extension": ObjectType.OBJECT_EXTENSION,
              "type": ObjectType.OBJECT_TYPE}[what]
    if kind(sql) != "DropStmt" or node.removeType != wanted:
        return []
    out = []
    for obj in node.objects:
        items = getattr(obj, "names", None) or (obj if isinstance(obj, tuple) else (obj,))
        out.append(getattr(items[-1], "sval", str(items[-1])))
    return out


def _walk_calls(expr) -> list[str]:
    from pglast.visitors import Visitor
    names: list[str] = []

    class Calls(Visitor):
        def visit_FuncCall(self, parent, node):
            names.append(node.funcname[-1].sval)
    Calls()(expr)
    return names


def added_column_values(sql: str) -> list[tuple[str, str, list[str]]]:
    """(column, 'identity' | 'generated' | 'default', functions called) for each column an
    ALTER TABLE ... ADD COLUMN gives a value per row."""
    from pglast.enums import AlterTableType, ConstrType
    node = parsed(sql)
    if kind(sql) != "AlterTableStmt":
        return []
    out = []
    for cmd in node.cmds:
        if cmd.subtype != AlterTableType.AT_AddColumn:
            continue
        for constraint in cmd.def_.constraints or ():
            if constraint.contype == ConstrType.CONSTR_IDENTITY:
                out.append((cmd.def_.colname, "identity", []))
            elif constraint.contype == ConstrType.CONSTR_GENERATED:
                out.append((cmd.def_.colname, "generated", []))
            elif constraint.contype == ConstrType.CONSTR_DEFAULT:
                out.append((cmd.def_.colname, "default", _walk_calls(constraint.raw_expr)))
    return out


def column_change(sql: str) -> tuple[str, str, str] | None:
    """(table, 'drop' | 'alter' | 'add', column) for an ALTER TABLE with one column command."""
    from pglast.enums import AlterTableType
    node = parsed(sql)
    if kind(sql) != "AlterTableStmt" or len(node.cmds) != 1:
        return None
    cmd = node.cmds[0]
    what = {AlterTableType.AT_DropColumn: "drop", AlterTableType.AT_AddColumn: "add"}.get(cmd.subtype, "alter")
    column = cmd.def_.colname if what == "add" else cmd.name
    return (node.relation.relname, what, column) if column else None
