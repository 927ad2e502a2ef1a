"""Functions and procedures the diff engine plans wrongly or not at all.

It compares a function's body, language, volatility, strictness, security and return type,
but not its SET options, PARALLEL, COST or ROWS: a function whose definition
(pg_get_functiondef) differs with no statement of the engine's for it is made again from the
target's definition (`missed`).

The diff engine writes a changed function as CREATE OR REPLACE. PostgreSQL refuses that when
the return type (RETURNS TABLE and OUT arguments included), an input argument's name, the kind
(function or procedure) changes, or a default is removed: the function must be dropped and
made again. Both definitions are read with PostgreSQL's parser (pglast); such a function gets
a DROP before its CREATE, in the same transaction, unless the engine already drops it.
"""

from __future__ import annotations

from pglast import ast, parse_sql
from pglast.stream import RawStream

from schemagen.live.pgcatalog import Catalog
from schemagen.live.plan import Step
from schemagen.live.sqlnames import qualified
from schemagen.live.stmtinfo import read


def _shape(sql: str):
    """(kind, return type, arguments as (name, mode, type)), defaults) of a CREATE FUNCTION or PROCEDURE."""
    stmt = parse_sql(sql)[0].stmt
    if not isinstance(stmt, ast.CreateFunctionStmt):
        return None
    params = stmt.parameters or ()
    args = tuple((p.name, str(p.mode), RawStream()(p.argType)) for p in params)
    returns = RawStream()(stmt.returnType) if stmt.returnType else None
    return (stmt.is_procedure, returns, args), sum(p.defexpr is not None for p in params)


def _inputs(shape) -> tuple[str, ...]:
    """The types that identify it: IN, INOUT and VARIADIC arguments (and a procedure's OUT ones)."""
    procedure = shape[0][0]
    return tuple(t for _, mode, t in shape[0][2] if mode in "idbv" or (procedure and mode == "o"))


def _sql(items) -> list[str]:
    """The statements' text (other planners hand over some as Steps written whole)."""
    return [i.sql if isinstance(i, Step) else i for i in items]


def drops(statements: list, have: Catalog, schema: str) -> list[Step]:
    """A DROP for each function the statements replace in a way CREATE OR REPLACE cannot."""
    statements = _sql(statements)
    dropped = {(s.ref.name, s.ref.args) for s in map(read, statements) if s.verb == "drop" and s.ref
               and s.ref.kind == "routine"}
    live = {}
    for obj in have.values():
        if obj.kind in ("function", "procedure") and obj.get("definition"):
            shape = _shape(obj.get("definition"))
            if shape is not None:
                live[(obj.name.rpartition("(")[0], _inputs(shape))] = (obj, shape)
    out = []
    for sql in statements:
        stmt = read(sql)
        if stmt.verb != "replace" or not stmt.ref or stmt.ref.kind != "routine":
            continue
        new = _shape(sql)
        if new is None:
            continue
        key = (stmt.ref.name, _inputs(new))
        if key not in live or (stmt.ref.name, stmt.ref.args) in dropped:
            continue
        obj, old = live[key]
        if old[0] != new[0] or new[1] < old[1]:
            kind = "PROCEDURE" if old[0][0] else "FUNCTION"
            out.append(Step(f"DROP {kind} {qualified(schema, stmt.ref.name)}({', '.join(key[1])})",
                            note=f"{obj.name} is made again below: CREATE OR REPLACE cannot change its return "
                                 "type, argument names, kind or defaults (same transaction)"))
    return out


def _key(sql: str) -> tuple | None:
    stmt, shape = read(sql), _shape(sql)
    return (stmt.ref.name, _inputs(shape)) if shape is not None and stmt.ref else None


def missed(statements: list, have: Catalog, want: Catalog) -> list[str]:
    """CREATE OR REPLACE from the target's definition for each function that differs and that
    no statement creates, replaces or drops."""
    touched = set()
    for sql in _sql(statements):
        stmt = read(sql)
        if stmt.ref and stmt.ref.kind == "routine":
            touched.add(_key(sql) if stmt.verb in ("create", "replace") else (stmt.ref.name, stmt.ref.args))
    out = []
    for key in sorted(set(have) & set(want)):
        old, new = have[key], want[key]
        if new.kind not in ("function", "procedure") or not new.get("definition"):
            continue
        if old.get("definition") != new.get("definition") and _key(new.get("definition")) not in touched:
            out.append(new.get("definition").rstrip().rstrip(";"))
    return out
