"""The one module that knows migra and schemainspect.

It takes two SQLAlchemy connections (live and target), each already inside
whatever transaction the caller wants, and returns plain SQL statements plus
the enum value additions that must become `ALTER TYPE ... ADD VALUE`. Another
diff engine would replace this module alone.

Before comparing, both sides lose what schemagen does not hand to the diff engine:
objects the scope ignores, objects that belong to an extension (the extension
manages them), and collations (planned by objects.py, as the engine's CREATE
COLLATION is not valid SQL for libc collations). Enum labels and extension
versions are quoted as SQL literals (the engine pastes them between quotes as they are).
"""

from __future__ import annotations

import contextlib
import importlib.abc
import importlib.machinery
import sys
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from sqlalchemy import event, text
from sqlalchemy.exc import DBAPIError

from schemagen.live.catalog import EXTENSION_MEMBERS
from schemagen.live.scope import EVERYTHING, Scope
from schemagen.live.sqlnames import literal


@dataclass(frozen=True)
class EnumAddition:
    enum: str
    value: str
    before: str | None  # the existing value it goes before, or None to append


@dataclass(frozen=True)
class Diff:
    statements: tuple[str, ...]
    enum_additions: tuple[EnumAddition, ...]
    unsafe_enums: tuple[str, ...]  # enums whose values were removed or reordered


def _appended_only(old: list[str], new: list[str]) -> bool:
    """new keeps every old value in the same order (values may be inserted anywhere)."""
    it = iter(new)
    return set(old) <= set(new) and all(value in it for value in old)


def preload() -> threading.Thread:
    """Import migra in the background, while the caller waits on PostgreSQL."""
    _quick_resource_lookup()
    thread = threading.Thread(target=lambda: __import__("migra"), daemon=True)
    thread.start()
    return thread


class _QuickCaller(importlib.abc.MetaPathFinder):
    """schemainspect finds the module that asks for each of its 17 SQL files by walking
    `inspect.stack()`, which reads source files and costs most of a second on import. Once
    schemainspect.misc is loaded, its `external_caller` is swapped for a frame walk that
    gives the same answer (the first caller outside misc) without reading any source."""

    def find_spec(self, name, path, target=None):
        if name != "schemainspect.misc":
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return spec
        run = spec.loader.exec_module

        def exec_module(module):
            run(module)
            module.external_caller = _external_caller
        spec.loader.exec_module = exec_module
        return spec


def _external_caller() -> str:
    frame = sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__") == "schemainspect.misc":
        frame = frame.f_back
    return frame.f_globals["__name__"]


def _quick_resource_lookup() -> None:
    if not any(isinstance(f, _QuickCaller) for f in sys.meta_path):
        sys.meta_path.insert(0, _QuickCaller())


UNAVAILABLE = object()  # the early inspection could not open its connection


class _Stopped(Exception):
    """The inspection was stopped between two of its queries."""


class Inspection:
    """live's inspection on a connection of its own (same server, role, search_path, timeouts; valid
    while the planner's transaction has written nothing), run while the digests are compared: when
    they differ it is what takes longest. Leaving the context stops it, as its catalog reads must
    hold no locks while apply changes the schema: between two of its queries (the one under way
    finishes: a cancelled one would write an ERROR with its whole text to the server's log on
    every diff in sync), or, when the context is left by an exception, at once, by a cancel
    request. One still importing stops before connecting, unwaited."""

    def __init__(self, live, schema: str, scope: Scope = EVERYTHING):
        *timeouts, alone = live.execute(text(
            "SELECT current_setting('lock_timeout'), current_setting('statement_timeout'), "
            "txid_current_if_assigned() IS NULL AND current_setting('transaction_isolation') = 'read committed'"
        )).one()
        self._lock, self._conn, self._stopped = threading.Lock(), None, False
        self._future = Future() if alone else None  # another connection sees the same only while nothing is written
        if alone:
            threading.Thread(target=self._run, args=(live.engine, tuple(timeouts), schema, scope), daemon=True).start()

    def _run(self, engine, timeouts: tuple[str, str], schema: str, scope: Scope) -> None:
        try:
            self._future.set_result(self._inspect(engine, timeouts, schema, scope))
        except BaseException as exc:  # noqa: BLE001 - handed to result()
            self._future.set_exception(exc)

    def _inspect(self, engine, timeouts: tuple[str, str], schema: str, scope: Scope):
        _quick_resource_lookup()
        from schemainspect import get_inspector  # the import overlaps with the caller's queries
        with self._lock:
            if self._stopped:
                return None
            try:
                self._conn = engine.connect()
            except DBAPIError:  # no second connection (the role's or the server's limit): diff() inspects live
                return UNAVAILABLE
            event.listen(self._conn, "before_cursor_execute", self._between_queries)
        with self._conn as conn:
            conn.execute(text("SELECT set_config('lock_timeout', :l, true), set_config('statement_timeout', :s, true)"),
                         {"l": timeouts[0], "s": timeouts[1]})
            try:
                return None if self._stopped else _inspect(get_inspector, conn, schema, scope)
            finally:
                conn.rollback()

    def _between_queries(self, *_) -> None:
        if self._stopped:
            raise _Stopped

    @property
    def running(self) -> bool:  # else diff() inspects live itself
        return self._future is not None

    def result(self):
        return self._future.result()

    def __enter__(self) -> Inspection:
        return self

    def __exit__(self, failure, *_) -> None:
        if self._future is None:
            return
        with self._lock:
            self._stopped = True
            if self._conn is None:
                return  # not connected yet: it stops before connecting
            if failure is not None and not self._future.done():
                with contextlib.suppress(Exception):
                    self._conn.connection.dbapi_connection.cancel_safe(timeout=5)
        with contextlib.suppress(Exception):  # stopped, or the plan already failed for its own reason
            self._future.result()


def diff(live, target, schema: str, scope: Scope = EVERYTHING, early: Inspection | None = None) -> Diff:
    """Statements that turn live's schema `schema` into target's (early: live's inspection, already
    under way). The two databases are inspected at the same time: each mostly waits on its server."""
    _quick_resource_lookup()
    from migra import Migration
    from schemainspect import get_inspector

    if early is not None and early.running:
        target_i = _inspect(get_inspector, target, schema, scope)
        live_i = early.result()
        if live_i is UNAVAILABLE:
            live_i = _inspect(get_inspector, live, schema, scope)
    else:
        with ThreadPoolExecutor(max_workers=1) as pool:
            target_future = pool.submit(_inspect, get_inspector, target, schema, scope)
            live_i = _inspect(get_inspector, live, schema, scope)
            target_i = target_future.result()
    additions, unsafe = [], []
    for key, target_enum in target_i.enums.items():
        live_enum = live_i.enums.get(key)
        if live_enum is None or live_enum.elements == target_enum.elements:
            continue
        old, new = list(live_enum.elements), list(target_enum.elements)
        if not _appended_only(old, new):
            unsafe.append(target_enum.name)  # migra's recreate-and-cast stays, marked unsafe
            continue
        for i, value in enumerate(new):
            if value not in old:
                following = next((v for v in new[i + 1:] if v in old), None)
                additions.append(EnumAddition(target_enum.name, value, following))
        # migra would recreate the type and rewrite every column using it: let it
        # see the values as already added, and add them ourselves instead
        live_enum.elements = new
    _leave_partitions_alone(live_i, target_i)
    migration = Migration(live_i, target_i, schema=schema)
    migration.set_safety(False)
    migration.add_all_changes()
    statements = tuple(s.strip().rstrip(";").strip() for s in migration.statements if s.strip())
    return Diff(statements, tuple(additions), tuple(unsafe))


def _inspect(get_inspector, conn, schema: str, scope: Scope):
    inspector = get_inspector(conn, schema=schema)
    _show_bodies(inspector, conn, schema)
    members: dict[str, set[str]] = {}
    for kind, name in conn.execute(EXTENSION_MEMBERS, {"schema": schema}):
        members.setdefault(kind, set()).add(name)
    _leave_out(inspector, lambda kind, name: name in members.get(kind, ()) or scope.ignored(kind, name))
    _quote_literals(inspector)
    return inspector


def _leave_out(i, skip) -> None:
    """Remove from an inspection what the diff engine must not plan."""
    relation_kinds = {"r": "tables", "p": "tables", "v": "views", "m": "views", "c": "types", "f": "functions"}

    def owner_skipped(obj) -> bool:
        table = getattr(obj, "table_name", None)
        return table is not None and (skip("tables", table) or skip("views", table))

    def keep(kind, obj) -> bool:
        return not (skip(kind, obj.name) or owner_skipped(obj))

    for attr in ("selectables", "relations", "tables", "views", "materialized_views", "composite_types"):
        coll = getattr(i, attr, None) or {}
        for key in [k for k, v in coll.items() if not keep(relation_kinds.get(v.relationtype, "tables"), v)]:
            del coll[key]
    for attr, kind in (("functions", "functions"), ("indexes", "indexes"), ("constraints", None),
                       ("triggers", "triggers"), ("rlspolicies", "policies"), ("sequences", "sequences"),
                       ("enums", "types"), ("types", "types"), ("domains", "types"), ("extensions", "extensions")):
        coll = getattr(i, attr, None) or {}
        for key in [k for k, v in coll.items() if not keep(kind, v)]:
            del coll[key]
    i.collations.clear()


def _quote_literals(i) -> None:
    from schemainspect.pg.obj import InspectedEnum, InspectedExtension

    class Enum(InspectedEnum):
        @property
        def quoted_elements(self):
            return ", ".join(literal(e) for e in self.elements)

    class Extension(InspectedExtension):
        @property
        def create_statement(self):
            version = f" version {literal(self.version)}" if self.version else ""
            return f"create extension if not exists {self.quoted_name} with schema {self.quoted_schema}{version};"

        @property
        def update_statement(self):
            return f"alter extension {self.quoted_name} update to {literal(self.version)};" if self.version else None

    for enum in i.enums.values():
        enum.__class__ = Enum
    for extension in i.extensions.values():
        extension.__class__ = Extension


def _leave_partitions_alone(live_i, target_i) -> None:
    """Partitions are planned by live/partitions.py: migra writes a sub-partitioned partition's
    bound where its key goes, and its attach statement names the tables the wrong way round.
    A table that is a partition on either side is taken out of both inspections."""
    def partition(table) -> bool:
        return bool(table.parent_table and table.partition_def)
    for key in [k for k, t in [*target_i.tables.items(), *live_i.tables.items()] if partition(t)]:
        for inspector in (target_i, live_i):
            for kind in (inspector.tables, inspector.relations, inspector.selectables):
                kind.pop(key, None)


def _show_bodies(inspector, conn, schema: str) -> None:
    """schemainspect reads function bodies through information_schema, which hides
    them from roles that do not own the function; a read-only role would then see
    every function as changed. pg_proc.prosrc is readable by every role."""
    from sqlalchemy import text
    hidden = [f for f in inspector.functions.values() if f.definition is None]
    if not hidden:
        return
    rows = conn.execute(text(
        "SELECT p.proname, pg_get_function_identity_arguments(p.oid), p.prosrc FROM pg_proc p "
        "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = :schema"), {"schema": schema})
    bodies = {(name, args): src for name, args, src in rows}
    for function in hidden:
        function.definition = bodies.get((function.name, function.identity_arguments))
