"""What each statement of a plan does to data and to the tables it locks, read with
PostgreSQL's parser (stmtinfo.py) and facts from the live catalog (Context).

Every step gets the lock it takes on the table it acts on (the mode pg_locks shows
while it runs) and, when it is risky, a risk class and a reason, which make it
UNSAFE: "drops data" (rows, values or a sequence's position are lost), "rewrites"
(the table's files are written anew under an ACCESS EXCLUSIVE lock: a new
relfilenode), "long lock" (every row is read while writes wait), "fails" (it cannot
succeed on the rows there), "breaks callers" (what clients use goes away), "opens
access" (row level security is weakened). tests/live/test_safety.py runs each kind of
statement against PostgreSQL and checks the marks: relfilenode, rows, pg_locks.
Statements that must not run in the main transaction move to the "after" phase.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from pglast import parse_sql
from pglast.stream import RawStream

from schemagen.live import routine_safety
from schemagen.live.plan import Step
from schemagen.live.stmtinfo import Statement, Sub, concurrently, read
from schemagen.live.typechange import TypeInfo, rewrites

RECREATED = "__old_version_to_be_dropped"  # the diff engine's name for an enum it recreates
AE, SUE, SRE, SHARE = "ACCESS EXCLUSIVE", "SHARE UPDATE EXCLUSIVE", "SHARE ROW EXCLUSIVE", "SHARE"
_SUB_LOCKS = {"SetStatistics": SUE, "SetOptions": SUE, "ResetOptions": SUE, "ClusterOn": SUE, "DropCluster": SUE,
              "SetRelOptions": SUE, "ResetRelOptions": SUE, "ValidateConstraint": SUE, "AttachPartition": SUE,
              "EnableTrig": SRE, "DisableTrig": SRE, "EnableAlwaysTrig": SRE, "EnableReplicaTrig": SRE,
              "EnableTrigAll": SRE, "DisableTrigAll": SRE, "EnableTrigUser": SRE, "DisableTrigUser": SRE}
_STRENGTH = [None, SUE, SHARE, SRE, AE]


@dataclass
class Context:
    """What the live database holds, by live table name."""
    tables: set[str]
    rows: set[str]                                           # tables holding at least one row
    columns: dict[tuple[str, str], TypeInfo] = field(default_factory=dict)   # live column types
    types: dict[str, TypeInfo] = field(default_factory=dict)  # types the statements name, as written
    binary_casts: set[tuple[str, str]] = field(default_factory=set)
    utc: bool = False                                        # the session's TimeZone is UTC
    used_sequences: set[str] = field(default_factory=set)    # sequences that have handed out a value
    rls_tables: set[str] = field(default_factory=set)        # tables with row level security enabled
    created_policies: set[str] = field(default_factory=set)  # "table.policy" the plan creates (again)
    volatile: set[str] = field(default_factory=set)          # volatile function names the statements call
    views: set[str] = field(default_factory=set)
    matviews: set[str] = field(default_factory=set)
    table_of: dict[str, str] = field(default_factory=dict)   # index or statistics object -> its table
    recreated: set[str] = field(default_factory=set)         # enum types the plan recreates (renames away)
    domain_users: dict[str, set[str]] = field(default_factory=dict)  # domain -> tables with a column of it
    remade: set[tuple] = field(default_factory=set)          # routines and triggers dropped and made again


@dataclass
class Mark:
    lock: str | None = None
    risk: str | None = None
    why: str | None = None
    on: str | None = None  # the table the lock is on, when it is not the statement's own object

    def take(self, lock: str | None, risk: str | None = None, why: str | None = None, on: str | None = None) -> None:
        if _STRENGTH.index(lock) > _STRENGTH.index(self.lock):
            self.lock, self.on = lock, on or self.on
        if risk and not self.risk:
            self.risk, self.why = risk, why


def classify(sql: str, ctx: Context, index_constraints: set[str]) -> Step:
    """A Step for one statement: its lock, risk and phase."""
    stmt = read(sql)
    ref = stmt.ref.name if stmt.ref else None
    mark = Mark()
    if stmt.verb == "alter" and stmt.ref and stmt.ref.kind in ("table", "view"):
        for sub in stmt.subs:
            _alter(sub, ref, ctx, mark)
    elif stmt.verb == "drop":
        _drop(stmt, ref, ctx, mark)
    elif stmt.verb in ("create", "replace"):
        return _create(stmt, ctx, index_constraints, mark)
    elif stmt.verb in ("comment", "rename") and stmt.ref and stmt.ref.kind in ("table", "column", "index"):
        mark.take(SUE if stmt.verb == "comment" else AE)
    elif stmt.verb == "rename" and stmt.detail.get("new_name", "").endswith(RECREATED):
        mark.take(None, "breaks callers", f"enum {ref} loses or reorders values: the type is recreated and every "
                                          "column using it rewritten under an exclusive lock; fails if rows hold a "
                                          "removed value or a CHECK or index predicate uses the type")
    elif stmt.verb == "alter" and stmt.ref and stmt.ref.kind == "domain" and stmt.detail.get("subtype") in ("C", "O"):
        users = sorted(ctx.domain_users.get(ref, ()))  # ADD CONSTRAINT, SET NOT NULL: every value is checked
        if users:
            mark.take(SHARE)
            full = [t for t in users if t in ctx.rows]
            if full:
                mark.take(SHARE, "long lock", f"checks every {ref} value in {', '.join(full)} while blocking writes")
            return Step(sql, unsafe=mark.why, risk=mark.risk, lock=mark.lock, lock_on=(full or users)[0])
    on = _lock_on(stmt, mark, ctx)
    step = Step(sql, unsafe=mark.why, risk=mark.risk, lock=mark.lock if on else None, lock_on=on)
    if stmt.concurrent:
        return Step(sql, phase="after", object_name=ref, lock=mark.lock, lock_on=step.lock_on)
    if stmt.verb == "alter" and stmt.sub("ValidateConstraint") and ref in ctx.rows:
        return Step(sql, phase="after", object_name=stmt.subs[0].name, lock=SUE, lock_on=ref,
                    note=f"checks the rows of {ref} after the commit, without blocking writes")
    return step


def judged(step: Step, ctx: Context, index_constraints: set[str]) -> Step:
    """A step another planner wrote whole (objects.py, partitions.py), knowing what the catalog
    will hold by then (a domain the plan creates, a partition's rows): its SQL, phase and
    reasons stand; the classifier adds the lock it takes, and the risk class of its reason."""
    mark = classify(step.sql, ctx, index_constraints)
    risk = (step.risk or _risk_of(step.unsafe)) if step.unsafe else None
    if mark.sql != step.sql:  # the classifier would run it another way (CONCURRENTLY): not the lock it takes
        return replace(step, risk=risk)
    return replace(step, risk=risk, lock=step.lock or mark.lock, lock_on=step.lock_on or mark.lock_on)


def _risk_of(why: str) -> str:
    """The risk class of a reason written without one."""
    if why.startswith("rewrites") or " rewrites " in why:
        return "rewrites"
    return "drops data" if "rows leave" in why or why.startswith("drops") else "long lock"


def _lock_on(stmt: Statement, mark: Mark, ctx: Context) -> str | None:
    """The existing relation the statement's strongest lock is on (None for what the plan creates)."""
    on = _locked(stmt, mark, ctx)
    return on if on in ctx.tables | ctx.views | ctx.matviews | set(ctx.table_of) else None


def _locked(stmt: Statement, mark: Mark, ctx: Context) -> str | None:
    if mark.lock is None or stmt.ref is None:
        return None
    if mark.on:
        return mark.on
    if stmt.ref.kind in ("column", "trigger", "policy", "rule"):
        return stmt.ref.name.split(".", 1)[0]
    if stmt.verb == "comment":  # COMMENT ON INDEX locks the index itself
        return stmt.ref.name
    return ctx.table_of.get(stmt.ref.name, stmt.ref.name) if stmt.ref.kind in ("index", "statistics") \
        else stmt.ref.name


def _alter(sub: Sub, table: str, ctx: Context, mark: Mark) -> None:
    rows = table in ctx.rows
    what = sub.what
    foreign = what == "AddConstraint" and sub.detail["type"] == "foreign"
    mark.take(SRE if foreign else _SUB_LOCKS.get(what, AE))
    if what == "DropColumn":
        mark.take(AE, "drops data", f"drops column {table}.{sub.name} and its data")
    elif what == "AlterColumnType" and rows and sub.detail["type_name"] in ctx.recreated:
        mark.take(AE, "rewrites", f"rewrites {table} to cast {sub.name} to the recreated enum type")
    elif what == "AlterColumnType":
        old, new = ctx.columns.get((table, sub.name)), ctx.types.get(sub.detail["type"])
        if rows and (old is None or new is None or rewrites(old, new, ctx.binary_casts, ctx.utc)):
            mark.take(AE, "rewrites", f"changes {table}.{sub.name} to {sub.detail['type']}: rewrites {table} "
                                      "under an ACCESS EXCLUSIVE lock, and may fail or lose precision")
    elif what == "SetNotNull" and rows:
        mark.take(AE, "long lock", f"reads all of {table} under an ACCESS EXCLUSIVE lock to check "
                                   f"{sub.name} for NULLs, and fails if one exists")
    elif what == "AddColumn" and rows:
        _add_column(sub, table, ctx, mark)
    elif what == "AddConstraint" and rows:
        kind = sub.detail["type"]
        if kind in ("check", "foreign") and not sub.detail["not_valid"]:
            mark.take(SRE if kind == "foreign" else AE, "long lock",
                      f"checks every row of {table} while holding a lock that blocks writes")
        elif kind in ("primary", "unique", "exclusion") and not sub.detail["using_index"]:
            mark.take(AE, "long lock", f"builds an index for {sub.name} while blocking writes to {table}")
    elif what == "DropIdentity" and rows:
        mark.take(AE, "drops data", f"drops the identity of {table}.{sub.name} and its sequence's position: "
                                    "inserts that leave the column out fail from then on")
    elif what == "AddIdentity" and rows:
        mark.take(AE, "breaks callers", f"{table}.{sub.name} becomes an identity whose sequence starts again: "
                                        "new values may collide with the rows there")
    elif what in ("SetLogged", "SetUnLogged") and rows:
        mark.take(AE, "rewrites", f"rewrites {table} to make it {'logged' if what == 'SetLogged' else 'unlogged'}, "
                                  "under an ACCESS EXCLUSIVE lock")
    elif what == "DisableRowSecurity":
        mark.take(AE, "opens access", f"disables row level security on {table}: opens access (its policies stop "
                                      "applying)")
    elif what == "NoForceRowSecurity":
        mark.take(AE, "opens access", f"drops FORCE on {table}: opens access (its owner bypasses the policies again)")
    elif what == "AttachPartition":  # the partition is locked and read to check its rows fit the bound
        full = sub.name in ctx.rows
        mark.take(AE, "long lock" if full else None, f"reads all of {sub.name} under an ACCESS EXCLUSIVE lock "
                                                     f"to check it fits {table}'s partition bound", on=sub.name)
    elif what == "DetachPartition":  # its rows leave the table whether the partition holds some now or not
        mark.take(AE, "drops data", f"detaches partition {sub.name}: its rows leave {table}")
    elif what == "DropInherit" and rows:
        mark.take(AE, "drops data", f"the rows of {sub.name or 'the child'} leave {table}")


def _add_column(sub: Sub, table: str, ctx: Context, mark: Mark) -> None:
    cons = sub.detail["constraints"]
    calls = set(sub.detail.get("calls", ()))
    if "identity" in cons or "generated" in cons or calls & ctx.volatile:
        mark.take(AE, "rewrites", f"adds {sub.name} to {table} with a value computed per row: rewrites the table")
    elif "notnull" in cons and "default" not in cons:
        mark.take(AE, "fails", f"adds NOT NULL column {sub.name} without a default to {table}, which holds rows: "
                               "it fails (give the column a default)")


def _drop(stmt: Statement, name: str, ctx: Context, mark: Mark) -> None:
    kind = stmt.ref.kind
    if kind == "table" and name in ctx.rows:
        mark.take(AE, "drops data", f"drops table {name} and all its rows")
    elif kind == "table":
        mark.take(AE, "breaks callers", f"drops table {name} (it is empty now): queries that use it fail")
    elif kind == "view" and (stmt.ref.relkind == "m" or name in ctx.matviews):
        mark.take(AE, "drops data", f"drops materialized view {name} and its contents")
    elif kind == "view":
        mark.take(AE, "breaks callers", f"drops view {name}: queries that read it fail")
    elif kind == "sequence" and name in ctx.used_sequences:
        mark.take(None, "drops data", f"drops sequence {name} and its current value")
    elif kind in ("routine", "trigger"):
        mark.take(AE if kind == "trigger" else None, *routine_safety.dropped(stmt, ctx.remade))
    elif kind == "policy" and name.split(".", 1)[0] in ctx.rls_tables and name not in ctx.created_policies:
        table, policy = name.split(".", 1)  # one the plan creates again (changed) leaves no window: same transaction
        mark.take(AE, "opens access", f"drops policy {policy} on {table}: opens access (rows it kept from roles "
                                      "become visible or writable)")
    elif kind in ("extension", "rule", "schema"):  # a schema: never planned, but a migration file may hold it
        mark.take(AE if kind == "rule" else None, "breaks callers", f"drops {kind} {name}: what uses it fails")
    elif kind == "index":
        mark.take(SUE if stmt.concurrent else AE, on=ctx.table_of.get(name))
    elif kind in ("statistics",):
        mark.take(SUE)


def _create(stmt: Statement, ctx: Context, index_constraints: set[str], mark: Mark) -> Step:
    sql = stmt.sql
    if stmt.ref and stmt.ref.kind == "index":
        table, index = stmt.detail["table"], stmt.ref.name
        if stmt.concurrent:
            return Step(sql, lock=SUE, lock_on=table)
        if stmt.detail.get("only"):  # a partitioned table's own index, invalid until its partitions' are attached
            return Step(sql, lock=SHARE if table in ctx.tables else None, lock_on=table,
                        note="on the partitioned table only: each partition's index is made and attached below")
        if table in ctx.rows and index not in index_constraints:
            return Step(_concurrently(sql), phase="after", object_name=index, lock=SUE, lock_on=table,
                        note=f"{table} holds rows: built CONCURRENTLY so writes go on meanwhile",
                        cleanup=f"DROP INDEX CONCURRENTLY IF EXISTS {_qualified_index(sql)}")
        if table in ctx.rows:
            return Step(sql, unsafe=f"builds index {index} for a key constraint on {table} while blocking writes",
                        risk="long lock", lock=SHARE, lock_on=table)
        return Step(sql, lock=SHARE if table in ctx.tables else None, lock_on=table)
    on = stmt.detail.get("table")
    if stmt.detail.get("partition_of") in ctx.tables:
        on = stmt.detail["partition_of"]
        mark.take(AE)
    if stmt.ref and stmt.ref.kind in ("trigger", "policy", "rule"):
        on = stmt.ref.name.split(".", 1)[0]
        mark.take(SRE if stmt.ref.kind == "trigger" else AE)
    if stmt.ref and stmt.ref.kind == "statistics":
        mark.take(SUE)
        on = stmt.detail.get("table")
    if stmt.ref and stmt.ref.kind == "view" and stmt.verb == "replace" and stmt.ref.name in ctx.views:
        mark.take(AE)
        on = stmt.ref.name
    return Step(sql, lock=mark.lock, lock_on=on if mark.lock else None)


def _concurrently(sql: str) -> str:
    return concurrently(sql)


def _qualified_index(sql: str) -> str:
    node = parse_sql(sql)[0].stmt
    schema = node.relation.schemaname
    name = '"' + node.idxname.replace('"', '""') + '"'
    return f'"{schema}".{name}' if schema else name


def after_commit_drops(steps: list[Step], ctx: Context) -> list[Step]:
    """An index rebuilt after the commit is dropped there too (CONCURRENTLY), not in the main transaction."""
    later = {s.object_name for s in steps if s.phase == "after" and s.object_name}
    out = []
    for step in steps:
        stmt = read(step.sql)
        if (stmt.verb == "drop" and stmt.ref and stmt.ref.kind == "index" and stmt.ref.name in later
                and not stmt.concurrent and step.phase == "main"):
            node = parse_sql(step.sql)[0].stmt
            node.concurrent, node.missing_ok = True, True
            step = Step(RawStream()(node), phase="after", object_name=stmt.ref.name, lock=SUE, lock_on=step.lock_on,
                        note="the old definition goes after the commit too, just before the new one is built")
        out.append(step)
    return out


def index_constraint_names(statements) -> set[str]:
    """Indexes that a later statement turns into a primary key or unique constraint."""
    names = set()
    for sql in statements:
        for sub in read(sql).sub("AddConstraint"):
            if sub.detail.get("using_index"):
                names.add(sub.detail["using_index"])
    return names
