"""What `diff` reads from its target database, remembered in the user cache.

The target database holds schema.sql and is only read. Every query the planner runs on it
(the catalog digest and description, the diff engine's inspection, pg_depend, sequences,
partitions, views, privileges) answers from that SQL and from the server that builds it, so
a diff records the answers (Recorder) and a later diff of the same SQL on the same server
replays them (Replay) without building a target database at all: no CREATE DATABASE, no
load, no catalog queries on that side.

A stale record must never give a wrong plan, so:
- its key is the SQL, the search_path and the server as far as it can shape a new database
  (server_key: address, start and configuration-load times, version, the connecting role,
  every role, membership and role setting, the extensions offered, tablespaces, template1's
  locale and encoding); the queries' own text and parameters key each answer;
- one plan reads one record, made from one database (OIDs and names agree);
- a query the record does not hold raises Miss: the caller plans again from the start
  against a database built now, and that run's record replaces the old one whole.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import threading

from schemagen.diagnostics import cache

KIND = "target-records"
VERSION = "target-record v2"

# read on the server that would build the target (the live one, or --dev-url's)
SERVER_KEY = """
SELECT concat_ws(E'\\n', inet_server_addr()::text, inet_server_port()::text, pg_postmaster_start_time()::text,
    pg_conf_load_time()::text, version(), current_setting('server_version_num'), current_user, session_user,
    (SELECT md5(string_agg(r::text, ',' ORDER BY r.oid)) FROM pg_roles r),
    (SELECT md5(string_agg(m::text, ',' ORDER BY m.roleid, m.member)) FROM pg_auth_members m),
    (SELECT md5(string_agg(s::text, ',' ORDER BY s.setdatabase, s.setrole)) FROM pg_db_role_setting s),
    (SELECT md5(string_agg(x.name || ' ' || coalesce(x.default_version, ''), ',' ORDER BY x.name))
     FROM pg_available_extensions x),
    (SELECT md5(string_agg(t.oid || ' ' || t.spcname, ',' ORDER BY t.oid)) FROM pg_tablespace t),
    (SELECT (to_jsonb(d) - 'datfrozenxid' - 'datminmxid')::text FROM pg_database d WHERE d.datname = 'template1'))
"""

# the connection methods a plan may call on its target without changing what it reads
_HARMLESS = frozenset({"rollback", "commit", "close", "in_transaction"})


class Miss(Exception):
    """The record does not hold an answer this plan needs: plan again with a real target."""


def server_key(conn) -> str:
    """conn: a SQLAlchemy connection to the server that would build the target (its
    transaction is the caller's to end)."""
    from schemagen.live.lazysql import text
    return conn.execute(text(SERVER_KEY)).scalar_one()


def _file(sql: str) -> str:
    return hashlib.sha256(f"{VERSION}\0{sql}".encode()).hexdigest()


def known(sql: str) -> bool:
    """Whether a record of this SQL is kept (for some server): the early scratch database is then
    not worth starting."""
    folder = cache.directory(KIND)
    return folder is not None and (folder / _file(sql)).is_file()


def load(sql: str, search_path: str, server: str) -> Replay | None:
    """A replay of the record of this SQL, search_path and server, or None."""
    data = cache.read(KIND, _file(sql))
    if data is None:
        return None
    try:
        record = pickle.loads(data)  # noqa: S301 - the user's own cache, written by save() below
    except Exception:  # noqa: BLE001 - a damaged or older entry is a miss
        return None
    if not isinstance(record, dict) or record.get("server") != server or record.get("path") != search_path \
            or record.get("drivers") != _drivers():
        return None
    answers, version_info = record.get("answers"), record.get("version_info")
    if not isinstance(answers, dict) or not isinstance(version_info, tuple):
        return None
    return Replay(answers, version_info)


def save(sql: str, search_path: str, server: str, recorder: Recorder) -> None:
    if recorder.complete:
        record = {"server": server, "path": search_path, "drivers": _drivers(), "answers": dict(recorder.answers),
                  "version_info": recorder.version_info}
        cache.write(KIND, _file(sql), pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))


def _drivers() -> tuple[str, str]:
    """What turned the server's answers into the recorded Python values (another release may not)."""
    import psycopg
    import sqlalchemy
    return psycopg.__version__, sqlalchemy.__version__


def _query_key(kind: str, statement, parameters) -> str:
    return "\0".join([kind, str(statement), json.dumps(parameters, sort_keys=True, default=repr)])


def _result(answer: tuple):
    """A SQLAlchemy result (rows by name and position, scalar_one, mappings...) of a recorded answer."""
    from sqlalchemy.engine.result import IteratorResult, SimpleResultMetaData
    keys, rows = answer
    return IteratorResult(SimpleResultMetaData(keys), iter(rows))


class Recorder:
    """A target connection that keeps every answer it gives (complete stays True only if
    nothing but recordable queries and harmless calls went through it)."""

    def __init__(self, conn):
        self._conn = conn
        self.answers: dict[str, object] = {}
        self.complete = True
        self._lock = threading.Lock()
        self.version_info = tuple(conn.dialect.server_version_info or ())

    @property
    def dialect(self):
        return self._conn.dialect

    @property
    def engine(self):
        return self._conn.engine

    def execute(self, statement, parameters=None, **kwargs):
        result = self._conn.execute(statement, parameters, **kwargs)
        return self._keep(_query_key("execute", statement, parameters), result, kwargs)

    def exec_driver_sql(self, statement, parameters=None, **kwargs):
        result = self._conn.exec_driver_sql(statement, parameters, **kwargs)
        return self._keep(_query_key("driver", statement, parameters), result, kwargs)

    def _keep(self, key: str, result, kwargs):
        if kwargs or not result.returns_rows:
            self.complete = False  # options or a statement without rows: not worth a replay's guess
            return result
        answer = (tuple(result.keys()), [tuple(row) for row in result.all()])  # plain tuples: quick to load
        with self._lock:
            self.answers[key] = answer
        return _result(answer)

    def __getattr__(self, name):
        if name not in _HARMLESS:
            self.complete = False  # a use this record cannot answer later
        return getattr(self._conn, name)


class _Engine:
    def __init__(self, dialect):
        self.dialect = dialect


class Replay:
    """A target connection that answers from a record; anything else raises Miss."""

    def __init__(self, answers: dict, version_info: tuple):
        from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg
        self._answers = answers
        self.dialect = PGDialect_psycopg()
        self.dialect.server_version_info = version_info
        self.engine = _Engine(self.dialect)

    def execute(self, statement, parameters=None, **kwargs):
        return self._answer(_query_key("execute", statement, parameters), kwargs)

    def exec_driver_sql(self, statement, parameters=None, **kwargs):
        return self._answer(_query_key("driver", statement, parameters), kwargs)

    def _answer(self, key: str, kwargs):
        answer = None if kwargs else self._answers.get(key)
        if answer is None:
            raise Miss(key[:200])
        return _result(answer)

    def rollback(self) -> None:
        return None  # nothing was changed: the record is read only

    commit = close = rollback

    def in_transaction(self) -> bool:
        return False

    def __getattr__(self, name):
        raise Miss(f"connection attribute {name}")
