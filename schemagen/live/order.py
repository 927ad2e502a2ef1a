"""Put a plan's statements in an order PostgreSQL accepts, by its own dependency graph.

Each statement is read (stmtinfo.py) and placed in the two catalogs: what it
removes from the live database, and what it creates that the target holds. Then:
a drop is preceded by the statements that remove what still depends on its object;
a create is preceded by the statements that create what its object needs; statements
on one object keep their order. Otherwise the order stays as given: a statement moves
only when one it needs would come too late, and then only that one moves up.

Dropped from the plan: drops of what another drop in it removes anyway (a dropped
table's constraints and indexes, a partition's inherited primary key), and creates of a
partition's copies of an index or constraint that PostgreSQL makes itself when their
parent is created. (Objects that belong to an extension never reach a plan: the
catalog and the diff engine's inputs leave them out.)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from schemagen.live.depends import Graph, inside, routines, whole
from schemagen.live.pgcatalog import Catalog
from schemagen.live.plan import Step
from schemagen.live.stmtinfo import CANDIDATES, Ref, Statement, read


@dataclass
class Side:
    """One database: its catalog, its dependency graph, and the routines the plan names."""
    catalog: Catalog
    graph: Graph
    conn: object = None
    schema: str = ""
    routines: dict = field(default_factory=dict)

    def __post_init__(self):
        self.by_node = {o.node: k for k, o in self.catalog.items()}

    def learn_routines(self, refs) -> None:
        """Resolve routines as the SQL names them (argument types spelt any way) in one round trip."""
        new = [r for r in refs if (r.name, r.args) not in self.routines]
        if new and self.conn is not None:
            found = routines(self.conn, self.schema, new)
            self.routines.update({(r.name, r.args): found.get((r.name, r.args)) for r in new})

    def key(self, ref: Ref | None):
        """The catalog key a statement's object has here, or None if it has none."""
        if ref is None:
            return None
        if ref.kind == "routine":
            return self.by_node.get(self.routines.get((ref.name, ref.args)))
        for kind in CANDIDATES.get(ref.kind, (ref.kind,)):
            if (kind, ref.name) in self.catalog:
                return kind, ref.name
        return None

    def node(self, key) -> str | None:
        obj = self.catalog.get(key) if key else None
        return obj.node if obj else None


@dataclass
class Effect:
    stmt: Statement
    key: tuple | None = None        # the object it acts on (live key for drops, else target key when there is one)
    roots: set[str] = field(default_factory=set)      # live nodes it drops itself
    removes: set[str] = field(default_factory=set)    # live nodes gone after it (roots and what goes with them)
    releases: set[str] = field(default_factory=set)   # live nodes whose dependencies it drops (type, default)
    creates: set[str] = field(default_factory=set)    # target nodes it makes
    retyped: set[tuple] = field(default_factory=set)  # column keys whose type it changes
    touched: set[tuple] = field(default_factory=set)  # keys of columns and constraints it adds or drops
    pruned: str | None = None       # why it is left out of the plan
    step: Step | None = None        # a step another planner wrote whole (objects.py, partitions.py): kept as it is


def effects(items, live: Side, target: Side) -> list[Effect]:
    """items: SQL, (SQL, catalog key) for statements whose object we know (we wrote them), or a Step."""
    steps = [item if isinstance(item, Step) else None for item in items]
    pairs = [(item, None) if isinstance(item, str) else (item.sql, None) if isinstance(item, Step) else item
             for item in items]
    stmts = [read(sql) for sql, _ in pairs]
    refs = [s.ref for (s, (_, key)) in zip(stmts, pairs, strict=True) if not key and s.ref and s.ref.kind == "routine"]
    live.learn_routines(refs)
    target.learn_routines(refs)
    out = [_effect(stmt, live, target, key) for stmt, (_, key) in zip(stmts, pairs, strict=True)]
    for e, step in zip(out, steps, strict=True):
        e.step = step
    return out


def _column(table: str, column: str) -> tuple[str, str]:
    return "column", f"{table}.{column}"


def _effect(stmt: Statement, live: Side, target: Side, known=None) -> Effect:
    lkey, tkey = live.key(stmt.ref), target.key(stmt.ref)
    if known is not None:
        lkey = known if known in live.catalog else None
        tkey = known if known in target.catalog else None
    e = Effect(stmt, known or (lkey if stmt.verb == "drop" else (tkey or lkey)))
    if stmt.verb == "drop" and lkey:
        e.roots = {live.node(lkey)}
    elif stmt.verb in ("create", "replace") and tkey:
        e.creates = target.graph.made({target.node(tkey)})
    elif stmt.verb == "alter" and stmt.ref and stmt.ref.kind in ("table", "view"):
        table = stmt.ref.name
        for sub in stmt.subs:
            _alter_table(e, table, sub, live, target)
    e.removes = live.graph.removed(e.roots) if e.roots else set()
    return e


def _alter_table(e: Effect, table: str, sub, live: Side, target: Side) -> None:
    if sub.what in ("AddColumn", "DropColumn", "AddConstraint", "DropConstraint"):
        e.touched.add(("column" if "Column" in sub.what else "constraint", f"{table}.{sub.name}"))
    if sub.what in ("DropColumn", "DropConstraint"):
        kind = "column" if sub.what == "DropColumn" else "constraint"
        node = live.node((kind, f"{table}.{sub.name}"))
        if node:
            e.roots.add(node)
    elif sub.what in ("AlterColumnType", "ColumnDefault", "AddColumn", "AddConstraint", "AddIdentity",
                      "DropIdentity", "SetExpression", "DropExpression"):
        kind = "constraint" if sub.what == "AddConstraint" else "column"
        key = (kind, f"{table}.{sub.name}")
        old, new = live.node(key), target.node(key)
        if sub.what == "AlterColumnType" and old:
            e.releases.add(old)
            e.retyped.add(key)
        if sub.what == "ColumnDefault" and old:
            e.releases |= live.graph.defaults_of(old)
        if new:
            e.creates |= target.graph.made({new})
    elif sub.what == "AttachPartition":
        node = target.node(("table", sub.name))
        if node:
            e.releases.add(node)


def _index(effects: list[Effect], attr: str) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for i, e in enumerate(effects):
        for node in getattr(e, attr):
            out.setdefault(node, []).append(i)
    return out


def _holding(index: dict[str, list[int]], node: str) -> list[int]:
    return index.get(node, []) + (index.get(whole(node), []) if whole(node) != node else [])


def prune(effects: list[Effect], live: Side, target: Side) -> None:
    """Mark what must not run (Effect.pruned)."""
    drops = [e for e in effects if e.roots]
    for e in effects:
        if e.roots and all(any(inside(r, d.removes) and not d.roots <= e.removes for d in drops if d is not e)
                           for r in e.roots):
            e.pruned = "goes with another object this plan drops"
    made = _index(effects, "creates")
    for e in effects:
        if e.pruned or not e.creates:
            continue
        if e.stmt.verb == "create":
            owns = [target.node(e.key)]
        elif e.stmt.subs and all(sub.what == "AddConstraint" for sub in e.stmt.subs):
            owns = [target.node(("constraint", f"{e.stmt.ref.name}.{sub.name}")) for sub in e.stmt.subs]
        else:
            continue
        copies = [any(i for p in target.graph.partition_parents(own) for i in _holding(made, p) if effects[i] is not e)
                  for own in owns if own]
        if copies and all(copies):
            e.pruned = "PostgreSQL makes it with its partitioned parent"


def order(effects: list[Effect], live: Side, target: Side) -> list[Effect]:
    """The effects that run, in an order PostgreSQL accepts (see the module's docstring)."""
    kept = [e for e in effects if not e.pruned]
    gone, made = _index(kept, "removes"), _index(kept, "creates")
    released = _index(kept, "releases")
    detached: dict[str, list[int]] = {}  # a partition is detached before it is dropped (partitions.py)
    for i, e in enumerate(kept):
        for sub in e.stmt.sub("DetachPartition"):
            detached.setdefault(sub.name, []).append(i)
    needs: list[set[int]] = []
    first_of: dict[tuple, int] = {}
    for i, e in enumerate(kept):
        before: set[int] = set()
        if e.key is not None:
            if e.key in first_of:
                before |= {j for j in range(first_of[e.key], i) if kept[j].key == e.key}
            first_of.setdefault(e.key, i)
        for blocker in live.graph.blockers(e.removes | e.releases):
            before |= set(_holding(gone, blocker) + _holding(released, blocker))
        wanted = target.graph.needs(e.creates)
        if e.stmt.verb not in ("create", "replace", "drop", "rename") and target.node(e.key):
            wanted.add(target.node(e.key))  # an ALTER, COMMENT or GRANT on what the plan creates (a rename
            # acts on the live object: a domain renamed away before its successor is made, domains.py)
        for sub in e.stmt.sub("AddConstraint"):
            if sub.detail.get("using_index"):  # ADD CONSTRAINT ... USING INDEX needs that index first
                wanted.add(target.node(("index", sub.detail["using_index"])))
        if e.stmt.verb == "drop" and e.stmt.ref and e.stmt.ref.kind == "table":
            before |= set(detached.get(e.stmt.ref.name, ()))
        if e.stmt.verb == "create" and live.node(e.key):  # the old one, of the same name, must be gone
            before |= set(_holding(gone, live.node(e.key)))
        for need in wanted:
            before |= set(_holding(made, need))
        needs.append(before - {i})
    placed: set[int] = set()
    out: list[Effect] = []

    def place(i: int, stack: set[int]) -> None:
        stack.add(i)
        for j in sorted(needs[i]):
            if j not in placed and j not in stack:
                place(j, stack)
        stack.discard(i)
        placed.add(i)
        out.append(kept[i])

    hoisted = [i for i, e in enumerate(kept) if e.stmt.verb == "set"]  # session settings come first
    for i in hoisted + list(range(len(kept))):
        if i not in placed:
            place(i, set())
    return out

