"""The diff engine's statements about tables, read with PostgreSQL's parser (pglast), and
the ones it gets wrong taken out or corrected:

- everything about partitions (it creates a partition and then each of the indexes the
  partition already got from its parent, builds ON ONLY indexes it never attaches, adds
  primary keys to partitioned tables USING INDEX, which PostgreSQL refuses, and attaches
  with the table names swapped): partitions.py plans those;
- constraints PostgreSQL clones for partitions (a foreign key referencing a partitioned
  table has one per partition, named by creation order): they follow their parent;
- `select 1` placeholders it writes for the index of an exclusion constraint;
- a primary key or unique constraint it drops and adds again USING INDEX without
  making the index again (NULLS NOT DISTINCT, DEFERRABLE): added in full instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemagen.live.tablecat import Tables


@dataclass(frozen=True)
class Subject:
    verb: str                       # create_table, create_partition, create_index, drop_index, drop_table,
    #                                 alter_table, placeholder, other
    table: str | None = None
    name: str | None = None         # the index, or the table dropped
    added: tuple[str, ...] = ()     # constraints an ALTER TABLE adds
    dropped: tuple[str, ...] = ()   # constraints an ALTER TABLE drops
    using_index: str | None = None  # ADD CONSTRAINT ... USING INDEX <name>
    partition_commands: bool = False  # ATTACH/DETACH PARTITION
    only_constraints: bool = False  # every command adds or drops a constraint
    foreign: bool = False           # it adds a foreign key
    not_valid: bool = False         # ... NOT VALID
    validates: tuple[str, ...] = () # VALIDATE CONSTRAINT


def read(sql: str) -> Subject:
    from pglast import ast, parse_sql
    from pglast.enums import AlterTableType, ObjectType
    from pglast.parser import ParseError
    try:
        statements = parse_sql(sql)
    except ParseError:
        return Subject("other")
    stmt = statements[0].stmt if statements else None
    if isinstance(stmt, ast.SelectStmt) and sql.lstrip().lower().startswith("select 1;"):
        return Subject("placeholder")
    if isinstance(stmt, ast.CreateStmt):
        return Subject("create_partition" if stmt.partbound else "create_table", stmt.relation.relname)
    if isinstance(stmt, ast.IndexStmt):
        return Subject("create_index", stmt.relation.relname, stmt.idxname)
    if isinstance(stmt, ast.DropStmt) and stmt.removeType in (ObjectType.OBJECT_INDEX, ObjectType.OBJECT_TABLE):
        name = stmt.objects[0][-1].sval
        verb = "drop_index" if stmt.removeType == ObjectType.OBJECT_INDEX else "drop_table"
        return Subject(verb, name if verb == "drop_table" else None, name)
    if isinstance(stmt, ast.AlterTableStmt):
        from pglast.enums import ConstrType
        added, dropped, using, partition, only, foreign, not_valid, validates = [], [], None, False, True, \
            False, False, []
        for cmd in stmt.cmds:
            if cmd.subtype == AlterTableType.AT_AddConstraint:
                added.append(cmd.def_.conname)
                using = cmd.def_.indexname or using
                foreign |= cmd.def_.contype == ConstrType.CONSTR_FOREIGN
                not_valid |= bool(cmd.def_.skip_validation)
            elif cmd.subtype == AlterTableType.AT_ValidateConstraint:
                validates.append(cmd.name)
                only = False
            elif cmd.subtype == AlterTableType.AT_DropConstraint:
                dropped.append(cmd.name)
            else:
                only = False
                partition |= cmd.subtype in (AlterTableType.AT_AttachPartition, AlterTableType.AT_DetachPartition)
        return Subject("alter_table", stmt.relation.relname, None, tuple(added), tuple(dropped), using, partition,
                       only, foreign, not_valid, tuple(validates))
    return Subject("other")


def _table(s: Subject, live: Tables) -> str | None:
    if s.verb == "drop_index":
        row = live.indexes.get(s.name)
        return row.table if row else None
    return s.table


def ours(s: Subject, live: Tables, want: Tables) -> bool:
    """Whether partitions.py plans what this statement is about (so it is left out)."""
    table = _table(s, live)
    if s.verb in ("placeholder", "create_partition") or s.partition_commands:
        return True
    if table is not None and (live.is_partition(table) or want.is_partition(table)):
        return True
    if s.verb == "create_index" and want.partitioned(table):
        return True
    if s.verb == "drop_index" and live.indexes.get(s.name) is not None and live.indexes[s.name].partitioned:
        return True
    if s.verb == "alter_table" and s.using_index and want.partitioned(table):
        return True
    names = s.added + s.dropped
    if s.verb == "alter_table" and s.validates and not names:
        return all(want.constraints.get((table, c), ("", "", False))[2] for c in s.validates)
    if s.verb == "alter_table" and s.only_constraints and names:
        cloned = [live.constraints.get((table, c), want.constraints.get((table, c), ("", "", False)))[2]
                  for c in names]
        return all(cloned)
    return False


def rebuilt_keys(statements: list[str], subjects: list[Subject], want: Tables, qualified) -> list[str]:
    """A key constraint dropped and added again USING INDEX, when no statement makes that
    index again, is added with its whole definition (which builds the index)."""
    made = {s.name for s in subjects if s.verb == "create_index"}
    dropped = {(s.table, c) for s in subjects for c in s.dropped}
    out = []
    for sql, s in zip(statements, subjects, strict=True):
        if s.using_index and s.using_index not in made and (s.table, s.added[0]) in dropped:
            definition = want.constraints.get((s.table, s.added[0]), ("", "", False))[1]
            if definition:
                from schemagen.render.sqltext import ident
                sql = f"ALTER TABLE {qualified(s.table)} ADD CONSTRAINT {ident(s.added[0])} {definition}"
        out.append(sql)
    return out


def valid_foreign_keys(pairs: list[tuple[str, Subject]], want: Tables) -> list[tuple[str, Subject]]:
    """PostgreSQL 15 adds no NOT VALID foreign key to a partitioned table: such a key is added
    valid (checking the rows then; safety.py says so) and its VALIDATE left out."""
    whole = {(s.table, s.added[0]) for sql, s in pairs
             if s.foreign and s.not_valid and want.partitioned(s.table) and sql.lower().rstrip().endswith(" not valid")}
    out = []
    for sql, s in pairs:
        if s.foreign and (s.table, s.added[0]) in whole:
            sql = sql.rstrip()[:-len(" not valid")]
            s = Subject(**{**s.__dict__, "not_valid": False})
        elif s.validates and all((s.table, c) in whole for c in s.validates):
            continue
        out.append((sql, s))
    return out


def keys_before_references(pairs: list[tuple[str, Subject]]) -> list[tuple[str, Subject]]:
    """Foreign keys after every key constraint the plan adds (the diff engine orders them by
    name, so a foreign key can come before the unique constraint it references)."""
    first = next((i for i, (_, s) in enumerate(pairs) if s.foreign), None)
    if first is None:
        return pairs
    tail = pairs[first:]
    keys = [p for p in tail if p[1].added and not p[1].foreign]
    return pairs[:first] + keys + [p for p in tail if p not in keys]


def insertion_points(subjects: list[Subject]) -> tuple[int, int]:
    """Where steps planned here go among the diff engine's: removals after its leading drops of
    constraints and indexes; creations before its first index or added constraint."""
    def leading_drop(s: Subject) -> bool:
        return s.verb == "drop_index" or (s.verb == "alter_table" and s.only_constraints and not s.added)
    first_other = next((i for i, s in enumerate(subjects) if not leading_drop(s)), len(subjects))
    first_key = next((i for i, s in enumerate(subjects) if s.verb == "create_index" or s.added), len(subjects))
    return first_other, max(first_key, first_other)
