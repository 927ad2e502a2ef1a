"""Partitioned tables, planned here rather than by the diff engine (see tablefix.py), from
the two catalogs (what the live database has, what the target built from schema.sql has):

- partitions: created with their bounds (and sub-partition key and storage parameters) as
  the target has them; one that left schema.yaml is DETACHed (its rows leave the table:
  UNSAFE) and then dropped, unless schema.yaml keeps it as a table of its own; a bound
  that changed is detached and attached again (which checks the rows against it);
- keys and indexes of partitioned tables: a new table gets them before its partitions,
  as schema.sql does; on an existing one an index is made the way PostgreSQL's manual
  says for tables with rows: ON ONLY the parent, then on each partition (CONCURRENTLY,
  after the commit, when rows are there) under the name the target gave it, then
  attached; an index left invalid by a failed attempt is finished the same way;
- storage parameters (the diff engine compares none) of every table with rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from schemagen.live.plan import Step
from schemagen.live.tablecat import IndexRow, Tables
from schemagen.render.sqltext import ident, literal


@dataclass
class Recipe:
    removals: list[str] = field(default_factory=list)   # main phase, before the diff engine's creations
    creations: list[str] = field(default_factory=list)  # main phase
    after: list[Step] = field(default_factory=list)     # after the commit


def plan(schema: str, live: Tables, want: Tables, has_rows) -> Recipe:
    """has_rows(table) -> whether the live table (or any of its partitions) holds rows."""
    recipe = Recipe()
    q = _qualifier(schema)
    for table in _partitioned_roots(want):
        new = not live.partitioned(table)
        _keys(recipe, q, table, live, want, new)
        _indexes(recipe, q, table, live, want, new, has_rows)
        _partitions(recipe, q, table, live, want, new)
    _storage(recipe, q, live, want)
    return recipe


def _qualifier(schema: str):
    return lambda name: f"{ident(schema)}.{ident(name)}"


def _partitioned_roots(want: Tables) -> list[str]:
    return [r.name for r in want.relations.values() if r.kind == "p" and r.parent is None]


def _keys(recipe: Recipe, q, table: str, live: Tables, want: Tables, new: bool) -> None:
    """Primary keys and unique constraints of a partitioned table, added whole (cascading to
    the partitions); the diff engine drops the ones that changed."""
    for (owner, name), (kind, definition, cloned) in want.constraints.items():
        if owner != table or kind not in ("p", "u") or cloned:
            continue
        have = None if new else live.constraints.get((owner, name))
        if have is None or have[1] != definition:
            recipe.creations.append(f"ALTER TABLE {q(table)} ADD CONSTRAINT {ident(name)} {definition}")


def _plain(definition: str) -> str:
    """An index definition without ONLY: made on a new table, it cascades to its partitions."""
    from pglast import parse_sql
    from pglast.stream import RawStream
    stmt = parse_sql(definition)[0].stmt
    stmt.relation.inh = True
    return RawStream()(stmt)


def _indexes(recipe: Recipe, q, table: str, live: Tables, want: Tables, new: bool, has_rows) -> None:
    for ix in (i for i in want.indexes.values() if i.table == table and not i.constraint):
        have = None if new else live.indexes.get(ix.name)
        if have is not None and have.table == table and have.definition == ix.definition and have.valid:
            continue
        if have is not None and (have.table != table or have.definition != ix.definition):
            recipe.removals.append(f"DROP INDEX {q(ix.name)}")
            have = None
        if new:
            recipe.creations.append(_plain(ix.definition))
            continue
        if have is None:
            recipe.creations.append(ix.definition)  # ON ONLY the parent: invalid until every partition has one
        _attach_children(recipe, q, ix, live, want, has_rows(table), have)
    for ix in (i for i in live.indexes.values() if i.table == table and i.partitioned and not i.constraint):
        if ix.name not in want.indexes and not new:
            recipe.removals.append(f"DROP INDEX {q(ix.name)}")


def _attach_children(recipe: Recipe, q, parent: IndexRow, live: Tables, want: Tables, rows: bool,
                     have: IndexRow | None) -> None:
    """Each existing partition's index, made under the target's name, then attached."""
    attached = {c.name for c in live.children(parent.name)} if have is not None else set()
    for child in want.children(parent.name):
        if child.table not in live.relations or live.relations[child.table].parent is None:
            continue  # a partition this plan creates gets the index from its parent
        if child.name in attached:
            continue
        existing = live.indexes.get(child.name)
        attach = f"ALTER INDEX {q(parent.name)} ATTACH PARTITION {q(child.name)}"
        if child.partitioned:
            if existing is None:
                recipe.creations.append(child.definition)
            recipe.creations.append(attach)
            _attach_children(recipe, q, child, live, want, rows, existing)
            continue
        if existing is not None and existing.definition == child.definition and existing.valid:
            build = None
        elif rows:
            build = _concurrently(child.definition)
        else:
            build = child.definition
        if rows and build is not None:
            recipe.after.append(Step(build, phase="after", object_name=child.name, cleanup=(
                f"DROP INDEX CONCURRENTLY IF EXISTS {q(child.name)}"),
                note=f"{child.table} holds rows: built CONCURRENTLY, then attached to {parent.name}"))
            recipe.after.append(Step(attach, phase="after", object_name=child.name))
            continue
        recipe.creations += [s for s in (build, attach) if s]


def _concurrently(definition: str) -> str:
    """pg_get_indexdef's CREATE [UNIQUE] INDEX, built without blocking writes."""
    from schemagen.live.stmtinfo import concurrently
    return concurrently(definition)


def _partitions(recipe: Recipe, q, table: str, live: Tables, want: Tables, new: bool) -> None:
    wanted = {r.name: r for r in want.partitions_of(table)}
    have = {} if new else {r.name: r for r in live.partitions_of(table)}
    for name, rel in have.items():
        target = wanted.get(name)
        if target is not None and target.bound == rel.bound and target.key == rel.key:
            continue
        recipe.removals.append(f"ALTER TABLE {q(table)} DETACH PARTITION {q(name)}")
        standalone = want.relations.get(name)
        if target is not None and target.key == rel.key:
            recipe.creations.append(f"ALTER TABLE {q(table)} ATTACH PARTITION {q(name)} {target.bound}")
        elif target is not None or standalone is None or standalone.kind != rel.kind:
            recipe.removals.append(f"DROP TABLE {q(name)}")  # gone, or partitioned another way: made anew
    for name, rel in wanted.items():
        if name in have and have[name].key == rel.key:
            _partitions(recipe, q, name, live, want, False)
            continue
        standalone = live.relations.get(name)
        if name not in have and standalone is not None and standalone.parent is None \
                and standalone.kind == rel.kind == "r":
            recipe.creations.append(f"ALTER TABLE {q(table)} ATTACH PARTITION {q(name)} {rel.bound}")
            continue
        sub = f" PARTITION BY {rel.key}" if rel.key else ""
        recipe.creations.append(f"CREATE TABLE {q(name)} PARTITION OF {q(table)} {rel.bound}{sub}"
                                + (f" WITH ({_options(rel.options)})" if rel.options else ""))
        _partitions(recipe, q, name, live, want, True)


def _options(options) -> str:
    """name = 'value' for each; the catalog's text, quoted so any value reads back the same."""
    return ", ".join(f"{k} = {literal(v)}" for k, v in (o.split("=", 1) for o in options))


def _storage(recipe: Recipe, q, live: Tables, want: Tables) -> None:
    """SET and RESET for the storage parameters of every table that will hold rows."""
    for name, rel in want.relations.items():
        if rel.kind != "r":
            continue
        before = live.relations.get(name)
        if before is None and rel.parent is not None:
            continue  # a partition created above, with its parameters
        old = dict(o.split("=", 1) for o in (before.options if before else ()))
        new = dict(o.split("=", 1) for o in rel.options)
        reset = [k for k in old if k not in new]
        changed = [f"{k}={v}" for k, v in new.items() if old.get(k) != v]
        if reset:
            recipe.creations.append(f"ALTER TABLE {q(name)} RESET ({', '.join(reset)})")
        if changed:
            recipe.creations.append(f"ALTER TABLE {q(name)} SET ({_options(changed)})")


def adjust(schema: str, live_conn, target_conn, statements, probe_rows) -> tuple[list[str], list[Step]]:
    """The diff engine's statements with what it gets wrong about tables taken out or corrected
    (tablefix.py) and this module's steps put among them; and the steps for after the commit.
    probe_rows(tables) -> the ones holding rows."""
    from schemagen.live import tablefix
    live, want = Tables.read(live_conn, schema), Tables.read(target_conn, schema)
    subjects = [tablefix.read(sql) for sql in statements]
    kept = [(sql, s) for sql, s in zip(statements, subjects, strict=True) if not tablefix.ours(s, live, want)]
    kept = tablefix.keys_before_references(tablefix.valid_foreign_keys(kept, want))
    statements = tablefix.rebuilt_keys([k for k, _ in kept], [s for _, s in kept], want, _qualifier(schema))
    roots = [r for r in _partitioned_roots(want) if live.partitioned(r)]
    rows = set(probe_rows(roots)) if roots else set()
    recipe = plan(schema, live, want, lambda table: table in rows)
    removals_at, creations_at = tablefix.insertion_points([s for _, s in kept])
    out = (statements[:removals_at] + recipe.removals + statements[removals_at:creations_at] + recipe.creations
           + statements[creations_at:])
    return out, recipe.after
