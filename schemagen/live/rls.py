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
from schemagen.render.sqltext import qualified
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
    return out + force_steps(schema, live)


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
