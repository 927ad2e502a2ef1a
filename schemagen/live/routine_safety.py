"""Safety of dropped functions, procedures, aggregates and triggers (called by safety.py).

A routine or trigger the plan drops and creates again in the same transaction (a changed
return type, a renamed argument, a trigger around its function's replacement) leaves callers
nothing missing after the commit. One the plan only drops breaks what calls it: a routine's
callers fail, a trigger's work on every write (an audit row, a timestamp) silently stops.
"""

from __future__ import annotations

from schemagen.live.stmtinfo import Statement


def _ident(stmt: Statement) -> tuple:
    return stmt.ref.kind, stmt.ref.name, stmt.ref.args if stmt.ref.kind == "routine" else None


def remade(statements: list[Statement]) -> set[tuple]:
    """(kind, name, argument types) of the routines and triggers the statements drop and create again."""
    made = {_ident(s) for s in statements if s.verb in ("create", "replace") and s.ref
            and s.ref.kind in ("routine", "trigger")}
    return {_ident(s) for s in statements if s.verb == "drop" and s.ref and _ident(s) in made}


def dropped(stmt: Statement, remade_: set[tuple]) -> tuple[str | None, str | None]:
    """(risk, reason) of a DROP FUNCTION, PROCEDURE, AGGREGATE or TRIGGER."""
    if _ident(stmt) in remade_:
        return None, None
    if stmt.ref.kind == "trigger":
        table, _, name = stmt.ref.name.partition(".")
        return "breaks callers", f"drops trigger {name} on {table}: what it did on each write stops"
    return "breaks callers", f"drops {stmt.ref.name}(): callers fail"
