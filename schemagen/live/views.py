"""Views and materialized views, planned here rather than by the diff engine: it misses their
options (security_barrier, check option), their comments and a materialized view's indexes, and it
does not drop the views that stand in the way of a column's type change. So every statement of the
diff engine about a view is set aside, and views are compared whole: a view that differs, or reads a
table whose columns change, is dropped first (its dependents before it) and made again at the end
of the same transaction, from schema.yaml, with its comments and indexes."""

from __future__ import annotations

import json

from sqlalchemy import text

from schemagen.live import statements
from schemagen.live.plan import Step
from schemagen.live.stmtinfo import read
from schemagen.render.sql_views import create_view
from schemagen.render.sqltext import ident, literal, qualified
from schemagen.spec import model as m

VIEWS = text("""
SELECT c.relname, c.relkind, pg_get_viewdef(c.oid), c.reloptions::text, obj_description(c.oid, 'pg_class'),
       (SELECT json_agg(json_build_array(a.attname, format_type(a.atttypid, a.atttypmod),
                                         col_description(c.oid, a.attnum)) ORDER BY a.attnum)
        FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped)::text,
       (SELECT json_agg(json_build_array(i.relname, pg_get_indexdef(x.indexrelid)) ORDER BY i.relname)
        FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = c.oid)::text
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = :schema AND c.relkind IN ('v', 'm')
""")
# what each view reads (through its rewrite rule), tables and views alike
READS = text("""
SELECT DISTINCT v.relname, r.relname
FROM pg_rewrite w JOIN pg_class v ON v.oid = w.ev_class
JOIN pg_namespace n ON n.oid = v.relnamespace
JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = w.oid AND d.refclassid = 'pg_class'::regclass
JOIN pg_class r ON r.oid = d.refobjid
WHERE n.nspname = :schema AND v.relkind IN ('v', 'm') AND r.oid <> v.oid
""")


def states(conn, schema: str) -> dict[str, tuple]:
    """name -> (kind, definition, options, comment, columns, indexes) as PostgreSQL prints them."""
    return {r[0]: tuple(r[1:]) for r in conn.execute(VIEWS, {"schema": schema})}


def plan(schema: m.Schema, live, target, diff: list[str], managed=None) -> tuple[list[str], list[Step], list[Step]]:
    """(the diff engine's statements without those about views, drops to run first, creates to run last).
    managed: the live catalog (pgcatalog.describe): views it leaves out (`ignore:`, an extension's) stay as
    they are."""
    have, want = states(live, schema.name), states(target, schema.name)
    # a view the target has that schema.yaml does not declare (a target that is not schema.yaml's, as in
    # tests between two databases) is left to the diff engine, as is one `ignore:` leaves out
    foreign = set(want) - {v.name for v in schema.views}
    have = {v: s for v, s in have.items() if v not in foreign and (managed is None or ("view", v) in managed)}
    want = {v: s for v, s in want.items() if v not in foreign}
    if not have and not want:
        return diff, [], []
    reads: dict[str, set[str]] = {}
    for view, relation in live.execute(READS, {"schema": schema.name}):
        reads.setdefault(view, set()).add(relation)
    indexes = {i[0] for s in list(have.values()) + list(want.values()) for i in json.loads(s[5] or "[]")}
    kept = [sql for sql in diff if not _about_views(sql, set(have) | set(want), indexes)]
    changed_tables = {stmt.ref.name for stmt in map(read, kept) if stmt.ref and stmt.ref.kind == "table" and (
        stmt.verb == "drop" or stmt.sub("AlterColumnType", "DropColumn"))}
    drop = {v for v in have if _shape(have[v]) != _shape(want.get(v)) or reads.get(v, set()) & changed_tables}
    while extra := {v for v in have if v not in drop and reads.get(v, set()) & drop}:
        drop |= extra  # a view on a view that goes must go first
    drops = [_drop(schema, v, have[v][0], v not in want) for v in _dependents_first(drop, reads)]
    make = {v for v in want if v not in have or v in drop}
    creates = [Step(sql, note=None if i else _why(view, have)) for view in schema.views if view.name in make
               for i, sql in enumerate(create_view(schema, view))]
    creates += [step for view in schema.views if view.name in have and view.name not in make
                for step in _comments(schema, view, have[view.name], want[view.name])]
    return kept, drops, creates


def _shape(state: tuple | None) -> tuple | None:
    """What a view is, but for its comments (a comment alone changes in place)."""
    if state is None:
        return None
    kind, definition, options, _, columns, indexes = state
    return kind, definition, options, [c[:2] for c in json.loads(columns or "[]")], indexes


def _comments(schema: m.Schema, view: m.View, have: tuple, want: tuple) -> list[Step]:
    """COMMENT ON for a view whose comments alone differ."""
    name = qualified(schema, view.name)
    out = [Step(f"COMMENT ON {view.kind.upper()} {name} IS {_literal(want[3])}")] if have[3] != want[3] else []
    for old, new in zip(json.loads(have[4] or "[]"), json.loads(want[4] or "[]"), strict=True):
        if old[2] != new[2]:
            out.append(Step(f"COMMENT ON COLUMN {name}.{ident(new[0])} IS {_literal(new[2])}"))
    return out


def _literal(value: str | None) -> str:
    return "NULL" if value is None else literal(value)


def _why(view: m.View, have: dict) -> str | None:
    return f"{view.kind} {view.name} made again as schema.yaml declares it" if view.name in have else None


def _drop(schema: m.Schema, name: str, relkind: str, gone: bool) -> Step:
    kind = "MATERIALIZED VIEW" if relkind == "m" else "VIEW"
    sql = f"DROP {kind} IF EXISTS {qualified(schema, name)}"
    if gone:
        contents = " and its contents" if relkind == "m" else ""
        return Step(sql, unsafe=f"drops {kind.lower()} {name}{contents}, which schema.yaml no longer names: breaks "
                                "callers that read it", risk="drops data" if relkind == "m" else "breaks callers")
    return Step(sql, note=f"{kind.lower()} {name} is dropped here and made again below (same transaction)")


def _dependents_first(names: set[str], reads: dict[str, set[str]]) -> list[str]:
    out, left = [], sorted(names)
    while left:
        ready = next((v for v in left if not any(v in reads.get(o, set()) for o in left if o != v)), left[0])
        left.remove(ready)
        out.append(ready)
    return out


def _about_views(sql: str, views: set[str], indexes: set[str]) -> bool:
    """A statement of the diff engine that creates, replaces or drops a view, or an index of one (parsed)."""
    from pglast.enums import ObjectType
    node, kind = statements.parsed(sql), statements.kind(sql)
    if kind == "ViewStmt":
        return node.view.relname in views
    if kind == "CreateTableAsStmt":
        return node.into.rel.relname in views
    if kind == "IndexStmt":
        return node.relation.relname in views
    if kind == "DropStmt" and node.removeType in (ObjectType.OBJECT_VIEW, ObjectType.OBJECT_MATVIEW,
                                                  ObjectType.OBJECT_INDEX):
        names = [getattr(o[-1], "sval", "") if isinstance(o, tuple) else "" for o in node.objects]
        return all(n in views or n in indexes for n in names)
    return False
