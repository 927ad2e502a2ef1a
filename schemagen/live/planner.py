"""Build the plan that takes a live database to the rendered target.

The recipe, in order (build_plan):
1. nothing at all when the two schemas' catalog digests are equal (fingerprint.py);
2. declared renames, run on the live connection inside the caller's transaction, so
   everything after sees the new names;
3. both schemas as PostgreSQL stores them (catalog.py) and their dependency graphs;
4. the diff engine's statements (tables, columns, constraints, indexes, views,
   functions, triggers, policies, sequences, enums, extensions), with enum values
   it would recreate the type for added by ALTER TYPE ... ADD VALUE instead, and
   partitioned tables' indexes and keys made as PostgreSQL requires (partitions.py);
5. whole objects it does not plan (domains, aggregates, range types, rules,
   extended statistics, collations, indexes changed in ways it does not compare);
6. properties it does not compare (storage parameters, statistics targets, replica
   identity, sequence options, comments, privileges), against what the objects will
   hold after steps 4 and 5;
7. drops of objects schema.yaml never declared first, then the rest, in an order
   PostgreSQL's dependency graph accepts (order.py);
8. safety: each statement's risk, lock and phase (safety.py).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

from sqlalchemy import text

from schemagen.live import catalog, differ, fingerprint, introspect, objects, order, partitions, properties
from schemagen.live.depends import Graph, inside
from schemagen.live.plan import Plan, Step
from schemagen.live.renames import forward, plan_renames
from schemagen.live.safety import after_commit_drops, classify, index_constraint_names
from schemagen.live.scope import EVERYTHING, Scope
from schemagen.live.sqlnames import literal, qualified
from schemagen.spec import model as m


def build_plan(schema: m.Schema, live, target, *, renames: bool = True, assume_rows: bool = False,
               shortcut: bool = True, scope: Scope = EVERYTHING) -> Plan:
    """live: a SQLAlchemy connection inside the caller's transaction (renames run
    in it); target: a connection to a database holding the rendered schema.
    assume_rows: plan as if every existing table held rows (for migration files,
    which run later on databases we cannot see now).
    shortcut: trust equal digests (False runs the diff engine regardless, for tests).
    scope: what to leave alone besides schema.yaml's own `ignore:` (--ignore)."""
    scope = Scope(schema.ignore).merged(scope)
    plan = Plan(header=[scope.header()] if scope.header() else [])
    if shortcut and fingerprint.same(live, target, schema.name, scope):
        return plan
    live_objects = introspect.objects(live, schema.name)
    pending = plan_renames(schema, live_objects) if renames else []
    for sql in forward(schema, pending):
        live.exec_driver_sql(sql)
        plan.steps.append(Step(sql, kind="rename", note="renamed_from in schema.yaml: the data stays"))
    have, want = _both(catalog.describe, live, target, schema.name, scope)
    result = differ.diff(live, target, schema.name, scope)
    sides = (order.Side(have, Graph.read(live), live, schema.name),
             order.Side(want, Graph.read(target), target, schema.name))
    engine = order.effects(partitions.repair(list(result.statements), want, schema.name), *sides)
    planned = {e.key for e in engine if e.key and e.stmt.verb in ("create", "replace", "drop")}
    planned |= set().union(*(e.touched for e in engine)) if engine else set()
    own_drops, own_creates = objects.steps(have, want, schema.name, planned)
    made = engine + order.effects(own_drops + own_creates, *sides)
    props = properties.steps(have, want, schema.name, _facts(made, have, want))
    effects = made + order.effects(props, *sides)
    undeclared = [e for e in effects if _undeclared(e, want)]
    effects = undeclared + [e for e in effects if e not in undeclared]
    order.prune(effects, *sides)
    ordered = order.order(effects, *sides)
    plan.notes += sorted({f"left out: {e.stmt.sql} ({e.pruned})" for e in effects if e.pruned})
    _classify(plan, schema, live, have, ordered, result, assume_rows, {id(e) for e in undeclared})
    plan.header += _undeclared_header(undeclared, effects)
    for name in introspect.invalid_indexes(live, schema.name):
        plan.notes.append(f"index {name} is INVALID (an interrupted concurrent build): apply drops and rebuilds it")
    return plan


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


def _classify(plan: Plan, schema: m.Schema, live, have, ordered, result, assume_rows: bool, undeclared: set) -> None:
    """Safety and phase for each statement, and enum values added in place."""
    statements = [e.stmt.sql for e in ordered]
    ctx = introspect.safety_context(live, schema.name, have, [e.stmt for e in ordered],
                                    lambda named: introspect.tables_with_rows(live, schema.name, named), assume_rows)
    constraint_indexes = index_constraint_names(statements)
    changes = []
    for e in ordered:
        step = classify(e.stmt.sql, ctx, constraint_indexes)
        changes.append(replace(step, group="undeclared" if id(e) in undeclared else None))
    changes = after_commit_drops(changes, ctx)
    additions = [_add_value(schema, a) for a in result.enum_additions]
    new_values = {literal(a.value) for a in result.enum_additions}
    uses_new_value = any(v in step.sql for step in changes for v in new_values)
    # a new enum value cannot be used in the transaction that adds it
    phase = "enum" if uses_new_value else "main"
    plan.steps += [Step(s.sql, phase=phase, note=s.note) for s in additions]
    plan.steps += [s for s in changes if s.phase == "main"] + [s for s in changes if s.phase == "after"]


def _add_value(schema: m.Schema, addition: differ.EnumAddition) -> Step:
    where = f" BEFORE {literal(addition.before)}" if addition.before else ""
    return Step(f"ALTER TYPE {qualified(schema.name, addition.enum)} ADD VALUE IF NOT EXISTS "
                f"{literal(addition.value)}{where}",
                note="a new enum value: added in place, no table is rewritten")


def lock_settings(conn, lock_timeout: str, statement_timeout: str) -> None:
    conn.execute(text("SELECT set_config('lock_timeout', :v, true)"), {"v": lock_timeout})
    conn.execute(text("SELECT set_config('statement_timeout', :v, true)"), {"v": statement_timeout})
