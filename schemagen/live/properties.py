"""Properties the diff engine does not compare, changed in place: storage parameters of
views and indexes, statistics targets, storage and compression of columns, replica
identity, FORCE ROW LEVEL SECURITY, CLUSTER ON, rule and statistics settings and comments
(policies' included). (Tables' storage parameters: partitions.py; sequence options and domains:
objects.py; privileges, of the roles schema.yaml declares only: privileges.py; views made
again whole: views.py.)

Each rule compares one field of an object the target has with what the live object
will hold once the rest of the plan has run: the live value, or what PostgreSQL gives
an object the plan creates (or recreates, or re-types) when nothing says otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from schemagen.live.pgcatalog import Catalog, Obj
from schemagen.live.sqlnames import ident, keyword, literal, name, qualified, split, target

_TYPE_MAX = {"smallint": 32767, "integer": 2147483647, "bigint": 9223372036854775807}


@dataclass
class Facts:
    """What the rest of the plan does to objects, by catalog key."""
    fresh: set = field(default_factory=set)     # created or recreated: they start with PostgreSQL's defaults
    retyped: set = field(default_factory=set)   # columns whose type changes (storage and compression reset)
    replaced: set = field(default_factory=set)  # views replaced in place (their options reset)
    whole: set = field(default_factory=set)     # made whole from schema.yaml by their own planner (views.py)


def _fresh(obj: Obj) -> dict:
    """What a new object holds in the fields below, made by the diff engine's statements or ours."""
    d = dict(obj.detail, comment=None, acl=None, clustered=False, force_rls=False, statistics=None,
             compression="", target=None, enabled="O")
    if obj.kind == "column":
        d.update(storage=obj.get("type_storage"), options=None)
    if obj.kind == "extension":
        d.update(comment=obj.get("comment"))  # CREATE EXTENSION sets its own
    if obj.kind in ("table", "view"):
        tables = obj.get("relkind") in ("r", "p")
        d.update(options=None, replica_identity="d" if tables else obj.get("replica_identity"))
    if obj.kind == "sequence":
        identity = (obj.get("sequence").get("owned_by") or "").startswith("i:")
        kind = obj.get("sequence")["type"] if identity else "bigint"
        d["sequence"] = dict(obj.get("sequence"), type=kind, start=1, increment=1, min=1, max=_TYPE_MAX[kind],
                             cache=1, cycle=False)
    return d


def _base(key, live: Catalog, want: Obj, facts: Facts) -> dict:
    if key not in live or key in facts.fresh:
        return _fresh(want)
    d = dict(live[key].detail)
    if key in facts.retyped:
        d.update(storage=want.get("type_storage"), compression="")
    if key in facts.replaced and want.kind == "view":
        d.update(options=None)
    return d


def _options(old, new) -> list[str]:
    """SET (...) and RESET (...) clauses taking storage parameters from old to new."""
    before = dict(o.split("=", 1) for o in old or ())
    after = dict(o.split("=", 1) for o in new or ())
    out = []
    reset = [k for k in before if k not in after]
    changed = [f"{k} = {literal(v)}" for k, v in after.items() if before.get(k) != v]
    if reset:
        out.append(f"RESET ({', '.join(reset)})")
    if changed:
        out.append(f"SET ({', '.join(changed)})")
    return out


def _column_alter(obj: Obj, schema: str, clause: str) -> str:
    table, column = split(obj)
    return f"ALTER TABLE {qualified(schema, table)} ALTER COLUMN {ident(column)} {clause}"


def _relation_options(obj, schema, old, new, ctx):
    return [f"ALTER {keyword(obj)} {name(obj, schema)} {c}" for c in _options(old, new)]


def _column_options(obj, schema, old, new, ctx):
    return [_column_alter(obj, schema, c) for c in _options(old, new)]


def _statistics(obj, schema, old, new, ctx):
    return [_column_alter(obj, schema, f"SET STATISTICS {-1 if new is None else new}")]


def _storage(obj, schema, old, new, ctx):
    kinds = {"p": "PLAIN", "e": "EXTERNAL", "x": "EXTENDED", "m": "MAIN"}
    return [_column_alter(obj, schema, f"SET STORAGE {kinds[new]}")]


def _compression(obj, schema, old, new, ctx):
    return [_column_alter(obj, schema, "SET COMPRESSION " + {"": "DEFAULT", "p": "pglz", "l": "lz4"}[new])]


def _replica_identity(obj, schema, old, new, ctx):
    if new == "i":
        index = next(o for o in ctx.values() if o.kind == "index" and o.get("table") == obj.name
                     and o.get("replica_identity"))
        how = f"USING INDEX {ident(index.name)}"
    else:
        how = {"d": "DEFAULT", "n": "NOTHING", "f": "FULL"}[new]
    return [f"ALTER TABLE {qualified(schema, obj.name)} REPLICA IDENTITY {how}"]


def _force_rls(obj, schema, old, new, ctx):
    return [f"ALTER TABLE {qualified(schema, obj.name)} {'' if new else 'NO '}FORCE ROW LEVEL SECURITY"]


def _clustered(obj, schema, old, new, ctx):
    table = qualified(schema, obj.get("table"))
    return [f"ALTER TABLE {table} CLUSTER ON {ident(obj.name)}" if new else f"ALTER TABLE {table} SET WITHOUT CLUSTER"]


def _rule_enabled(obj, schema, old, new, ctx):
    table, rule = split(obj)
    how = {"O": "ENABLE", "D": "DISABLE", "R": "ENABLE REPLICA", "A": "ENABLE ALWAYS"}[new]
    return [f"ALTER TABLE {qualified(schema, table)} {how} RULE {ident(rule)}"]


def _statistics_target(obj, schema, old, new, ctx):
    return [f"ALTER STATISTICS {qualified(schema, obj.name)} SET STATISTICS {-1 if new is None else new}"]


def _comment(obj, schema, old, new, ctx):
    return [f"COMMENT ON {target(obj, schema)} IS {'NULL' if new is None else literal(new)}"]


# (kind, field, rule): the field's value, as pgcatalog.sql reads it, is changed by
# rule(obj, schema, old, new, ctx), ctx being the target's catalog
# Tables' storage parameters are planned by partitions.py, sequence options and domains by
# objects.py (sequences.py, domains.py): not here, so nothing is planned twice.
RULES = [
    ("view", "options", _relation_options),
    ("index", "options", _relation_options), ("table", "replica_identity", _replica_identity),
    ("table", "force_rls", _force_rls),
    ("column", "statistics", _statistics), ("column", "storage", _storage),
    ("column", "compression", _compression), ("column", "options", _column_options),
    ("index", "clustered", _clustered), ("rule", "enabled", _rule_enabled),
    ("statistics", "target", _statistics_target),
]
EVERY_KIND = [("comment", _comment)]
_ORDER = ["schema", "extension", "collation", "enum", "domain", "range", "type", "composite", "sequence", "table",
          "column", "constraint", "index", "view", "function", "procedure", "aggregate", "trigger", "policy",
          "rule", "statistics", "other"]


def steps(live: Catalog, want: Catalog, schema: str, facts: Facts) -> list[tuple[str, tuple]]:
    """Statements for every field the diff engine leaves as it is, on every object the target has."""
    out = []
    for key in sorted(want, key=lambda k: (_ORDER.index(k[0]) if k[0] in _ORDER else 99, k[1])):
        if key in facts.whole:
            continue
        obj = want[key]
        base = _base(key, live, obj, facts)
        rules = [(f, r) for k, f, r in RULES if k == obj.kind] + EVERY_KIND
        for fieldname, rule in rules:
            old, new = base.get(fieldname), obj.get(fieldname)
            if old != new and not (obj.kind == "column" and obj.parent != "tables" and fieldname != "comment"):
                out += [(sql, key) for sql in rule(obj, schema, old, new, want)]
    return out
