"""What the partition recipe and the storage parameter steps need to know about one
database's tables, indexes and constraints, read from pg_catalog in three queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import text

_RELATIONS = text("""
SELECT c.relname, c.relkind, CASE WHEN c.relispartition THEN p.relname END, pg_get_expr(c.relpartbound, c.oid),
       CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END, c.reloptions,
       (SELECT t.reloptions FROM pg_class t WHERE t.oid = c.reltoastrelid), c.relpersistence
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_inherits i ON i.inhrelid = c.oid AND c.relispartition LEFT JOIN pg_class p ON p.oid = i.inhparent
WHERE n.nspname = :schema AND c.relkind IN ('r', 'p')
ORDER BY c.oid
""")

_INDEXES = text("""
SELECT i.relname, c.relname, pg_get_indexdef(i.oid), x.indisvalid, pi.relname, k.conname IS NOT NULL, i.relkind
FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_inherits h ON h.inhrelid = i.oid LEFT JOIN pg_class pi ON pi.oid = h.inhparent
LEFT JOIN pg_constraint k ON k.conindid = i.oid AND k.conrelid = c.oid AND k.contype IN ('p', 'u', 'x')
WHERE n.nspname = :schema
ORDER BY i.oid
""")

_CONSTRAINTS = text("""
SELECT c.relname, k.conname, k.contype, pg_get_constraintdef(k.oid), k.conparentid <> 0
FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = :schema
""")


@dataclass(frozen=True)
class Relation:
    name: str
    kind: str                  # r: holds rows, p: partitioned
    parent: str | None         # the table it is a partition of
    bound: str | None          # FOR VALUES ... / DEFAULT
    key: str | None            # partition key, as pg_get_partkeydef prints it
    options: tuple[str, ...]   # storage parameters, toast ones as toast.<name>
    unlogged: bool = False


@dataclass(frozen=True)
class IndexRow:
    name: str
    table: str
    definition: str
    valid: bool
    parent: str | None         # the partitioned index it is attached to
    constraint: bool           # made by a primary key, unique or exclusion constraint
    partitioned: bool          # an index on a partitioned table (relkind I)


@dataclass
class Tables:
    relations: dict[str, Relation] = field(default_factory=dict)
    indexes: dict[str, IndexRow] = field(default_factory=dict)
    constraints: dict[tuple[str, str], tuple[str, str, bool]] = field(default_factory=dict)  # -> type, def, cloned

    @classmethod
    def read(cls, conn, schema: str) -> Tables:
        out = cls()
        for name, kind, parent, bound, key, options, toast, persistence in conn.execute(_RELATIONS,
                                                                                         {"schema": schema}):
            merged = tuple(options or ()) + tuple(f"toast.{o}" for o in toast or ())
            out.relations[name] = Relation(name, kind, parent, bound, key, merged, persistence == "u")
        for row in conn.execute(_INDEXES, {"schema": schema}):
            name, table, definition, valid, parent, constraint, relkind = row
            out.indexes[name] = IndexRow(name, table, definition, valid, parent, constraint, relkind == "I")
        for table, name, kind, definition, cloned in conn.execute(_CONSTRAINTS, {"schema": schema}):
            out.constraints[(table, name)] = (kind, definition, cloned)
        return out

    def partitioned(self, name: str) -> bool:
        rel = self.relations.get(name)
        return rel is not None and rel.kind == "p"

    def is_partition(self, name: str) -> bool:
        rel = self.relations.get(name)
        return rel is not None and rel.parent is not None

    def partitions_of(self, name: str) -> list[Relation]:
        return [r for r in self.relations.values() if r.parent == name]

    def leaves(self, name: str) -> list[Relation]:
        """The partitions under a table, at every level, parents first."""
        out = []
        for r in self.partitions_of(name):
            out.append(r)
            out += self.leaves(r.name)
        return out

    def root(self, name: str) -> str:
        while self.relations.get(name) is not None and self.relations[name].parent:
            name = self.relations[name].parent
        return name

    def children(self, index: str) -> list[IndexRow]:
        return [i for i in self.indexes.values() if i.parent == index]
