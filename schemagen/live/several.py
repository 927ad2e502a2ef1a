"""A schema.yaml that places objects in several schemas (`schemas:`): the live database is
compared schema by schema, and the plans are merged into one.

Every declared schema is planned on its own (the diff engine, the digest and every planner
work on one schema), with the file's other objects still qualified by their own schema
(model_schemas.only). A schema that is missing is created first; a schema the file does not
declare is never looked at, so nothing in it is ever dropped; and no plan drops a schema.

The merge keeps each schema's own order (its planner ordered it by pg_depend) and interleaves
the schemas by what a statement does: at every point the next statement is taken from the
schema whose next statement is earliest in this order (ties: the file's own schema first):
roles; drops (views, then constraints, then tables and columns, then the rest, then types);
schemas and extensions; types, domains and sequences; tables, columns, indexes and routines;
foreign keys; views; comments and privileges. So a table may use another schema's enum, a
foreign key may cross schemas either way, and a view may read another schema's tables.
"""

from __future__ import annotations

from sqlalchemy import text

from schemagen.live import fastpath, privileges
from schemagen.live.plan import PHASES, Plan, Step
from schemagen.live.sqlnames import ident, literal
from schemagen.live.stmtinfo import read
from schemagen.spec import model as m
from schemagen.spec.model_schemas import only

_DROPS = {"view": -5, "constraint": -4, "table": -3, "column": -3, "type": -1, "domain": -1}
_CREATES = {"schema": 0, "extension": 0, "type": 1, "domain": 1, "sequence": 1, "view": 4}


def parts(schema: m.Schema) -> list[m.Schema]:
    """One model per declared schema, the file's own first."""
    return [only(schema, name) for name in schema.schema_names]


def all_empty(live, schema: m.Schema) -> bool:
    """Whether every declared schema holds nothing (and the declared roles hold nothing there)."""
    return all(fastpath.is_empty(live, part) for part in parts(schema)) and not privileges.held(live, schema)


def missing(live, schema: m.Schema) -> list[Step]:
    """CREATE SCHEMA (with its comment) for each declared schema the live database lacks."""
    have = {n for (n,) in live.execute(text("SELECT nspname FROM pg_namespace WHERE nspname = ANY(:n)"),
                                       {"n": list(schema.schema_names)})}
    comments = {schema.name: schema.comment if schema.name != "public" else None,
                **{d.name: d.comment for d in schema.schemas}}
    out = []
    for name in schema.schema_names:
        if name not in have:
            out.append(Step(f"CREATE SCHEMA IF NOT EXISTS {ident(name)}", kind="create",
                            note="a schema schema.yaml declares"))
            if comments[name]:
                out.append(Step(f"COMMENT ON SCHEMA {ident(name)} IS {literal(comments[name])}"))
    return out


def tier(step: Step) -> int:
    """Where a statement of one schema's plan falls among the other schemas' (see the module)."""
    sql = step.sql.lstrip().upper()
    if step.kind == "rename":
        return -10
    if sql.startswith(("CREATE ROLE", "DO ")) or (sql.startswith("ALTER DEFAULT PRIVILEGES") and " REVOKE " in sql):
        return -9
    stmt = read(step.sql)
    kind = stmt.ref.kind if stmt.ref else ""
    if stmt.verb == "drop":
        return _DROPS.get(kind, -2)
    if stmt.verb == "alter" and stmt.subs and all(s.what in ("DropConstraint", "DropColumn") for s in stmt.subs):
        return -4 if stmt.subs[0].what == "DropConstraint" else -3
    if stmt.verb in ("create", "replace"):
        return _CREATES.get(kind, 2)
    if stmt.verb == "alter":
        return 3 if "FOREIGN KEY" in sql else (1 if kind in ("type", "domain", "sequence") else 2)
    return 5


def merge(plans: list[Plan], first: list[Step]) -> Plan:
    """One plan from the schemas' plans (the file's own first), each schema's order kept."""
    out = Plan(header=_unique(h for p in plans for h in p.header), notes=_unique(n for p in plans for n in p.notes))
    out.steps += [s for p in plans for s in p.steps if s.kind == "rename"]
    out.steps += first
    for phase in PHASES:
        queues = [[s for s in p.steps if s.phase == phase and s.kind != "rename"] for p in plans]
        while any(queues):
            best = min((q for q in queues if q), key=lambda q: tier(q[0]))
            out.steps.append(best.pop(0))
    return out


def _unique(items) -> list:
    return list(dict.fromkeys(items))
