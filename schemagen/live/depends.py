"""PostgreSQL's own dependency graph (pg_depend) of one database, and what a statement
of a plan removes or creates in it.

Nodes are "catalog/oid/subid" as pg_depend names objects (a column is its table's
node with the column number as subid). DROP without CASCADE removes an object with
everything that depends on it automatically ('a'), internally ('i') or as a
partition's copy ('P', 'S'); it fails while anything else still depends on it
normally ('n'). Creating needs every object the new one depends on to exist.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import text

# user objects only: references to the system catalog's own objects never constrain a plan
_DEPS = text("""
SELECT classid::regclass::text || '/' || objid || '/' || objsubid,
       refclassid::regclass::text || '/' || refobjid || '/' || refobjsubid, deptype
FROM pg_depend WHERE deptype IN ('n', 'a', 'i', 'P', 'S', 'e') AND objid >= 16384 AND refobjid >= 16384
""")

_SEQUENCES = text("SELECT 'pg_class/' || oid || '/0' FROM pg_class WHERE relkind = 'S' AND oid >= 16384")

_ROUTINES = text("""
SELECT r.n, 'pg_proc/' || to_regprocedure(r.n)::oid || '/0'
FROM unnest(CAST(:names AS text[])) r(n) WHERE to_regprocedure(r.n) IS NOT NULL
""")

AUTOMATIC = {"a", "i", "P", "S"}  # removed along with what they depend on


def whole(node: str) -> str:
    return node[:node.rindex("/")] + "/0"  # "catalog/oid/subid": called for every pg_depend row


def inside(node: str, nodes: set[str]) -> bool:
    """node is one of nodes, or a column of one of them."""
    return node in nodes or whole(node) in nodes


class Graph:
    def __init__(self, rows, sequences=()):
        self.refs: dict[str, list[tuple[str, str]]] = defaultdict(list)   # node -> [(ref, deptype)]
        self.users: dict[str, list[tuple[str, str, str]]] = defaultdict(list)  # whole(ref) -> [(node, ref, type)]
        self.members: set[str] = set()  # nodes that belong to an extension
        self.parts: dict[str, set[str]] = defaultdict(set)  # whole object -> its nodes that depend on something
        self.sequences = set(sequences)  # a sequence's 'a' on its column is OWNED BY, set after both exist
        for node, ref, deptype in rows:
            if deptype == "e":
                self.members.add(node)
                continue
            self.refs[node].append((ref, deptype))
            self.parts[whole(node)].add(node)
            self.users[whole(ref)].append((node, ref, deptype))

    @classmethod
    def read(cls, conn) -> Graph:
        return cls(conn.execute(_DEPS).all(), [r[0] for r in conn.execute(_SEQUENCES)])

    def _users_of(self, node: str):
        """What depends on node (on a whole object: also on any of its columns)."""
        exact = node != whole(node)
        return [(n, t) for n, ref, t in self.users.get(whole(node), ()) if not exact or ref == node]

    def removed(self, roots) -> set[str]:
        """Everything a plain DROP of roots takes with it."""
        gone, todo = set(roots), list(roots)
        while todo:
            for node, deptype in self._users_of(todo.pop()):
                if deptype in AUTOMATIC and node not in gone:
                    gone.add(node)
                    todo.append(node)
        return gone

    def blockers(self, gone: set[str]) -> set[str]:
        """Objects outside gone that depend normally on something in it (the DROP fails while they exist)."""
        out = set()
        for node in gone:
            out |= {n for n, t in self._users_of(node) if t == "n" and not inside(n, gone)}
        return out

    def made(self, roots) -> set[str]:
        """What creating roots brings along: internal parts (a key's index, an identity's
        sequence) and columns' defaults."""
        made, todo = set(roots), list(roots)
        while todo:
            for node, deptype in self._users_of(todo.pop()):
                if node not in made and (deptype == "i" or (deptype == "a" and node.startswith("pg_attrdef/"))):
                    made.add(node)
                    todo.append(node)
        return made

    def needs(self, made: set[str]) -> set[str]:
        """What must exist before made can be created."""
        out = set()
        for node in made:
            for part in self.parts.get(node, ()) if node == whole(node) else (node,):  # a table's columns too
                out |= {ref for ref, t in self.refs.get(part, ()) if (t == "n" or (t == "a" and part not in
                        self.sequences)) and not inside(ref, made)}
        return out

    def partition_parents(self, node: str) -> set[str]:
        """For a partition's copy of an index, constraint or trigger: the parent object and the partition."""
        return {ref for ref, t in self.refs.get(node, ()) if t in ("P", "S")}

    def defaults_of(self, column: str) -> set[str]:
        """The pg_attrdef node holding a column's default, if any."""
        return {n for n, t in self._users_of(column) if n.startswith("pg_attrdef/")}


def routines(conn, schema: str, refs) -> dict[tuple[str, tuple[str, ...]], str]:
    """(name, argument types) -> node, for the routines that exist in this database."""
    from schemagen.live.sqlnames import ident
    wanted = {(r.name, r.args): f"{ident(schema)}.{ident(r.name)}({', '.join(r.args)})" for r in refs}
    if not wanted:
        return {}
    found = dict(conn.execute(_ROUTINES, {"names": sorted(set(wanted.values()))}).all())
    return {key: found[sql] for key, sql in wanted.items() if sql in found}
