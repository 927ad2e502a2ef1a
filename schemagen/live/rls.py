"""Row level security in a plan: what the diff engine writes (ENABLE/DISABLE, CREATE and
DROP POLICY) classified for the access it opens, and FORCE, which it does not compare.

Dropping a policy the plan does not create again, disabling row level security or
dropping FORCE lets roles see rows they could not see before: UNSAFE. A policy that is
changed is dropped and created again in the same transaction: no window, not unsafe.
"""

from __future__ import annotations

from sqlalchemy import text

from schemagen.live import statements
from schemagen.live.plan import Step
from schemagen.render.sqltext import ident, literal, qualified
from schemagen.spec import model as m


def _policy(sql: str) -> tuple[str, str, str] | None:
    """('create' or 'drop', policy, table) for a policy statement, read by pglast."""
    node, kind = statements.parsed(sql), statements.kind(sql)
    if kind == "CreatePolicyStmt":
        return "create", node.policy_name, node.table.relname
    if kind == "DropStmt" and node.removeType.name == "OBJECT_POLICY":
        *_, table, name = (part.sval for part in node.objects[0])
        return "drop", name, table
    return None


def _disabled(sql: str) -> str | None:
    """The table an ALTER TABLE ... DISABLE ROW LEVEL SECURITY names."""
    node = statements.parsed(sql)
    if statements.kind(sql) == "AlterTableStmt" and any(
            getattr(c, "subtype", None) is not None and c.subtype.name == "AT_DisableRowSecurity" for c in node.cmds):
        return node.relation.relname
    return None


def review(schema: m.Schema, live, steps: list[Step]) -> list[Step]:
    """steps with row level security classified, and FORCE changes added after them."""
    read = {id(s): _policy(s.sql) for s in steps}
    created = {(p[1], p[2]) for p in read.values() if p and p[0] == "create"}
    out = []
    for step in steps:
        policy = read[id(step)]
        if policy and policy[0] == "drop" and policy[1:] not in created:
            step = Step(step.sql, unsafe=f"drops policy {policy[1]} on {policy[2]}: opens access (rows it kept "
                                         "from roles become visible or writable)")
        elif table := _disabled(step.sql):
            step = Step(step.sql, unsafe=f"disables row level security on {table}: opens access (its "
                                         "policies stop applying)")
        elif policy and policy[0] == "create":
            step = Step(step.sql, phase=step.phase, note=step.note or "a policy: limits the rows roles see")
        out.append(step)
    return out + force_steps(schema, live) + comment_steps(schema, live, created)


def comment_steps(schema: m.Schema, live, recreated: set[tuple[str, str]]) -> list[Step]:
    """COMMENT ON POLICY where it differs; the diff engine creates policies without their
    comments, so a policy (re)created by this plan starts with none."""
    rows = live.execute(text(
        "SELECT c.relname, p.polname, d.description FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_description d ON d.objoid = p.oid "
        "AND d.classoid = 'pg_policy'::regclass WHERE n.nspname = :s"), {"s": schema.name})
    have = {(table, name): comment for table, name, comment in rows}
    steps = []
    for t in schema.tables:
        for p in t.policies:
            current = None if (p.name, t.name) in recreated else have.get((t.name, p.name))
            if current != p.comment:
                value = literal(p.comment) if p.comment is not None else "NULL"
                steps.append(Step(f"COMMENT ON POLICY {ident(p.name)} ON {qualified(schema, t.name)} IS {value}"))
    return steps


def force_steps(schema: m.Schema, live) -> list[Step]:
    rows = live.execute(text("SELECT c.relname, c.relforcerowsecurity FROM pg_class c JOIN pg_namespace n ON "
                             "n.oid = c.relnamespace WHERE n.nspname = :s AND c.relkind IN ('r', 'p')"),
                        {"s": schema.name})
    forced = {name for name, force in rows if force}
    steps = []
    for t in schema.tables:
        want = bool(t.row_level_security and t.row_level_security.enable and t.row_level_security.force)
        if want and t.name not in forced:
            steps.append(Step(f"ALTER TABLE {qualified(schema, t.name)} FORCE ROW LEVEL SECURITY",
                              note=f"closes access: the owner of {t.name} is bound by its policies too"))
        elif not want and t.name in forced:
            steps.append(Step(f"ALTER TABLE {qualified(schema, t.name)} NO FORCE ROW LEVEL SECURITY",
                              unsafe=f"drops FORCE on {t.name}: opens access (its owner bypasses the policies "
                                     "again)"))
    return steps
