"""Roles, grants, row level security and policies through apply: from empty and from a
previous version with rows, apply then diff is empty; privileges are read back from
pg_catalog; what opens access is refused without --allow-unsafe; roles schema.yaml does
not name keep every privilege they have."""

from __future__ import annotations

import copy

import psycopg
from sqlalchemy import create_engine

from schemagen.live import fingerprint
from schemagen.live.scope import Scope
from schemagen.render.sql import ddl_statements
from tests.live.test_apply import evolve, model, plan, run_apply
from tests.support import sqlalchemy_url

APP, READER, OTHER = "acc_app", "acc_reader", "acc_other"
TENANT = "owner_id = current_setting('app.user_id', true)"

V1 = {
    "roles": {APP: {"comment": "the application"}, READER: None},
    "grants": [
        {"to": APP, "schema": True, "privileges": ["usage"], "reason": "reach the tables"},
        {"to": APP, "tables": "all", "privileges": ["select", "insert", "update", "delete"], "reason": "app data"},
        {"to": APP, "sequences": "all", "privileges": ["usage"], "reason": "serial ids"},
        {"to": READER, "tables": ["notes"], "columns": ["id", "title"], "privileges": ["select"],
         "reason": "titles, not bodies"},
    ],
    "default_privileges": [{"to": READER, "objects": "tables", "privileges": ["select"], "reason": "analytics"}],
    "tables": {
        "notes": {
            "columns": {"id": {"type": "bigserial", "primary_key": True}, "owner_id": {"type": "text"},
                        "title": {"type": "text"}, "body": {"type": "text", "nullable": True}},
            "row_level_security": {"enable": True, "force": True},
            "policies": [{"name": "own_notes", "roles": [APP], "using": TENANT, "with_check": TENANT}],
        },
    },
}


def acl(url) -> set[tuple]:
    """(grantee, object, column, privilege) for the two declared roles and the other one."""
    with psycopg.connect(url) as conn:
        return set(conn.execute("""
            SELECT r.rolname, c.relname, '', lower(x.privilege_type) FROM pg_class c
            CROSS JOIN LATERAL aclexplode(c.relacl) x JOIN pg_roles r ON r.oid = x.grantee
            WHERE c.relnamespace = 'public'::regnamespace AND r.rolname LIKE 'acc_%%'
            UNION ALL
            SELECT r.rolname, c.relname, a.attname, lower(x.privilege_type) FROM pg_class c
            JOIN pg_attribute a ON a.attrelid = c.oid CROSS JOIN LATERAL aclexplode(a.attacl) x
            JOIN pg_roles r ON r.oid = x.grantee
            WHERE c.relnamespace = 'public'::regnamespace AND r.rolname LIKE 'acc_%%'
            UNION ALL
            SELECT r.rolname, 'default:' || d.defaclobjtype::text, '', lower(x.privilege_type) FROM pg_default_acl d
            CROSS JOIN LATERAL aclexplode(d.defaclacl) x JOIN pg_roles r ON r.oid = x.grantee
            WHERE r.rolname LIKE 'acc_%%'""").fetchall())


def force_and_policies(url):
    with psycopg.connect(url) as conn:
        force = conn.execute("SELECT relrowsecurity, relforcerowsecurity FROM pg_class "
                             "WHERE oid = 'public.notes'::regclass").fetchone()
        policies = [r[0] for r in conn.execute("SELECT polname FROM pg_policy ORDER BY 1")]
    return force, policies


def with_rows(url):
    evolve(url, V1)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("INSERT INTO notes (owner_id, title) VALUES ('a', 'one'), ('b', 'two')")
        conn.execute(f'CREATE ROLE "{OTHER}" NOLOGIN' if not conn.execute(
            "SELECT 1 FROM pg_roles WHERE rolname = %s", (OTHER,)).fetchone() else "SELECT 1")
        conn.execute(f'GRANT SELECT, UPDATE ON notes TO "{OTHER}"')  # a role schema.yaml does not name
    return url


def test_from_empty_every_declared_privilege_exists(empty_db):
    evolve(empty_db, V1)
    got = acl(empty_db)
    assert {(APP, "notes", "", p) for p in ("select", "insert", "update", "delete")} <= got
    assert (APP, "notes_id_seq", "", "usage") in got
    assert {(READER, "notes", "id", "select"), (READER, "notes", "title", "select")} <= got
    assert (READER, "notes", "", "select") not in got and (READER, "notes", "body", "select") not in got
    assert (READER, "default:r", "", "select") in got
    assert force_and_policies(empty_db) == ((True, True), ["own_notes"])


def test_revokes_to_reach_exactly_what_is_declared_and_leaves_other_roles_alone(empty_db):
    url = with_rows(empty_db)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'GRANT TRUNCATE ON notes TO "{APP}"')  # drift on a declared role
        conn.execute(f'GRANT SELECT ON notes TO "{READER}"')
    v2 = copy.deepcopy(V1)
    v2["grants"][1]["privileges"] = ["select", "insert"]  # update and delete withdrawn
    out = evolve(url, v2)
    assert "REVOKE" in out and "closes access" in out
    got = acl(url)
    assert {p for r, o, c, p in got if r == APP and o == "notes" and not c} == {"select", "insert"}
    # the table-wide SELECT went, the declared column SELECTs stayed
    assert (READER, "notes", "", "select") not in got and (READER, "notes", "title", "select") in got
    assert {(OTHER, "notes", "", "select"), (OTHER, "notes", "", "update")} <= got
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT count(*) FROM notes").fetchone()[0] == 2


def digest(url):
    engine = create_engine(sqlalchemy_url(url))
    try:
        with engine.connect() as conn:
            return fingerprint.digest(conn, "public", Scope.of(roles=[APP, READER]))  # as the planner's
    finally:
        engine.dispose()


def test_a_privilege_change_is_seen_by_the_digest(empty_db):
    evolve(empty_db, V1)
    before = digest(empty_db)
    with psycopg.connect(empty_db, autocommit=True) as conn:
        conn.execute(f'REVOKE INSERT ON notes FROM "{APP}"')
    after = digest(empty_db)
    assert before != after
    assert not plan(empty_db, V1).empty  # and the plan puts it back
    evolve(empty_db, V1)


def test_dropping_a_policy_or_force_opens_access_and_is_refused(empty_db):
    url = with_rows(empty_db)
    v2 = copy.deepcopy(V1)
    v2["tables"]["notes"]["policies"] = []
    v2["tables"]["notes"]["row_level_security"] = {"enable": True, "force": False}
    code, out, err = run_apply(url, v2)
    assert code == 3, out + err
    assert "drops policy own_notes on notes: opens access" in out
    assert "drops FORCE on notes: opens access" in out
    assert force_and_policies(url) == ((True, True), ["own_notes"])
    evolve(url, v2, allow_unsafe=True)
    assert force_and_policies(url) == ((True, False), [])


def test_changing_a_policy_is_not_unsafe(empty_db):
    url = with_rows(empty_db)
    v2 = copy.deepcopy(V1)
    v2["tables"]["notes"]["policies"][0]["using"] = TENANT + " AND title IS NOT NULL"
    out = evolve(url, v2)
    assert "UNSAFE" not in out
    with psycopg.connect(url) as conn:
        qual = conn.execute("SELECT pg_get_expr(polqual, polrelid) FROM pg_policy").fetchone()[0]
    assert "title IS NOT NULL" in qual


def test_a_removed_role_keeps_its_privileges_and_is_not_dropped(empty_db):
    url = with_rows(empty_db)
    v2 = copy.deepcopy(V1)
    del v2["roles"][READER]
    v2["grants"] = v2["grants"][:3]
    v2["default_privileges"] = []
    evolve(url, v2)
    got = acl(url)
    assert (READER, "notes", "title", "select") in got  # no longer named: touched by nothing
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (READER,)).fetchone()


def test_policy_comments_follow_schema_yaml(empty_db):
    url = with_rows(empty_db)
    v2 = copy.deepcopy(V1)
    v2["tables"]["notes"]["policies"][0]["comment"] = "Each owner sees only their notes."
    evolve(url, v2)  # only the comment changed
    v3 = copy.deepcopy(v2)
    v3["tables"]["notes"]["policies"][0]["using"] = TENANT + " AND body IS NULL"
    evolve(url, v3)  # the policy is recreated by the diff engine, without its comment: set again
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT obj_description(oid, 'pg_policy') FROM pg_policy").fetchone()[0] == (
            "Each owner sees only their notes.")


def test_an_empty_schema_with_privileges_already_held_still_reaches_exactly_the_declared_ones(empty_db):
    with psycopg.connect(empty_db, autocommit=True) as conn:
        for role in (APP, READER):
            conn.execute(f"DO $$ BEGIN CREATE ROLE \"{role}\" NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; "
                         "END $$")
        conn.execute(f'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON SEQUENCES TO "{READER}"')
        conn.execute(f'GRANT CREATE ON SCHEMA public TO "{APP}"')
    evolve(empty_db, V1)
    with psycopg.connect(empty_db) as conn:
        assert not conn.execute("SELECT has_schema_privilege(%s, 'public', 'CREATE')", (APP,)).fetchone()[0]
    assert not {g for g in acl(empty_db) if g[1] == "default:S"}


def test_a_table_added_later_gets_its_declared_default_privileges_and_no_more(empty_db):
    url = with_rows(empty_db)
    v2 = copy.deepcopy(V1)
    v2["tables"]["tags"] = {"columns": {"id": {"type": "integer", "primary_key": True}}}
    evolve(url, v2)  # the default SELECT for READER is not declared on tags: revoked after CREATE TABLE
    assert (READER, "tags", "", "select") not in acl(url)
    v3 = copy.deepcopy(v2)
    v3["grants"].append({"to": READER, "tables": ["tags"], "privileges": ["select"], "reason": "tags are public"})
    v3["tables"]["labels"] = {"columns": {"id": {"type": "integer", "primary_key": True}}}
    evolve(url, v3)
    got = acl(url)
    assert (READER, "tags", "", "select") in got and (READER, "labels", "", "select") not in got


def test_function_grants_follow_schema_yaml(empty_db):
    url = with_rows(empty_db)
    v2 = copy.deepcopy(V1)
    v2["tables"]["notes"]["columns"]["updated_at"] = {"type": "timestamptz", "default": "now()",
                                                      "on_update": "now()"}
    v2["grants"].append({"to": APP, "functions": "all", "privileges": ["execute"], "reason": "the trigger"})
    evolve(url, v2)
    query = ("SELECT has_function_privilege(%s, 'public.notes_on_update()', 'EXECUTE'), %s = ANY("
             "SELECT r.rolname FROM pg_proc p, aclexplode(p.proacl) x JOIN pg_roles r ON r.oid = x.grantee "
             "WHERE p.proname = 'notes_on_update')")
    with psycopg.connect(url) as conn:
        assert conn.execute(query, (APP, APP)).fetchone() == (True, True)
    v3 = copy.deepcopy(v2)
    v3["grants"].pop()
    out = evolve(url, v3)
    assert "REVOKE EXECUTE ON ROUTINE" in out  # ROUTINE: functions, procedures and aggregates alike
    with psycopg.connect(url) as conn:
        assert conn.execute(query, (APP, APP)).fetchone() == (True, False)  # still PUBLIC's, no longer its own


def test_a_new_role_comes_before_what_names_it_and_no_statement_is_planned_twice(empty_db):
    url = with_rows(empty_db)
    new_role = "acc_auditor"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP ROLE IF EXISTS "{new_role}"')
    v2 = copy.deepcopy(V1)
    v2["roles"][new_role] = None
    v2["grants"].append({"to": new_role, "tables": ["notes"], "privileges": ["select"], "reason": "audits"})
    notes = v2["tables"]["notes"]
    notes["row_level_security"] = {"enable": True, "force": False}  # FORCE planned by one planner only
    notes["policies"][0]["comment"] = "Each owner sees only their notes."
    notes["policies"].append({"name": "auditor_reads", "command": "select", "roles": [new_role], "using": "true"})
    steps = plan(url, v2).statements()
    assert len(steps) == len(set(steps)), steps
    assert sum("FORCE ROW LEVEL SECURITY" in s for s in steps) == 1
    assert sum(s.startswith("COMMENT ON POLICY") for s in steps) == 1
    role = next(i for i, s in enumerate(steps) if f"CREATE ROLE \"{new_role}\"" in s)
    policy = next(i for i, s in enumerate(steps) if "auditor_reads" in s and "create policy" in s.lower())
    grant = next(i for i, s in enumerate(steps) if s.startswith("GRANT") and new_role in s)
    assert role < policy < grant
    try:
        evolve(url, v2, allow_unsafe=True)
        assert (new_role, "notes", "", "select") in acl(url)
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP OWNED BY "{new_role}"; DROP ROLE "{new_role}"')


WITH_VIEW = {**copy.deepcopy(V1), "views": {"note_titles": {"query": "SELECT id, title FROM notes"}}}
WITH_VIEW["grants"] = WITH_VIEW["grants"] + [
    {"to": READER, "tables": ["note_titles"], "privileges": ["select"], "reason": "titles for analytics"}]


def test_a_view_keeps_its_grants_when_apply_makes_it_again(make_database):
    url = make_database()
    evolve(url, WITH_VIEW)
    assert (READER, "note_titles", "", "select") in acl(url)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("INSERT INTO notes (owner_id, title) VALUES ('a', 'one')")
    v2 = copy.deepcopy(WITH_VIEW)
    v2["tables"]["notes"]["columns"]["title"]["type"] = "varchar(200)"  # the view is dropped and made again
    out = evolve(url, v2, allow_unsafe=True)  # a rewrite of notes
    assert "DROP VIEW" in out
    got = acl(url)
    assert (READER, "note_titles", "", "select") in got
    # the default SELECT on tables reaches a view made later too, and is not declared for APP's view
    assert {p for r, o, _, p in got if r == APP and o == "note_titles"} == {"select", "insert", "update", "delete"}
    fresh = make_database()
    evolve(fresh, v2, allow_unsafe=True)
    assert digest(url) == digest(fresh)  # so diff's digest shortcut holds


def test_a_view_added_later_gets_its_declared_privileges_and_no_more(make_database):
    url = make_database()
    evolve(url, V1)
    evolve(url, WITH_VIEW)  # READER's default SELECT on new relations is not declared on the view: kept, it is
    assert (READER, "note_titles", "", "select") in acl(url)
    v2 = copy.deepcopy(WITH_VIEW)
    v2["grants"] = v2["grants"][:-1]
    v2["views"]["note_titles"]["query"] = "SELECT id FROM notes"
    evolve(url, v2)  # made again: the default privilege comes back with it, and is revoked as undeclared
    assert (READER, "note_titles", "", "select") not in acl(url)
    fresh = make_database()
    evolve(fresh, v2)
    assert digest(url) == digest(fresh)


TEAMS = copy.deepcopy(V1)
TEAMS["tables"]["members"] = {"columns": {"id": {"type": "bigserial", "primary_key": True},
                                          "team": {"type": "text"}, "user_id": {"type": "text"}}}
TEAMS["tables"]["notes"]["policies"].append({
    "name": "team_notes", "command": "select", "roles": [APP],
    "using": "EXISTS (SELECT 1 FROM members m WHERE m.team = owner_id\n"
             "        AND m.user_id = current_setting('app.user_id', true))"})


def test_a_policy_with_a_subquery_reads_the_declared_table_whatever_the_search_path(make_database):
    policy = next(s for s in ddl_statements(model(TEAMS)) if "team_notes" in s)
    assert 'FROM "public".members m' in policy
    url = make_database()
    evolve(url, TEAMS)
    with psycopg.connect(url, options="-c search_path=pg_catalog") as conn:  # names print qualified
        qual = conn.execute("SELECT pg_get_expr(polqual, polrelid) FROM pg_policy WHERE polname = 'team_notes'"
                            ).fetchone()[0]
    assert "public.members" in qual  # qualified in the DDL, so no search_path decides what it reads
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("INSERT INTO notes (owner_id, title) VALUES ('red', 'r1'), ('blue', 'b1'), ('u7', 'mine')")
        conn.execute("INSERT INTO members (team, user_id) VALUES ('red', 'u7')")
        conn.execute("SET search_path = pg_catalog")  # the policy still finds public.members
        conn.execute(f'SET ROLE "{APP}"')
        conn.execute("SELECT set_config('app.user_id', 'u7', false)")
        seen = {r[0] for r in conn.execute("SELECT title FROM public.notes")}
    assert seen == {"r1", "mine"}  # the team's note by team_notes, their own by own_notes; not blue's


ROUTINES = copy.deepcopy(V1)
ROUTINES["functions"] = {
    "note_count": [
        {"language": "sql", "returns": "bigint", "volatility": "stable", "body": "SELECT count(*) FROM public.notes"},
        {"language": "sql", "arguments": [{"name": "who", "type": "text"}], "returns": "bigint",
         "volatility": "stable", "body": "SELECT count(*) FROM public.notes WHERE owner_id = who"}],
    "purge_notes": {"procedure": True, "language": "sql", "arguments": [{"name": "who", "type": "text"}],
                    "body": "DELETE FROM public.notes WHERE owner_id = who"},
}
ROUTINES["grants"] = ROUTINES["grants"] + [
    {"to": READER, "functions": ["note_count"], "privileges": ["execute"], "reason": "counts for analytics"},
    {"to": APP, "functions": ["purge_notes"], "privileges": ["execute"], "reason": "the app purges"}]


def routine_acl(url) -> set[tuple]:
    with psycopg.connect(url) as conn:
        return set(conn.execute("""
            SELECT r.rolname, p.oid::regprocedure::text FROM pg_proc p CROSS JOIN LATERAL aclexplode(p.proacl) x
            JOIN pg_roles r ON r.oid = x.grantee WHERE p.pronamespace = 'public'::regnamespace
            AND r.rolname LIKE 'acc_%%'""").fetchall())


def test_grants_on_declared_functions_every_overload_and_procedures(make_database):
    url = make_database()
    evolve(url, ROUTINES)
    assert routine_acl(url) == {(READER, "note_count()"), (READER, "note_count(text)"), (APP, "purge_notes(text)")}
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'REVOKE EXECUTE ON FUNCTION note_count(text) FROM "{READER}"')  # drift on one overload
        conn.execute(f'GRANT EXECUTE ON FUNCTION note_count() TO "{APP}"')
    assert not plan(url, ROUTINES).empty
    evolve(url, ROUTINES)  # put back, taken away: exactly what is declared
    assert routine_acl(url) == {(READER, "note_count()"), (READER, "note_count(text)"), (APP, "purge_notes(text)")}
    v2 = copy.deepcopy(ROUTINES)
    v2["functions"]["note_count"][1]["returns"] = "integer"  # dropped and made again: its grant comes back
    v2["functions"]["note_count"][1]["body"] = "SELECT count(*)::integer FROM public.notes WHERE owner_id = who"
    evolve(url, v2)
    assert (READER, "note_count(text)") in routine_acl(url)
    fresh = make_database()
    evolve(fresh, v2)
    assert digest(url) == digest(fresh)
