"""Build the plan that takes a live database to the rendered target.

The recipe: nothing at all when the two schemas' catalog digests are equal
(fingerprint.py); else declared renames first (run on the live connection inside the
caller's transaction, so the diff already sees the new names), then the diff
engine's statements read for safety and phase, enum values added with
ALTER TYPE ... ADD VALUE instead of a recreated type, and comment changes,
which the diff engine does not see.
"""

from __future__ import annotations

import re

from sqlalchemy import text

from schemagen.live import (
    catalog,
    differ,
    fastpath,
    fingerprint,
    introspect,
    objects,
    partitions,
    privileges,
    rls,
    views,
)
from schemagen.live.plan import Plan, Step
from schemagen.live.renames import forward, plan_renames
from schemagen.live.safety import Context, classify, default_functions, index_constraint_names
from schemagen.live.sequences import clashing_names, extension_steps
from schemagen.render.sql import ident, literal, qualified
from schemagen.spec import model as m

_COMMENT_TARGETS = {
    "table": lambda s, o, _: f"TABLE {qualified(s, o)}",
    "column": lambda s, o, sub: f"COLUMN {qualified(s, o)}.{ident(sub)}",
    "constraint": lambda s, o, sub: f"CONSTRAINT {ident(sub)} ON {qualified(s, o)}",
    "type": lambda s, o, _: f"TYPE {qualified(s, o)}",
    "function": lambda s, o, _: f"FUNCTION {qualified(s, o)}()",
    "sequence": lambda s, o, _: f"SEQUENCE {qualified(s, o)}",
    "domain constraint": lambda s, o, sub: f"CONSTRAINT {ident(sub)} ON DOMAIN {qualified(s, o)}",
}


def build_plan(schema: m.Schema, live, target, *, renames: bool = True, assume_rows: bool = False,
               shortcut: bool = True, empty_fast_path: bool = False) -> Plan:
    """live: a SQLAlchemy connection inside the caller's transaction (renames run
    in it); target: a connection to a database holding the rendered schema.
    assume_rows: plan as if every existing table held rows (for migration files,
    which run later on databases we cannot see now).
    shortcut: trust equal digests (False runs the diff engine regardless, for tests).
    empty_fast_path: an empty live schema gets schema.sql as its plan (fastpath.py)."""
    # privileges already held in the empty schema (on it, or defaults) may need revoking: the full path
    if empty_fast_path and fastpath.is_empty(live, schema) and not privileges.held(live, schema):
        return fastpath.plan(schema)
    plan = Plan()
    extensions = extension_steps(schema, catalog.extensions(live))
    if shortcut and not extensions and fingerprint.same(live, target, schema.name):
        return plan
    live_objects = introspect.objects(live, schema.name)
    pending = forward(schema, plan_renames(schema, live_objects)) if renames else []
    pending += clashing_names(schema.name, catalog.sequences(live, schema.name), catalog.sequences(target, schema.name))
    for sql in pending:
        live.exec_driver_sql(sql)
        plan.steps.append(Step(sql, kind="rename", note="renamed_from in schema.yaml: the data stays"
                               if "_retired" not in sql else "frees the name for the new kind of sequence"))
    if pending:
        live_objects = introspect.objects(live, schema.name)
    result = differ.diff(live, target, schema.name)
    diff, view_drops, view_creates = views.plan(schema, live, target, list(result.statements))
    tables = {o for k, o, _ in live_objects if k == "table"}
    # partitions, and what the diff engine gets wrong about tables, are planned by partitions.py
    statements, after = partitions.adjust(schema.name, live, target, diff, lambda names: (
        names if assume_rows else introspect.tables_with_rows(live, schema.name, names)))
    cats, live_domains, target_domains, uses = objects.read(schema, live, target, tables)
    # only tables a statement names (or that use a changing domain) can matter to safety: probe those alone
    named = sorted(tables & (_names_in(statements) | objects.domain_tables(uses)))
    rows = tables if assume_rows else introspect.tables_with_rows(live, schema.name, named)
    cats.rows = rows
    amended = objects.amend(schema, cats, live_domains, target_domains, uses, statements)
    diff_statements = [s for s in amended if isinstance(s, str)]
    ctx = Context(tables=tables, rows=rows, column_types=introspect.column_types(live, schema.name),
                  volatile=catalog.volatile(live, default_functions(diff_statements)),
                  standalone_sequences={n for n, s in cats.live_sequences.items() if s.owner is None},
                  live_domains=objects.domain_summary(live_domains),
                  target_domains=objects.domain_summary(target_domains))
    constraint_indexes = index_constraint_names(diff_statements)
    changes = (extensions + view_drops
               + [classify(s, ctx, constraint_indexes) if isinstance(s, str) else s for s in amended]
               + view_creates + after)
    changes = rls.review(schema, live, changes)
    roles, grants = privileges.plan_steps(schema, live)  # roles before policies name them; grants last
    additions = [_add_value(schema, a) for a in result.enum_additions]
    comments = comment_steps(schema, live, target)
    new_values = {literal(a.value) for a in result.enum_additions}
    uses_new_value = any(v in step.sql for step in changes + comments for v in new_values)
    # a new enum value cannot be used in the transaction that adds it
    phase = "enum" if uses_new_value else "main"
    plan.steps += [Step(s.sql, phase=phase, note=s.note) for s in additions]
    plan.steps += (roles + [s for s in changes if s.phase == "main"] + comments + grants
                   + [s for s in changes if s.phase == "after"])
    for name in introspect.invalid_indexes(live, schema.name):
        plan.notes.append(f"index {name} is INVALID (an interrupted concurrent build): apply drops and rebuilds it")
    return plan


def _names_in(statements) -> set[str]:
    """Every identifier the statements could name: quoted, or bare as pg_get_indexdef prints plain names."""
    text = "\n".join(statements)
    return ({q.replace('""', '"') for q in re.findall(r'"((?:[^"]|"")*)"', text)}
            | set(re.findall(r"[A-Za-z_][\w$]*", text)))


def _add_value(schema: m.Schema, addition: differ.EnumAddition) -> Step:
    where = f" BEFORE {literal(addition.before)}" if addition.before else ""
    return Step(f"ALTER TYPE {qualified(schema, addition.enum)} ADD VALUE IF NOT EXISTS "
                f"{literal(addition.value)}{where}",
                note="a new enum value: added in place, no table is rewritten")


def comment_steps(schema: m.Schema, live, target) -> list[Step]:
    """COMMENT ON for every comment that differs, on objects the target has."""
    have, want = introspect.comments(live, schema.name), introspect.comments(target, schema.name)
    objects = introspect.objects(target, schema.name)
    steps = []
    for key in sorted(set(have) | set(want)):
        if have.get(key) == want.get(key) or key not in objects:
            continue
        kind, obj, sub = key
        value = literal(want[key]) if key in want else "NULL"
        steps.append(Step(f"COMMENT ON {_COMMENT_TARGETS[kind](schema, obj, sub)} IS {value}"))
    return steps


def lock_settings(conn, lock_timeout: str, statement_timeout: str) -> None:
    conn.execute(text("SELECT set_config('lock_timeout', :v, true)"), {"v": lock_timeout})
    conn.execute(text("SELECT set_config('statement_timeout', :v, true)"), {"v": statement_timeout})
