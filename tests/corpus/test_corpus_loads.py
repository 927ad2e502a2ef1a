"""The corpus loads: PostgreSQL accepts each entry's schema.sql and then its data.sql,
and the catalog holds exactly the objects and rows its expect.json lists.

Each folder in tests/corpus/ is one schema written by others (or the way they write it):
schema.sql, data.sql, expect.json, README.md. Later work (new column and table features,
database objects, `schemagen import` round trips, diff soundness) uses the same files;
this test keeps them loadable and their inventory honest.

What is counted (objects that belong to an extension are never counted):
- tables: ordinary and partitioned tables that are not partitions; partitions apart.
- indexes, constraints and triggers as declared: the copies PostgreSQL makes on each
  partition (inherited from the parent) are left out.
- privileges: entries of the ACLs (relacl, attacl, nspacl, proacl, pg_default_acl) for
  grantees other than the owner (PUBLIC included: PostgreSQL 15's public schema has one).
- rows: count(*) of every table that is not a partition (a parent counts its partitions').
"""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

HERE = Path(__file__).resolve().parent
ENTRIES = sorted(p.name for p in HERE.iterdir() if (p / "schema.sql").is_file())

USER_NS = "n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'"
NOT_EXT = ("NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = {cls}::regclass "
           "AND d.objid = {oid} AND d.deptype = 'e')")

# indexes as declared (not the partitions' copies), and columns of tables (not partitions)
INDEXES = ("SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
           "JOIN pg_namespace n ON n.oid = c.relnamespace "
           "WHERE {ns} AND NOT EXISTS (SELECT FROM pg_inherits h WHERE h.inhrelid = c.oid) "
           "AND NOT EXISTS (SELECT FROM pg_class t WHERE t.oid = i.indrelid AND t.relispartition) "
           "AND {ext_class}")
COLUMNS = ("SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
           "JOIN pg_namespace n ON n.oid = c.relnamespace "
           "WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND a.attnum > 0 "
           "AND NOT a.attisdropped AND {ns}")

# name -> query giving one number; {ns} filters user schemas, {ext}(...) leaves extension members out
COUNTS = {
    "tables": "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
              "WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND {ns} AND {ext_class}",
    "partitioned_tables": "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                          "WHERE c.relkind = 'p' AND {ns}",
    "partitions": "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                  "WHERE c.relkind IN ('r', 'p') AND c.relispartition AND {ns}",
    "unlogged_tables": "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                       "WHERE c.relkind IN ('r', 'p') AND c.relpersistence = 'u' AND {ns}",
    "views": "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
             "WHERE c.relkind = 'v' AND {ns} AND {ext_class}",
    "materialized_views": "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                          "WHERE c.relkind = 'm' AND {ns}",
    "sequences": "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                 "WHERE c.relkind = 'S' AND {ns} AND {ext_class}",
    "identity_columns": "SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
                        "JOIN pg_namespace n ON n.oid = c.relnamespace "
                        "WHERE a.attidentity <> '' AND NOT c.relispartition AND {ns}",
    "generated_columns": "SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
                         "JOIN pg_namespace n ON n.oid = c.relnamespace "
                         "WHERE a.attgenerated <> '' AND NOT c.relispartition AND {ns}",
    "indexes": INDEXES,
    "expression_indexes": INDEXES + " AND i.indexprs IS NOT NULL",
    "partial_indexes": INDEXES + " AND i.indpred IS NOT NULL",
    "include_indexes": INDEXES + " AND i.indnkeyatts < i.indnatts",
    "nulls_not_distinct_indexes": INDEXES + " AND i.indnullsnotdistinct",
    "index_storage_options": INDEXES + " AND c.reloptions IS NOT NULL",
    "non_default_opclasses": "SELECT count(*) FROM (" + INDEXES.replace("count(*)", "i.indclass") + ") x, "
                             "unnest(x.indclass) o JOIN pg_opclass oc ON oc.oid = o WHERE NOT oc.opcdefault",
    "table_storage_options": "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                             "WHERE c.relkind IN ('r', 'p') AND c.reloptions IS NOT NULL AND {ns}",
    "replica_identity_full": "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                             "WHERE c.relkind IN ('r', 'p') AND c.relreplident = 'f' AND {ns}",
    "column_collations": COLUMNS + " AND a.attcollation <> (SELECT t.typcollation FROM pg_type t "
                         "WHERE t.oid = a.atttypid)",
    "statistics_targets": COLUMNS + " AND a.attstattarget >= 0",
    "array_columns": COLUMNS + " AND a.attndims > 0",
    "primary_keys": "SELECT count(*) FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace "
                    "WHERE k.contype = 'p' AND k.conparentid = 0 AND {ns} AND {ext_con}",
    "foreign_keys": "SELECT count(*) FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace "
                    "WHERE k.contype = 'f' AND k.conparentid = 0 AND {ns}",
    "unique_constraints": "SELECT count(*) FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace "
                          "WHERE k.contype = 'u' AND k.conparentid = 0 AND {ns}",
    "check_constraints": "SELECT count(*) FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace "
                         "WHERE k.contype = 'c' AND k.conrelid <> 0 AND k.conislocal AND {ns}",
    "exclusion_constraints": "SELECT count(*) FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace "
                             "WHERE k.contype = 'x' AND k.conparentid = 0 AND {ns}",
    "domain_checks": "SELECT count(*) FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace "
                     "WHERE k.contype = 'c' AND k.contypid <> 0 AND {ns} AND {ext_con}",
    "deferrable_constraints": "SELECT count(*) FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace "
                              "WHERE k.condeferrable AND k.conparentid = 0 AND {ns}",
    "enums": "SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
             "WHERE t.typtype = 'e' AND {ns} AND {ext_type}",
    "domains": "SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
               "WHERE t.typtype = 'd' AND {ns} AND {ext_type}",
    "functions": "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                 "WHERE p.prokind = 'f' AND {ns} AND {ext_proc}",
    "procedures": "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                  "WHERE p.prokind = 'p' AND {ns} AND {ext_proc}",
    "aggregates": "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                  "WHERE p.prokind = 'a' AND {ns} AND {ext_proc}",
    "security_definer_functions": "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                                  "WHERE p.prosecdef AND {ns} AND {ext_proc}",
    "triggers": "SELECT count(*) FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE NOT g.tgisinternal AND g.tgparentid = 0 AND {ns}",
    "policies": "SELECT count(*) FROM pg_policy",
    "rls_enabled_tables": "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                          "WHERE c.relrowsecurity AND {ns}",
    "rls_forced_tables": "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                         "WHERE c.relforcerowsecurity AND {ns}",
    "table_privileges": "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, "
                        "aclexplode(c.relacl) a WHERE a.grantee <> c.relowner AND {ns}",
    "column_privileges": "SELECT count(*) FROM pg_attribute t JOIN pg_class c ON c.oid = t.attrelid "
                         "JOIN pg_namespace n ON n.oid = c.relnamespace, aclexplode(t.attacl) a "
                         "WHERE a.grantee <> c.relowner AND {ns}",
    "schema_privileges": "SELECT count(*) FROM pg_namespace n, aclexplode(n.nspacl) a "
                         "WHERE a.grantee <> n.nspowner AND {ns}",
    "function_privileges": "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace, "
                           "aclexplode(p.proacl) a WHERE a.grantee <> p.proowner AND {ns} AND {ext_proc}",
    "default_privileges": "SELECT count(*) FROM pg_default_acl d, aclexplode(d.defaclacl) a "
                          "WHERE a.grantee <> d.defaclrole",
    "comments": "SELECT count(*) FROM pg_description s WHERE s.objoid >= 16384 "
                "AND s.classoid <> 'pg_extension'::regclass "
                "AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = s.classoid "
                "AND d.objid = s.objoid AND d.deptype = 'e')",
}


def _expand(query: str) -> str:
    return query.format(ns=USER_NS, ext_class=NOT_EXT.format(cls="'pg_class'", oid="c.oid"),
                        ext_con=NOT_EXT.format(cls="'pg_constraint'", oid="k.oid"),
                        ext_type=NOT_EXT.format(cls="'pg_type'", oid="t.oid"),
                        ext_proc=NOT_EXT.format(cls="'pg_proc'", oid="p.oid"))


def inventory(conn: psycopg.Connection) -> dict:
    """What the catalog holds, in expect.json's shape."""
    found: dict = {
        "schemas": [r[0] for r in conn.execute(
            f"SELECT n.nspname FROM pg_namespace n WHERE {USER_NS} ORDER BY 1")],
        "extensions": [r[0] for r in conn.execute(
            "SELECT extname FROM pg_extension WHERE extname <> 'plpgsql' ORDER BY 1")],
    }
    found["counts"] = {name: conn.execute(_expand(q)).fetchone()[0] for name, q in COUNTS.items()}
    tables = conn.execute(
        "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        f"WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND {USER_NS} ORDER BY 1, 2").fetchall()
    found["rows"] = {
        f"{schema}.{table}": conn.execute(
            sql.SQL("SELECT count(*) FROM {}.{}").format(sql.Identifier(schema), sql.Identifier(table))
        ).fetchone()[0]
        for schema, table in tables}
    return found


def load(url: str, path: Path) -> None:
    """One file in one transaction, on its own connection (as `psql -1 -f` would run it)."""
    with psycopg.connect(url) as conn, conn.transaction():
        conn.execute(path.read_text())


def test_every_entry_is_complete():
    assert len(ENTRIES) >= 5
    for name in ENTRIES:
        missing = [f for f in ("schema.sql", "data.sql", "expect.json", "README.md") if not (HERE / name / f).is_file()]
        assert not missing, f"tests/corpus/{name} lacks {missing}"


@pytest.mark.parametrize("name", ENTRIES)
def test_corpus_entry_loads(name, make_database):
    entry = HERE / name
    expected = json.loads((entry / "expect.json").read_text())
    url = make_database()
    load(url, entry / "schema.sql")
    load(url, entry / "data.sql")
    with psycopg.connect(url) as conn:
        found = inventory(conn)
    assert found["schemas"] == expected["schemas"]
    assert found["extensions"] == expected["extensions"]
    wanted = {k: v for k, v in expected["counts"].items()}
    assert {k: found["counts"][k] for k in wanted} == wanted
    # a count the entry does not list is zero: nothing new appears unnoticed
    assert {k: v for k, v in found["counts"].items() if k not in wanted and v} == {}
    assert found["rows"] == expected["rows"]
    assert all(found["rows"].values()), f"tables without rows: {[t for t, n in found['rows'].items() if not n]}"


def test_plain_app_is_expressed_completely_by_its_schema_yaml(make_database):
    """plain_app uses only what schema.yaml says today: the schema.yaml written by hand
    beside it plans nothing against a database loaded from its schema.sql and data.sql."""
    from schemagen import api
    entry = HERE / "plain_app"
    url = make_database()
    load(url, entry / "schema.sql")
    load(url, entry / "data.sql")
    plan = api.plan(api.load(entry / "schema.yaml"), url)
    assert plan.empty, plan.render()
