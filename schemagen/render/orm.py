"""View-models for the SQLAlchemy 2.0 models package.

Everything a template prints is decided here: attribute names, annotations,
constructor arguments and each module's imports. Python string literals are
made by pyformat.literal/text, so comments and defaults can hold any character.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemagen.render import orm_tables, orm_types, sql_functions
from schemagen.render import pyformat as pf
from schemagen.render import sql as render_sql
from schemagen.render.orm_types import ddl_literal
from schemagen.render.pyimports import Imports as _Imports
from schemagen.spec import model as m
from schemagen.spec import naming


@dataclass(frozen=True)
class Attribute:
    name: str
    annotation: str
    call: str  # mapped_column(...) or relationship(...)


@dataclass(frozen=True)
class ModelModule:
    module: str
    class_name: str
    table_name: str  # a Python literal
    docstring: str | None
    imports: tuple[str, ...]
    table_args: tuple[str, ...]
    columns: tuple[Attribute, ...]
    relationships: tuple[Attribute, ...]
    indexes: tuple[str, ...]
    ddl_events: tuple[tuple[str, str], ...]  # (event name, DDL statement literal)
    partitions: tuple[str, ...] = ()         # CREATE TABLE ... PARTITION OF (DDL literals), after_create


@dataclass(frozen=True)
class EnumClass:
    name: str
    db_name: str
    members: tuple[tuple[str, str], ...]  # (python member, value as a literal)
    docstring: str | None


def docstring(text: str | None, indent: int = 4) -> str | None:
    """A triple-quoted docstring, its lines wrapped to fit 88 columns at this indent;
    backslashes, triple quotes and a closing quote escaped so any text survives."""
    if text is None:
        return None
    import textwrap
    safe = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    if safe.endswith('"'):
        safe = safe[:-1] + '\\"'
    width = pf.LINE - indent - 3
    lines = [w for line in safe.split("\n") for w in (textwrap.wrap(line, width) or [""])]
    if len(lines) == 1 and len(lines[0]) + indent + 6 <= pf.LINE:
        return f'"""{lines[0]}"""'
    pad = " " * indent
    return '"""' + lines[0] + "\n" + "".join(f"{pad}{line}\n" if line else "\n" for line in lines[1:]) + pad + '"""'


def enum_class_name(enum: m.Enum) -> str:
    return naming.class_name(enum.name)


def python_type(col: m.Column, imports: _Imports) -> str:
    name = orm_types.python_type(col.type, imports)
    return f"{name} | None" if col.nullable else name


def column_attribute(schema: m.Schema, table: m.Table, col: m.Column, imports: _Imports) -> Attribute:
    args = [pf.literal(col.name)] if col.attribute != col.name else []
    args.append(orm_types.sa_type(col.type, imports, col.collation))
    args += orm_types.value_source(schema, table, col, imports)
    args.append(f"nullable={col.nullable}")
    if table.primary_key.columns == (col.name,) and col.type.family == "integer" and not col.identity:
        # otherwise create_all makes it SERIAL where schema.sql does not (and does where it does)
        args.append(f"autoincrement={orm_types.native_serial(table, col)}")
    if col.default is not None:
        imports.add("sqlalchemy", "text")
        args.append(f"server_default=text({pf.text(col.default)})")
    if col.on_update:
        imports.add("sqlalchemy", "FetchedValue")
        args.append("server_onupdate=FetchedValue()")
    if col.comment:
        args.append(f"comment={pf.text(col.comment)}")
    return Attribute(col.attribute, python_type(col, imports), f"mapped_column({', '.join(args)})")


def _attrs(table: m.Table, columns) -> str:
    return "[" + ", ".join(table.column(c).attribute for c in columns) + "]"


def _class_attrs(table: m.Table, columns) -> str:
    return pf.literal("[" + ", ".join(f"{table.class_name}.{table.column(c).attribute}" for c in columns) + "]")


def _overlaps(table: m.Table, fk: m.ForeignKey) -> list[str]:
    """Foreign keys sharing a column (tenant_id in composite keys) write the same column: say so,
    or SQLAlchemy warns that the relationships conflict."""
    names = sorted({n for other in table.foreign_keys if other is not fk and set(other.columns) & set(fk.columns)
                    for n in (other.relationship, other.back_populates)})
    return [f"overlaps={pf.literal(','.join(names))}"] if names else []


def relationships(schema: m.Schema, table: m.Table, imports: _Imports) -> list[Attribute]:
    """Both ends of every foreign key that touches this table."""
    out = []
    for fk in table.foreign_keys:  # many-to-one: this table holds the key
        parent = schema.table(fk.ref_table)
        nullable = any(table.column(c).nullable for c in fk.columns)
        args = [f"back_populates={pf.literal(fk.back_populates)}", f"foreign_keys={_attrs(table, fk.columns)}"]
        args += _overlaps(table, fk)
        if parent.name == table.name:
            args.append(f"remote_side={_attrs(table, fk.ref_columns)}")
        elif parent.module != table.module:
            imports.type_checking.setdefault(f".{parent.module}", set()).add(parent.class_name)
        annotation = f"{parent.class_name} | None" if nullable else parent.class_name
        out.append(Attribute(fk.relationship, annotation, f"relationship({', '.join(args)})"))
    for child, fk in schema.referencing(table.name):  # one-to-many (or one-to-one): another table holds the key
        if child.module != table.module:
            imports.type_checking.setdefault(f".{child.module}", set()).add(child.class_name)
        # the database enforces the rule; the ORM must not null or delete children itself
        passive = "True" if fk.on_delete in ("cascade", "set null", "set default") else '"all"'
        args = [f"back_populates={pf.literal(fk.relationship)}",
                f"foreign_keys={_class_attrs(child, fk.columns)}", f"passive_deletes={passive}"]
        args += _overlaps(child, fk)
        annotation = f"{child.class_name} | None" if fk.one_to_one else f"list[{child.class_name}]"
        out.append(Attribute(fk.back_populates, annotation, f"relationship({', '.join(args)})"))
    if out:
        imports.add("sqlalchemy.orm", "relationship")
    if imports.type_checking:
        imports.add("typing", "TYPE_CHECKING")
    return out


def ddl_events(schema: m.Schema, table: m.Table, imports: _Imports) -> list[tuple[str, str]]:
    events = [("after_create", ddl_literal(s)) for s in orm_types.serial_owner_events(schema, table)]
    events += [(name, ddl_literal(sql)) for name, sql in orm_tables.table_events(schema, table)]
    if table.partitions:
        imports.add("sqlalchemy", "event")
        imports.add(".base", "ddl")
    if table.on_update_columns:
        function = render_sql.qualified(schema, naming.trigger_name(table.name))
        events += [("after_create", ddl_literal(s)) for s in render_sql.on_update_trigger(schema, table)]
        events.append(("after_drop", ddl_literal(f"DROP FUNCTION IF EXISTS {function}()")))
    if events:
        imports.add("sqlalchemy", "event")
        imports.add(".base", "ddl")
    return events


def model_module(schema: m.Schema, table: m.Table) -> ModelModule:
    imports = _Imports()
    imports.add("sqlalchemy.orm", "Mapped", "mapped_column")
    imports.add(".base", "Base")
    columns = [column_attribute(schema, table, c, imports) for c in table.columns]
    args = orm_tables.table_args(schema, table, imports)
    rels = relationships(schema, table, imports)
    indexes = orm_tables.module_indexes(table, imports)
    events = ddl_events(schema, table, imports)
    return ModelModule(
        module=table.module, class_name=table.class_name, table_name=pf.literal(table.name),
        docstring=docstring(table.comment),
        imports=imports.lines(), table_args=tuple(args), columns=tuple(columns),
        relationships=tuple(rels), indexes=tuple(indexes), ddl_events=tuple(events),
        partitions=tuple(pf.text(s.replace("%", "%%")) for s in orm_tables.partitions(schema, table)))


def enum_classes(schema: m.Schema) -> list[EnumClass]:
    return [EnumClass(enum_class_name(e), e.name,
                      tuple((naming.enum_member(v), pf.literal(v)) for v in e.values),
                      docstring(e.comment))
            for e in schema.enums]


@dataclass(frozen=True)
class BaseModule:
    imports: tuple[str, ...]
    objects: tuple[str, ...]                  # sequences and domains
    types: tuple[str, ...]                    # define these types (XML, CITEXT)
    domains: bool                             # define the Domain type
    before: tuple[tuple[str, str], ...]       # events that must run before the objects are created
    after: tuple[tuple[str, str], ...]


def base_module(schema: m.Schema) -> BaseModule:
    """models/base.py: the schema and extensions first (before_create), then sequences and
    domains (created by SQLAlchemy), then what needs them all (enum comments, sequence owners)."""
    imports = _Imports()
    imports.add_module("enum")
    imports.add("collections.abc", "Callable")
    imports.add("typing", "cast")
    imports.add("sqlalchemy", "DDL", "MetaData")
    imports.add("sqlalchemy.dialects.postgresql", "ENUM")
    imports.add("sqlalchemy.orm", "DeclarativeBase")
    objects = orm_types.base_objects(schema, imports)
    before = render_sql.create_schema(schema)
    before += orm_types.base_before_events(schema)
    made_later = sql_functions.routine_only_enums(schema)  # with the functions that use them
    after = [s for e in schema.enums if e not in made_later for s in render_sql.create_enum(schema, e)[1:]]
    after += orm_types.base_after_events(schema)
    if before or after:
        imports.add("sqlalchemy", "event")
    return BaseModule(imports.lines(), tuple(objects), orm_types.base_types(schema), bool(schema.domains),
                      tuple(("before_create", ddl_literal(s)) for s in before),
                      tuple(("after_create", ddl_literal(s)) for s in after)
                      + tuple(("before_drop", ddl_literal(s)) for s in orm_types.base_drop_events(schema)))
