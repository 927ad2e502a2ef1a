"""Whole objects the diff engine does not plan (besides domains, sequences and extensions,
which objects.py plans, and partitions, which partitions.py plans): aggregates, range
types, rules, extended statistics, collations, base types and the other schema objects
schema.yaml cannot declare (operators, operator classes and families, text search
configurations and dictionaries, conversions), and indexes whose definition changed in a
way the engine does not compare (operator class, collation, NULLS NOT DISTINCT, ...). Each
is created from the target's catalog row, dropped by name, or recreated; the planner's
ordering (order.py) puts them in place.
"""

from __future__ import annotations

from pglast import parse_sql
from pglast.stream import RawStream

from schemagen.live.pgcatalog import Catalog, Obj
from schemagen.live.sqlnames import ident, literal, qualified, routine, split, target

OURS = ("aggregate", "range", "type", "rule", "statistics", "collation", "other")  # domains: objects.py
_SAME_WITHOUT = ("comment", "acl", "enabled", "target", "not_null", "default")  # changed in place (properties.py)


def _definition(obj: Obj) -> dict:
    return {k: v for k, v in obj.detail.items() if k not in _SAME_WITHOUT}


def drop(obj: Obj, schema: str) -> str:
    if obj.kind == "constraint":
        table, con = split(obj)
        return f"ALTER DOMAIN {qualified(schema, table)} DROP CONSTRAINT {ident(con)}"
    return f"DROP {target(obj, schema)}"


def create(obj: Obj, schema: str) -> list[str]:
    d, full = obj.detail, qualified(schema, obj.name)
    if obj.kind == "domain":
        sql = f"CREATE DOMAIN {full} AS {d['base']}"
        sql += f" COLLATE {d['collation']}" if d.get("collation") else ""
        sql += f" DEFAULT {d['default']}" if d.get("default") is not None else ""
        return [sql + (" NOT NULL" if d.get("not_null") else "")]
    if obj.kind == "constraint":
        table, con = split(obj)
        return [f"ALTER DOMAIN {qualified(schema, table)} ADD CONSTRAINT {ident(con)} {d['definition']}"]
    if obj.kind == "aggregate":
        return [_aggregate(obj, schema)]
    if obj.kind == "range":
        r = d["range"]
        opts = [f"SUBTYPE = {r['subtype']}", f"SUBTYPE_OPCLASS = {r['opclass']}"]
        opts += [f"COLLATION = {r['collation']}"] if r.get("collation") else []
        opts += [f"CANONICAL = {r['canonical']}"] if r.get("canonical") not in (None, "-") else []
        opts += [f"SUBTYPE_DIFF = {r['diff']}"] if r.get("diff") not in (None, "-") else []
        return [f"CREATE TYPE {full} AS RANGE ({', '.join(opts)})"]
    if obj.kind in ("rule", "statistics"):
        return [d["definition"].rstrip().rstrip(";")]
    if obj.kind == "collation":
        return [_collation(obj, schema)]
    return []  # base types and the other kinds: schema.yaml cannot declare them, so a target never has them


def _aggregate(obj: Obj, schema: str) -> str:
    a = obj.detail["aggregate"]
    fname, _ = routine(obj.name)
    opts = [f"SFUNC = {a['sfunc']}", f"STYPE = {a['stype']}"]
    opts += [f"SSPACE = {a['sspace']}"] if a.get("sspace") else []
    modify = {"r": "READ_ONLY", "s": "SHAREABLE", "w": "READ_WRITE"}
    if a.get("finalfunc"):
        opts += [f"FINALFUNC = {a['finalfunc']}", f"FINALFUNC_MODIFY = {modify[a['finalfunc_modify']]}"]
        opts += ["FINALFUNC_EXTRA"] if a.get("finalfunc_extra") else []
    for key in ("combinefunc", "serialfunc", "deserialfunc", "msfunc", "minvfunc", "mstype"):
        opts += [f"{key.upper()} = {a[key]}"] if a.get(key) else []
    opts += [f"MSSPACE = {a['msspace']}"] if a.get("msspace") else []
    if a.get("mfinalfunc"):
        opts += [f"MFINALFUNC = {a['mfinalfunc']}", f"MFINALFUNC_MODIFY = {modify[a['mfinalfunc_modify']]}"]
        opts += ["MFINALFUNC_EXTRA"] if a.get("mfinalfunc_extra") else []
    for key in ("initcond", "minitcond"):
        opts += [f"{key.upper()} = {literal(a[key])}"] if a.get(key) is not None else []
    opts += [f"SORTOP = {a['sortop'].rpartition('(')[0]}"] if a.get("sortop") else []
    opts += ["HYPOTHETICAL"] if a.get("kind") == "h" else []
    opts.append("PARALLEL = " + {"s": "SAFE", "r": "RESTRICTED", "u": "UNSAFE"}[a.get("parallel") or "u"])
    return f"CREATE AGGREGATE {qualified(schema, fname)}({a['arguments'] or '*'}) ({', '.join(opts)})"


def _collation(obj: Obj, schema: str) -> str:
    d = obj.detail
    provider = {"i": "icu", "c": "libc", "d": "libc", "b": "builtin"}[d["collprovider"]]
    opts = [f"provider = {provider}"]
    locale = d.get("colliculocale") or d.get("colllocale")
    if provider == "libc":
        opts += [f"lc_collate = {literal(d['collcollate'])}", f"lc_ctype = {literal(d['collctype'])}"]
    elif locale:
        opts.append(f"locale = {literal(locale)}")
    opts += [f"rules = {literal(d['collicurules'])}"] if d.get("collicurules") else []
    opts += ["deterministic = false"] if d.get("collisdeterministic") is False else []
    return f"CREATE COLLATION {qualified(schema, obj.name)} ({', '.join(opts)})"


def _index_shape(definition: str) -> str:
    """The index definition without its storage parameters (those change in place)."""
    stmt = parse_sql(definition)[0].stmt
    stmt.options = None
    return RawStream()(stmt)


def _ours(obj: Obj) -> bool:
    return obj.kind in OURS


def steps(live: Catalog, want: Catalog, schema: str, planned: set[tuple]) -> tuple[list, list]:
    """(drops, creates), each a list of (SQL, catalog key), for what only schemagen plans;
    `planned` holds the keys the diff engine's statements already create or drop (left to it)."""
    drops: list = []
    creates: list = []
    for key in sorted(set(live) - set(want)):
        if _ours(live[key]) and key not in planned:
            if not (live[key].kind == "constraint" and ("domain", live[key].parent_name) not in want):
                drops.append((drop(live[key], schema), key))  # a dropped domain takes its constraints along
    remade: set[str] = set()
    for key in sorted(set(live) & set(want)):
        old, new = live[key], want[key]
        if _ours(new) and _definition(old) != _definition(new) and key not in planned:
            if new.kind == "aggregate":
                sql = _aggregate(new, schema).replace("CREATE AGGREGATE", "CREATE OR REPLACE AGGREGATE", 1)
                creates.append((sql, key))
                continue
            drops.append((drop(old, schema), key))
            creates += [(sql, key) for sql in create(new, schema)]
            remade.add(new.name)
        elif new.kind == "index" and key not in planned and _index_changed(old, new):
            con = ("constraint", f"{new.get('table')}.{new.get('constraint')}")
            if not new.get("constraint"):
                drops.append((f"DROP INDEX {qualified(schema, new.name)}", key))
                creates.append((new.get("definition"), key))
            elif con in planned:  # the engine re-adds the key USING INDEX but makes no index for it
                creates.append((new.get("definition"), key))
    for key in sorted(set(want) - set(live)):
        if _ours(want[key]) and key not in planned:
            creates += [(sql, key) for sql in create(want[key], schema)]
    for key in sorted(want):  # a recreated domain's constraints come back with it
        obj = want[key]
        if obj.kind == "constraint" and obj.parent == "types" and obj.parent_name in remade and key in live:
            creates += [(sql, key) for sql in create(obj, schema)]
    return drops, creates


def _index_changed(old: Obj, new: Obj) -> bool:
    a, b = old.get("definition"), new.get("definition")
    # the same text has the same shape: only a changed definition is worth parsing (1,000s of indexes)
    return bool(a and b) and a != b and _index_shape(a) != _index_shape(b)

