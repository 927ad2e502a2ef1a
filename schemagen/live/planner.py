"""Build the plan that takes a live database to the rendered target.

The recipe, in order (build_plan):
0. an empty schema (and its declared roles holding nothing there yet) gets schema.sql
   itself (fastpath.py);
1. nothing at all when the two schemas' catalog digests are equal (fingerprint.py) and
   every declared extension is there;
2. declared renames (and sequence names freed for a new kind of sequence), run on the
   live connection inside the caller's transaction, so everything after sees the new names;
3. both schemas as PostgreSQL stores them (pgcatalog.py) and their dependency graphs;
4. the diff engine's statements (tables, columns, constraints, indexes, views,
   functions, triggers, policies, enums), with enum values it would recreate the type
   for added by ALTER TYPE ... ADD VALUE instead; views and materialized views planned
   whole instead (views.py); partitions, partitioned tables' keys
   and indexes and tables' storage parameters (partitions.py); extensions, sequences,
   identity and domains (objects.py), which this project plans itself;
5. other whole objects it does not plan (aggregates, range types, rules, extended
   statistics, collations, indexes changed in ways it does not compare: unplanned.py);
6. properties it does not compare (index options, statistics targets, replica identity,
   FORCE ROW LEVEL SECURITY, comments: properties.py), against what the objects will hold
   after steps 4 and 5;
7. drops of objects schema.yaml never declared first, then the rest, in an order
   PostgreSQL's dependency graph accepts (order.py);
8. safety: each statement's risk, lock and phase (safety.py, the one classifier; steps
   written whole in step 4 keep their own reasons and get the classifier's lock and risk);
   Privileges of the roles schema.yaml declares, and of no other role (privileges.py):
   those roles (server-wide, outside pg_depend) created first, with the default
   privileges withdrawn before the plan's CREATEs; GRANT and REVOKE after every change.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

from sqlalchemy import text

from schemagen.live import (
    blocked,
    catalog,
    differ,
    fastpath,
    introspect,
    objects,
    order,
    partitions,
    pgcatalog,
    privileges,
    properties,
    routines,
    several,
    stmtinfo,
    unplanned,
    views,
)
from schemagen.live.callers import mark_dropped_numbering
from schemagen.live.depends import Graph, inside
from schemagen.live.plan import Plan, Step
from schemagen.live.renames import forward, plan_renames
from schemagen.live.safety import after_commit_drops, classify, index_constraint_names, judged
from schemagen.live.scope import EVERYTHING, Scope, managed
from schemagen.live.sequences import clashing_names, extension_steps
from schemagen.live.sqlnames import literal, qualified
from schemagen.live.stmtinfo import read
from schemagen.spec import model as m


def build_plan(schema: m.Schema, live, target, *, renames: bool = True, assume_rows: bool = False,
               shortcut: bool = True, scope: Scope = EVERYTHING, empty_fast_path: bool = False) -> Plan:
    """live: a SQLAlchemy connection inside the caller's transaction (renames run
    in it); target: a connection to a database holding the rendered schema.
    assume_rows: plan as if every existing table held rows (for migration files,
    which run later on databases we cannot see now).
    shortcut: trust equal digests (False runs the diff engine regardless, for tests).
    scope: what to leave alone besides schema.yaml's own `ignore:` (--ignore).
    empty_fast_path: an empty live schema gets schema.sql as its plan (fastpath.py)."""
    if schema.schemas:  # several schemas: each planned on its own, then merged (several.py)
        options = {"renames": renames, "assume_rows": assume_rows, "shortcut": shortcut, "scope": scope}
        whole = managed(schema, scope)
        if empty_fast_path and several.all_empty(live, schema):
            return replace(fastpath.plan(schema), header=[whole.header()] if whole.header() else [])
        return several.merge([build_plan(part, live, target, **options) for part in several.parts(schema)],
                             several.missing(live, schema))
    scope = managed(schema, scope)
    header = [scope.header()] if scope.header() else []
    # privileges already held in the empty schema (on it, or defaults) may need revoking: the full path
    if empty_fast_path and fastpath.is_empty(live, schema) and not privileges.held(live, schema):
        return replace(fastpath.plan(schema), header=header)
    plan = Plan(header=header)
    extensions = extension_steps(schema, catalog.extensions(live))
    # the diff engine's inspection of live (the longest read) runs on a connection of its own meanwhile;
    # stopped when the digests agree, and always before the plan is handed on
    with differ.Inspection(live, schema.name, scope) as inspection:
        # both catalogs and their digests (fingerprint.py's), read at once: the rows only matter when they differ
        (live_rows, live_digest), (rows, digest) = _both(pgcatalog.rows_and_digest, live, target, schema.name, scope)
        if shortcut and not extensions and live_digest == digest:
            return plan
        return _plan(schema, live, target, plan, extensions, inspection, (live_rows, rows), renames=renames,
                     assume_rows=assume_rows, scope=scope)


def _plan(schema: m.Schema, live, target, plan: Plan, extensions: list, inspection, described: tuple, *,
          renames: bool, assume_rows: bool, scope: Scope) -> Plan:
    live_objects = introspect.objects(live, schema.name)
    pending = forward(schema, plan_renames(schema, live_objects)) if renames else []
    pending += clashing_names(schema.name, catalog.sequences(live, schema.name), catalog.sequences(target, schema.name))
    inspection = None if pending else inspection  # renamed in this transaction: inspected again, in it
    for sql in pending:
        live.exec_driver_sql(sql)
        plan.steps.append(Step(sql, kind="rename", note="renamed_from in schema.yaml: the data stays"
                               if "_retired" not in sql else "frees the name for the new kind of sequence"))
    if pending:
        live_objects = introspect.objects(live, schema.name)
    have = pgcatalog.describe(live, schema.name, scope) if pending else pgcatalog.catalog(described[0])
    want = pgcatalog.catalog(described[1])
    # pg_depend is read while live's inspection is still under way on its own connection
    sides = (order.Side(have, Graph.read(live), live, schema.name),
             order.Side(want, Graph.read(target), target, schema.name))
    result = differ.diff(live, target, schema.name, scope, early=inspection)
    statements, view_drops, view_creates = views.plan(schema, live, target, list(result.statements), have)
    amended, after = _engine(schema, live, target, statements, live_objects, assume_rows, scope)
    amended += routines.missed(amended, have, want)  # SET options, PARALLEL: the engine does not compare them
    routine_drops = routines.drops(amended, have, schema.name)  # what CREATE OR REPLACE cannot change
    engine = order.effects(extensions + view_drops + routine_drops + amended + view_creates, *sides)
    planned = {e.key for e in engine if e.key and e.stmt.verb in ("create", "replace", "drop")}
    planned |= set().union(*(e.touched for e in engine)) if engine else set()
    own_drops, own_creates = unplanned.steps(have, want, schema.name, planned)
    made = engine + order.effects(own_drops + own_creates, *sides)
    facts = _facts(made, have, want)
    facts.whole = _remade_views(view_creates, want)
    props = _new(properties.steps(have, want, schema.name, facts), made)
    effects = made + order.effects(props, *sides)
    undeclared = [e for e in effects if _undeclared(e, want)]
    effects = undeclared + [e for e in effects if e not in undeclared]
    order.prune(effects, *sides)
    ordered = order.order(effects, *sides)
    plan.notes += sorted({f"left out: {e.stmt.sql} ({e.pruned})" for e in effects if e.pruned})
    remade = frozenset(s.ref.name for s in (read(d.sql) for d in view_drops) if s.ref) & {v.name for v in schema.views}
    remade_functions = frozenset(r.ref.name for r in (read(d.sql) for d in routine_drops) if r.ref)
    access = privileges.plan_steps(schema, live, remade, target, remade_functions)
    _classify(plan, schema, live, have, ordered, result, assume_rows, {id(e) for e in undeclared}, after, access)
    plan.steps = blocked.mark(plan.steps, blocked.refused(ordered, sides[0], live))
    plan.header += _undeclared_header(undeclared, effects)
    for name in introspect.invalid_indexes(live, schema.name):
        plan.notes.append(f"index {name} is INVALID (an interrupted concurrent build): apply drops and rebuilds it")
    return plan


def _engine(schema: m.Schema, live, target, statements, live_objects, assume_rows: bool, scope: Scope):
    """The diff engine's statements with partitions.py's and objects.py's corrections (strings
    still to be classified, Steps written whole), and the steps for after the commit."""
    def rows_in(names):
        return set(names) if assume_rows else introspect.tables_with_rows(live, schema.name, names)
    tables = {o for k, o, _ in live_objects if k == "table"}
    statements, after = partitions.adjust(schema.name, live, target, statements, rows_in)
    cats, live_domains, target_domains, uses = objects.read(schema, live, target, tables)
    live_domains = {n: d for n, d in live_domains.items() if not scope.ignored("types", n)}  # left alone
    # only tables a statement names (or that use a changing domain) can matter: probe those alone
    cats.rows = rows_in(sorted(tables & (_names_in(statements) | objects.domain_tables(uses))))
    return objects.amend(schema, cats, live_domains, target_domains, uses, statements), after


def _names_in(statements) -> set[str]:
    """Every identifier the statements could name: quoted, or bare as pg_get_indexdef prints plain names."""
    text_ = "\n".join(statements)
    return ({q.replace('""', '"') for q in re.findall(r'"((?:[^"]|"")*)"', text_)}
            | set(re.findall(r"[A-Za-z_][\w$]*", text_)))


def _new(props: list, made: list) -> list:
    """Property statements another planner's steps already hold (a recreated domain's comment) left out."""
    have = {stmtinfo.normal(e.stmt.sql) for e in made}
    return [p for p in props if stmtinfo.normal(p[0]) not in have]


def _both(fn, live, target, *args):
    with ThreadPoolExecutor(max_workers=1) as pool:  # each waits on its own server
        theirs = pool.submit(fn, target, *args)
        return fn(live, *args), theirs.result()


def _facts(effects, have, want) -> properties.Facts:
    removed = set().union(*(e.removes for e in effects)) if effects else set()
    facts = properties.Facts()
    facts.fresh = {k for k in want if k not in have or inside(have[k].node, removed)}
    facts.retyped = set().union(*(e.retyped for e in effects)) if effects else set()
    # a CREATE of a name the live database has: the old one was renamed away (a recreated enum)
    facts.fresh |= {e.key for e in effects if e.stmt.verb == "create" and e.key in want}
    facts.replaced = {e.key for e in effects if e.stmt.verb == "replace" and e.key not in facts.fresh}
    return facts


def _remade_views(creates: list, want) -> set:
    """Catalog keys of the views views.py makes (again) from schema.yaml, with their columns and
    indexes: their options and comments are in what it writes, so properties.py leaves them be."""
    made = {stmt.ref.name for stmt in (stmtinfo.read(s.sql) for s in creates)
            if stmt.verb in ("create", "replace") and stmt.ref and stmt.ref.kind == "view"}
    return {k for k, o in want.items() if (k[0] == "view" and k[1] in made)
            or (o.parent == "views" and o.parent_name in made)}


def _undeclared(e: order.Effect, want) -> bool:
    """A drop of something schema.yaml does not name (a column or constraint of a declared table too)."""
    if e.stmt.verb == "drop":
        return e.key is not None and e.key not in want
    subs = e.stmt.sub("DropColumn", "DropConstraint")
    if e.stmt.verb != "alter" or not subs or len(subs) != len(e.stmt.subs):
        return False
    kind = {"DropColumn": "column", "DropConstraint": "constraint"}
    return all((kind[s.what], f"{e.stmt.ref.name}.{s.name}") not in want for s in subs)


_NOUN = {"range": "range type", "composite": "composite type", "statistics": "statistics object",
         "other": "other object", "type": "base type"}
_PLURAL = {"index": "indexes", "policy": "policies"}


def _undeclared_header(undeclared, effects) -> list[str]:
    kept = [e for e in undeclared if not e.pruned]
    if not kept:
        return []
    counts: dict[str, int] = {}
    for e in kept:
        kind = e.key[0] if e.stmt.verb == "drop" else {"DropColumn": "column"}.get(e.stmt.subs[0].what,
                                                                                 "constraint")
        counts[kind] = counts.get(kind, 0) + 1
    nouns = {k: _NOUN.get(k, k) for k in counts}
    parts = [f"{n} {_PLURAL.get(k, nouns[k] + 's') if n != 1 else nouns[k]}"
             for k, n in sorted(counts.items(), key=lambda x: (-x[1], x[0]))]
    line = f"this plan drops {_join(parts)} you never declared"
    return [line + " (schema.yaml does not name them; `ignore:` leaves objects alone)"]


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _classify(plan: Plan, schema: m.Schema, live, have, ordered, result, assume_rows: bool, undeclared: set,
              after: list[Step], access: tuple[list[Step], list[Step]]) -> None:
    """Safety and phase for each statement, and enum values added in place."""
    statements = [e.stmt.sql for e in ordered] + [s.sql for s in after]
    ctx = introspect.safety_context(live, schema.name, have, [e.stmt for e in ordered] + [read(s.sql) for s in after],
                                    lambda named: introspect.tables_with_rows(live, schema.name, named), assume_rows)
    constraint_indexes = index_constraint_names(statements)
    changes = []
    # the undeclared drops come first (order.py moves up only what they need: a serial's DROP DEFAULT
    # before its sequence, a DETACH before its partition), so they stay under one heading, needs and all
    last = max((i for i, e in enumerate(ordered) if id(e) in undeclared), default=-1)
    for i, e in enumerate(ordered):
        step = judged(e.step, ctx, constraint_indexes) if e.step else classify(e.stmt.sql, ctx, constraint_indexes)
        needed = i < last and id(e) not in undeclared and not step.note
        changes.append(replace(step, group="undeclared" if i <= last else None,
                               note="needed by a drop below" if needed else step.note))
    changes = mark_dropped_numbering(_carried_on(after_commit_drops(changes, ctx)), live, schema.name)
    changes += [judged(s, ctx, constraint_indexes) for s in after]
    additions = [_add_value(schema, a) for a in result.enum_additions]
    new_values = {literal(a.value) for a in result.enum_additions}
    uses_new_value = any(v in step.sql for step in changes for v in new_values)
    # a new enum value cannot be used in the transaction that adds it
    phase = "enum" if uses_new_value else "main"
    plan.steps += [Step(s.sql, phase=phase, note=s.note) for s in additions]
    # privileges of the declared roles: the roles (server-wide, outside pg_depend) first, as policies and
    # grants name them, with default privileges withdrawn before the CREATEs; GRANT and REVOKE last
    first, last = access
    plan.steps += first + [s for s in changes if s.phase == "main"] + last + [s for s in changes if s.phase == "after"]


def _carried_on(steps: list[Step]) -> list[Step]:
    """DROP IDENTITY loses the identity's position unless the plan gives the column a sequence of
    its own that carries on after the existing values (identity back to serial, sequences.py)."""
    counted = {(read(s.sql).ref.name, sub.name) for s in steps if read(s.sql).verb == "alter"
               for sub in read(s.sql).sub("ColumnDefault") if "nextval(" in s.sql.lower()}
    carried = any(s.sql.startswith("SELECT setval(") for s in steps)
    out = []
    for s in steps:
        stmt = read(s.sql)
        if carried and stmt.verb == "alter" and stmt.sub("DropIdentity") and len(stmt.subs) == 1 \
                and (stmt.ref.name, stmt.subs[0].name) in counted:
            s = replace(s, unsafe=None, risk=None, note="its new sequence carries on after the existing values")
        out.append(s)
    return out


def _add_value(schema: m.Schema, addition: differ.EnumAddition) -> Step:
    where = f" BEFORE {literal(addition.before)}" if addition.before else ""
    return Step(f"ALTER TYPE {qualified(schema.name, addition.enum)} ADD VALUE IF NOT EXISTS "
                f"{literal(addition.value)}{where}",
                note="a new enum value: added in place, no table is rewritten")


def lock_settings(conn, lock_timeout: str, statement_timeout: str) -> None:
    conn.execute(text("SELECT set_config('lock_timeout', :v, true)"), {"v": lock_timeout})
    conn.execute(text("SELECT set_config('statement_timeout', :v, true)"), {"v": statement_timeout})
