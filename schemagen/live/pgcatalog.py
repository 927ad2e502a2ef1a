"""Every object of one schema as PostgreSQL stores it, read from pg_catalog (pgcatalog.sql).

One description serves three readers: the digest (a sha256 over all rows, made by
the server, so an in-sync database costs one round trip), the planner (which
compares the rows of both databases field by field and plans what the diff engine
does not see) and the plan's list of objects schema.yaml never declared.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from schemagen.live.lazysql import text
from schemagen.live.privileges import CREATOR
from schemagen.live.scope import EVERYTHING, Scope

_ENTRY = ("CASE WHEN a.grantee = 0 THEN 'PUBLIC' WHEN a.grantee = {owner} THEN 'OWNER' "
          "ELSE pg_get_userbyid(a.grantee) END || ':' || a.privilege_type "
          "|| CASE WHEN a.is_grantable THEN '*' ELSE '' END")
_ENTRIES = ("SELECT {entry} FROM aclexplode(CASE WHEN cardinality({acl}) > 0 THEN {acl} END) a "
            "WHERE pg_get_userbyid(a.grantee) IN (SELECT name FROM roles)")


def _acl(match: re.Match) -> str:
    """Privileges of the roles schema.yaml declares (issue 13: no other role's, PUBLIC and the
    owner included, is touched; live/privileges.py plans them) as {"grant": [...], "revoke": [...]}
    against the default for the object's kind, each "ROLE:PRIVILEGE" (* with grant option); a
    declared role that owns the object is OWNER. NULL when they are the default."""
    acl, kind, owner = (part.strip() for part in match.group(1).split(";"))
    default = f'acldefault(CAST({kind} AS "char"), {owner})' if kind != "NULL" else "NULL::aclitem[]"
    actual, entry = f"coalesce({acl}, {default})", _ENTRY.format(owner=owner)
    have = _ENTRIES.format(entry=entry, acl=actual, owner=owner)
    usual = _ENTRIES.format(entry=entry, acl=default, owner=owner)
    return (f"(SELECT CASE WHEN g IS NOT NULL OR r IS NOT NULL THEN jsonb_build_object('grant', g, 'revoke', r) END "
            f"FROM (SELECT (SELECT array_agg(e ORDER BY e) FROM ({have} EXCEPT {usual}) x(e)) AS g, "
            f"(SELECT array_agg(e ORDER BY e) FROM ({usual} EXCEPT {have}) x(e)) AS r) y)")


def _member(match: re.Match) -> str:
    catalog, oid = (part.strip() for part in match.group(1).split(";"))
    return (f"EXISTS (SELECT 1 FROM pg_depend m WHERE m.classid = CAST({catalog} AS regclass) AND m.objid = {oid} "
            "AND (m.deptype = 'e' OR (m.deptype = 'i' AND m.classid IN ('pg_proc'::regclass, 'pg_type'::regclass))))")


@cache
def _objects_sql() -> str:
    sql = (Path(__file__).with_name("pgcatalog.sql")).read_text(encoding="utf-8")
    sql = sql.replace("CREATOR()", CREATOR)  # whose default privileges count: privileges.py's rule
    sql = re.sub(r"\bACL\(((?:[^()]|\([^()]*\))*)\)", _acl, sql)
    return re.sub(r"\bMEMBER\(((?:[^()]|\([^()]*\))*)\)", _member, sql)


_FILTER = """
WHERE NOT EXISTS (
    SELECT 1 FROM jsonb_each(CAST(:ignore AS jsonb)) i, jsonb_array_elements_text(i.value) p(pattern)
    WHERE (i.key = o.scope AND o.scope_name ~ p.pattern) OR (i.key = o.parent AND o.parent_name ~ p.pattern))
"""


@cache
def rows_query() -> str:
    return (f"{_objects_sql()}\nSELECT kind, name, parent, parent_name, owner, node, detail::text "
            f"FROM objects o {_FILTER}")


# "C" order so the databases' own collations do not matter
_DIGEST = """encode(sha256(convert_to(coalesce(string_agg(jsonb_build_array(kind, name, detail)::text, E'\\n'
                                         ORDER BY kind COLLATE "C", name COLLATE "C"), ''), 'UTF8')), 'hex')"""


@cache
def digest_query() -> str:
    # one row back instead of thousands
    return f"""{_objects_sql()}
SELECT {_DIGEST}
FROM objects o {_FILTER}"""


@cache
def rows_and_digest_query() -> str:
    """rows_query's rows and, in one more row (its kind NULL), digest_query's digest: one pass
    over the catalog where a plan needs both (the rows only when the digests differ)."""
    return f"""{_objects_sql()},
kept AS MATERIALIZED (SELECT kind, name, parent, parent_name, owner, node, detail FROM objects o {_FILTER})
SELECT kind, name, parent, parent_name, owner, node, detail::text FROM kept
UNION ALL
SELECT NULL, NULL, NULL, NULL, NULL, NULL, {_DIGEST} FROM kept"""


# What the description leaves out on purpose, with the reason; docs/live-changes.md lists
# the same (a test keeps the two equal, so the list cannot grow by accident).
IGNORED = {
    "rows": "data, not schema: apply never changes rows",
    "planner statistics": "ANALYZE and VACUUM describe the data, not its shape",
    "sequence positions": "a sequence's current value is data; its options are compared",
    "other schemas": "only the schema schema.yaml names is read and managed",
    "owners": "schema.yaml sets no owners: what apply creates belongs to the role that runs it",
    "privileges of roles schema.yaml does not name": "PUBLIC's, the owners' and those of every role not under "
                                                     "roles: belong to others (monitoring agents, replication, "
                                                     "other applications): never compared, granted or revoked; "
                                                     "the declared roles' privileges are",
    "objects that belong to an extension": "the extension creates, changes and drops them; "
                                           "the extension and its version are compared",
    "tablespaces": "where files live is the server's business (scratch targets even live in RAM)",
    "materialized view contents": "whether one has been refreshed is data, not schema",
    "collation versions": "the collation library's version is the server's, not declared",
}


@dataclass(frozen=True)
class Obj:
    kind: str           # table, view, sequence, composite, column, index, constraint, trigger, policy, ...
    name: str           # unique within kind: "table.column" for what belongs to a table
    parent: str | None  # scope kind of the table or view it belongs to ("tables", "views", "types")
    parent_name: str | None
    owner: str | None   # the owning role (planning only: owners are not compared)
    node: str           # "catalog/oid/subid", as pg_depend names it (planning only)
    detail: dict

    @property
    def key(self) -> tuple[str, str]:
        return self.kind, self.name

    def get(self, field: str):
        return self.detail.get(field)


Catalog = dict[tuple[str, str], Obj]


def describe(conn, schema: str, scope: Scope = EVERYTHING) -> Catalog:
    return catalog(conn.execute(text(rows_query()), {"schema": schema, **scope.params()}))


def catalog(rows) -> Catalog:
    rows = list(rows)
    details = json.loads("[" + ",".join(r[6] for r in rows) + "]")  # one parse: thousands of calls cost more
    return {(k, n): Obj(k, n, p, pn, o, node, d) for (k, n, p, pn, o, node, _), d in zip(rows, details, strict=True)}


def rows_and_digest(conn, schema: str, scope: Scope = EVERYTHING) -> tuple[list, str]:
    """(describe's rows, not yet parsed: catalog() does that; digest()), read in one query."""
    rows = conn.execute(text(rows_and_digest_query()), {"schema": schema, **scope.params()}).all()
    return [r for r in rows if r[0] is not None], next(r[6] for r in rows if r[0] is None)


def differences(live: Catalog, target: Catalog) -> list[str]:
    """What differs, one line per object, for people (and for tests that want to know why)."""
    out = []
    for key in sorted(set(live) | set(target)):
        a, b = live.get(key), target.get(key)
        if a is None:
            out.append(f"{key[0]} {key[1]}: only in schema.yaml")
        elif b is None:
            out.append(f"{key[0]} {key[1]}: only in the database")
        elif a.detail != b.detail:
            fields = sorted(f for f in set(a.detail) | set(b.detail) if a.get(f) != b.get(f))
            out.append(f"{key[0]} {key[1]}: " + ", ".join(
                f"{f} {_short(a.get(f))} -> {_short(b.get(f))}" for f in fields))
    return out


def _short(value) -> str:
    shown = json.dumps(value, ensure_ascii=False)
    return shown if len(shown) <= 80 else shown[:77] + "..."
