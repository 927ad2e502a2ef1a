"""What one DDL statement of a plan does, read with PostgreSQL's own parser (pglast).

The planner orders statements by what they create and drop, the safety rules
read what they change, and both need the same facts: the verb, the object (in
the catalog's vocabulary: kind and unqualified name, see pgcatalog.sql) and, for
ALTER TABLE, each subcommand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from pglast import ast, enums, parse_sql
from pglast.parser import ParseError
from pglast.stream import RawStream

OT = enums.ObjectType
_KINDS = {
    OT.OBJECT_TABLE: "table", OT.OBJECT_FOREIGN_TABLE: "table", OT.OBJECT_VIEW: "view", OT.OBJECT_MATVIEW: "view",
    OT.OBJECT_SEQUENCE: "sequence", OT.OBJECT_INDEX: "index", OT.OBJECT_TYPE: "type", OT.OBJECT_DOMAIN: "domain",
    OT.OBJECT_FUNCTION: "routine", OT.OBJECT_PROCEDURE: "routine", OT.OBJECT_ROUTINE: "routine",
    OT.OBJECT_AGGREGATE: "routine", OT.OBJECT_EXTENSION: "extension", OT.OBJECT_SCHEMA: "schema",
    OT.OBJECT_COLLATION: "collation", OT.OBJECT_STATISTIC_EXT: "statistics", OT.OBJECT_TRIGGER: "trigger",
    OT.OBJECT_POLICY: "policy", OT.OBJECT_RULE: "rule", OT.OBJECT_TABCONSTRAINT: "constraint",
    OT.OBJECT_COLUMN: "column", OT.OBJECT_DOMCONSTRAINT: "constraint",
}
# catalog kinds a parsed kind may turn out to be
CANDIDATES = {"type": ("enum", "composite", "range", "domain", "type"), "routine": ("function", "procedure",
              "aggregate"), "table": ("table",), "view": ("view",)}


@dataclass(frozen=True)
class Ref:
    kind: str   # catalog kind, or "type"/"routine" until resolved against a catalog (see CANDIDATES)
    name: str   # unqualified; "table.sub" for what belongs to a table
    relkind: str | None = None  # for relations, the kind the statement names (view vs materialized view)
    args: tuple[str, ...] | None = None  # routines: the argument types as the SQL spells them


@dataclass(frozen=True)
class Sub:
    """One subcommand of ALTER TABLE."""
    what: str                 # pglast's AlterTableType name without "AT_", e.g. "AlterColumnType"
    name: str | None = None   # the column, constraint, trigger or partition it names
    detail: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Statement:
    sql: str
    verb: str                  # create, replace, drop, alter, rename, comment, grant, revoke, set, other
    ref: Ref | None = None
    subs: tuple[Sub, ...] = ()
    concurrent: bool = False
    if_exists: bool = False
    detail: dict = field(default_factory=dict)

    def sub(self, *whats: str) -> list[Sub]:
        return [s for s in self.subs if s.what in whats]


def _names(nodes) -> list[str]:
    return [n.sval for n in nodes or () if isinstance(n, ast.String)]


def _last(nodes) -> str:
    return _names(nodes)[-1]


def _deparse(node) -> str:
    return RawStream()(node)


def _routine(owa) -> Ref:
    """A routine from an ObjectWithArgs, its types as SQL spells them (resolved against a catalog later)."""
    return Ref("routine", _last(owa.objname), args=tuple(_deparse(t) for t in owa.objargs or ()))


def _drop(stmt: ast.DropStmt, sql: str) -> Statement:
    kind = _KINDS.get(stmt.removeType, "other")
    obj = stmt.objects[0]
    common = {"concurrent": bool(stmt.concurrent), "if_exists": bool(stmt.missing_ok),
              "detail": {"count": len(stmt.objects)}}
    if kind == "routine":
        return Statement(sql, "drop", _routine(obj), **common)
    if kind in ("trigger", "policy", "rule"):
        names = _names(obj)
        name = f"{names[-2]}.{names[-1]}"
    elif isinstance(obj, ast.TypeName):
        name = _last(obj.names)
    elif isinstance(obj, ast.String):
        name = obj.sval
    elif isinstance(obj, (list, tuple)):
        name = _last(obj)
    else:  # operators, operator classes, ...: the caller knows the object (it wrote the statement)
        name = sql
    relkind = "m" if stmt.removeType == OT.OBJECT_MATVIEW else None
    return Statement(sql, "drop", Ref(kind, name, relkind), **common)


def _alter_table(stmt: ast.AlterTableStmt, sql: str) -> Statement:
    kind = _KINDS.get(stmt.objtype, "table")
    subs = []
    for cmd in stmt.cmds:
        what = cmd.subtype.name[3:]
        detail: dict = {}
        name = cmd.name
        if what == "AlterColumnType":
            detail = {"type": _deparse(cmd.def_.typeName), "mods": _mods(cmd.def_.typeName),
                      "type_name": _last(cmd.def_.typeName.names), "using": cmd.def_.raw_default is not None}
        elif what == "AddColumn":
            name = cmd.def_.colname
            detail = _column_detail(cmd.def_)
        elif what == "AddConstraint":
            con = cmd.def_
            name = con.conname
            detail = {"type": con.contype.name[7:].lower(), "not_valid": bool(con.skip_validation),
                      "using_index": con.indexname}
        elif what == "ColumnDefault":
            detail = {"drop": cmd.def_ is None}
        elif what in ("AttachPartition", "DetachPartition"):
            name = cmd.def_.name.relname
        elif what == "ReplicaIdentity":
            detail = {"identity": cmd.def_.identity_type, "index": cmd.def_.name}
        subs.append(Sub(what, name, detail))
    ref = Ref(kind, stmt.relation.relname, "m" if stmt.objtype == OT.OBJECT_MATVIEW else None)
    return Statement(sql, "alter", ref, tuple(subs))


def _column_detail(col: ast.ColumnDef) -> dict:
    cons = [c.contype.name[7:].lower() for c in col.constraints or ()]
    calls = {name for c in col.constraints or () for name in _calls(getattr(c, "raw_expr", None))}
    return {"type": _deparse(col.typeName), "constraints": cons, "calls": sorted(calls)}


def _mods(type_name: ast.TypeName) -> tuple[int, ...]:
    return tuple(m.val.ival for m in type_name.typmods or () if isinstance(m, ast.A_Const)
                 and isinstance(m.val, ast.Integer))


def _calls(node) -> set[str]:
    """The names of the functions an expression calls."""
    found: set[str] = set()
    if isinstance(node, ast.FuncCall):
        found.add(_last(node.funcname))
    if isinstance(node, ast.Node):
        for attr in node.__slots__:
            found |= _calls(getattr(node, attr, None))
    elif isinstance(node, (list, tuple)):
        for item in node:
            found |= _calls(item)
    return found


def _create(stmt, sql: str) -> Statement | None:
    replace = "replace" if getattr(stmt, "replace", False) else "create"
    if isinstance(stmt, ast.CreateStmt):
        parents = [r.relname for r in stmt.inhRelations or ()]
        return Statement(sql, "create", Ref("table", stmt.relation.relname),
                         detail={"partition_of": parents[0] if stmt.partbound and parents else None})
    if isinstance(stmt, ast.IndexStmt):
        return Statement(sql, "create", Ref("index", stmt.idxname), concurrent=bool(stmt.concurrent),
                         detail={"table": stmt.relation.relname, "unique": bool(stmt.unique),
                                 "only": not stmt.relation.inh})
    if isinstance(stmt, ast.ViewStmt):
        return Statement(sql, replace, Ref("view", stmt.view.relname))
    if isinstance(stmt, ast.CreateTableAsStmt):
        return Statement(sql, "create", Ref("view", stmt.into.rel.relname, "m"))
    if isinstance(stmt, ast.CreateFunctionStmt):
        args = [_deparse(p.argType) for p in stmt.parameters or ()
                if p.mode not in (enums.FunctionParameterMode.FUNC_PARAM_OUT,
                                  enums.FunctionParameterMode.FUNC_PARAM_TABLE)]
        return Statement(sql, replace, Ref("routine", _last(stmt.funcname), args=tuple(args)))
    if isinstance(stmt, ast.DefineStmt) and stmt.kind == OT.OBJECT_AGGREGATE:
        args = [_deparse(p.argType) for p in (stmt.args[0] or ())] if stmt.args else []
        return Statement(sql, replace, Ref("routine", _last(stmt.defnames), args=tuple(args)))
    simple = {ast.CreateEnumStmt: ("type", "typeName"), ast.CompositeTypeStmt: ("type", "typevar"),
              ast.CreateRangeStmt: ("type", "typeName"), ast.CreateDomainStmt: ("domain", "domainname"),
              ast.CreateSeqStmt: ("sequence", "sequence"), ast.CreateExtensionStmt: ("extension", "extname"),
              ast.CreateSchemaStmt: ("schema", "schemaname"), ast.CreateStatsStmt: ("statistics", "defnames")}
    for cls, (kind, attr) in simple.items():
        if isinstance(stmt, cls):
            value = getattr(stmt, attr)
            name = value if isinstance(value, str) else getattr(value, "relname", None) or _last(value)
            tables = [r.relname for r in getattr(stmt, "relations", None) or () if isinstance(r, ast.RangeVar)]
            return Statement(sql, "create", Ref(kind, name), detail={"table": tables[0]} if tables else {})
    if isinstance(stmt, ast.DefineStmt) and stmt.kind == OT.OBJECT_COLLATION:
        return Statement(sql, "create", Ref("collation", _last(stmt.defnames)))
    if isinstance(stmt, ast.CreateTrigStmt):
        return Statement(sql, replace, Ref("trigger", f"{stmt.relation.relname}.{stmt.trigname}"))
    if isinstance(stmt, ast.CreatePolicyStmt):
        return Statement(sql, "create", Ref("policy", f"{stmt.table.relname}.{stmt.policy_name}"))
    if isinstance(stmt, ast.RuleStmt):
        return Statement(sql, replace, Ref("rule", f"{stmt.relation.relname}.{stmt.rulename}"))
    return None


def _other(stmt, sql: str) -> Statement:
    if isinstance(stmt, ast.AlterTableStmt):
        return _alter_table(stmt, sql)
    if isinstance(stmt, ast.DropStmt):
        return _drop(stmt, sql)
    if isinstance(stmt, ast.RenameStmt):
        return Statement(sql, "rename", _object_ref(stmt.renameType, stmt.relation or stmt.object, stmt.subname),
                         detail={"new_name": stmt.newname})
    if isinstance(stmt, ast.CommentStmt):
        return Statement(sql, "comment", _object_ref(stmt.objtype, stmt.object))
    if isinstance(stmt, ast.GrantStmt):
        objs = [_object_ref(stmt.objtype, o) for o in stmt.objects or ()]
        return Statement(sql, "grant" if stmt.is_grant else "revoke", objs[0] if objs else None)
    if isinstance(stmt, ast.AlterEnumStmt):
        return Statement(sql, "alter", Ref("type", _last(stmt.typeName)), detail={"new_value": stmt.newVal,
                                                                                   "old_value": stmt.oldVal})
    if isinstance(stmt, (ast.AlterSeqStmt, ast.AlterObjectSchemaStmt)) and getattr(stmt, "sequence", None):
        return Statement(sql, "alter", Ref("sequence", stmt.sequence.relname))
    if isinstance(stmt, ast.AlterFunctionStmt):
        return Statement(sql, "alter", _routine(stmt.func))
    if isinstance(stmt, ast.AlterDomainStmt):
        return Statement(sql, "alter", Ref("domain", _last(stmt.typeName)), detail={"subtype": stmt.subtype})
    if isinstance(stmt, ast.AlterExtensionStmt):
        return Statement(sql, "alter", Ref("extension", stmt.extname))
    if isinstance(stmt, (ast.VariableSetStmt,)):
        return Statement(sql, "set")
    return Statement(sql, "other")


def _object_ref(objtype, obj, sub: str | None = None) -> Ref | None:
    kind = _KINDS.get(objtype)
    if kind is None:
        return None
    if isinstance(obj, ast.RangeVar):
        return Ref(kind, f"{obj.relname}.{sub}" if kind == "column" and sub else obj.relname)
    if isinstance(obj, ast.ObjectWithArgs):
        return _routine(obj)
    if isinstance(obj, ast.TypeName):
        return Ref(kind, _last(obj.names))
    if isinstance(obj, ast.String):
        return Ref(kind, obj.sval)
    names = _names(obj)
    if kind in ("column", "constraint", "trigger", "policy", "rule"):
        return Ref(kind, f"{names[-2]}.{names[-1]}")
    return Ref(kind, names[-1])


@lru_cache(maxsize=4096)
def read(sql: str) -> Statement:
    """The statement's facts; verb "other" for what we do not recognise (it keeps its place)."""
    try:
        parsed = parse_sql(sql)
    except ParseError:
        return Statement(sql, "other")
    if len(parsed) != 1:
        return Statement(sql, "other")
    stmt = parsed[0].stmt
    try:
        return _create(stmt, sql) or _other(stmt, sql)
    except (AttributeError, IndexError, TypeError):  # a shape we have not met: keep it where it is
        return Statement(sql, "other")


def normal(sql: str) -> str:
    """The statement as pglast prints it back (so two spellings of one statement compare equal)."""
    from pglast import parse_sql
    from pglast.stream import RawStream
    try:
        return RawStream()(parse_sql(sql)[0].stmt)
    except Exception:  # noqa: BLE001 - unreadable: compared as written
        return sql.strip()


def concurrently(sql: str) -> str:
    """CREATE [UNIQUE] INDEX made CONCURRENTLY IF NOT EXISTS, the rest of the text as written: printing
    the parse tree back would respell expressions (AT TIME ZONE as pg_catalog.timezone(...)), and
    the index's definition in the catalog would then differ from the target's."""
    from pglast import parse_sql
    from pglast.parser import scan
    node = parse_sql(sql)[0].stmt
    at = next(t for t in scan(sql) if t.name == ("CONCURRENTLY" if node.concurrent else "INDEX")).end + 1
    words = ("" if node.concurrent else " CONCURRENTLY") + ("" if node.if_not_exists else " IF NOT EXISTS")
    return sql[:at] + words + sql[at:]
