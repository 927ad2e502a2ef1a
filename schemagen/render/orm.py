"""View-models for the SQLAlchemy 2.0 models package.

Everything a template prints is decided here: attribute names, annotations,
constructor arguments and each module's imports. Python string literals are
made by pyformat.literal/text, so comments and defaults can hold any character.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemagen.render import pyformat as pf
from schemagen.render import sql as render_sql
from schemagen.render.pyimports import Imports as _Imports
from schemagen.spec import model as m
from schemagen.spec import naming

_ACTIONS = {"cascade": "CASCADE", "restrict": "RESTRICT", "set null": "SET NULL",
            "set default": "SET DEFAULT"}


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
    if col.type.is_enum:
        name = naming.class_name(col.type.name)
        imports.add(".enums", name)
    else:
        name = col.type.builtin.python
        if "." in name:
            imports.add_module(name.split(".")[0])
        elif name == "Any":
            imports.add("typing", "Any")
    return f"{name} | None" if col.nullable else name


def sa_type(col: m.Column, imports: _Imports) -> str:
    if col.type.is_enum:
        imports.add(".base", "pg_enum")
        return f"pg_enum({naming.class_name(col.type.name)}, {pf.literal(col.type.name)})"
    builtin = col.type.builtin
    imports.add("sqlalchemy.dialects.postgresql", builtin.sa_type)
    args = [str(a) for a in col.type.args] + ([builtin.sa_kwargs] if builtin.sa_kwargs else [])
    return f"{builtin.sa_type}({', '.join(args)})"


def column_attribute(table: m.Table, col: m.Column, imports: _Imports) -> Attribute:
    args = [pf.literal(col.name)] if col.attribute != col.name else []
    args.append(sa_type(col, imports))
    args.append(f"nullable={col.nullable}")
    if table.primary_key.columns == (col.name,) and col.type.family == "integer":
        args.append("autoincrement=False")  # otherwise create_all makes it SERIAL; schema.sql does not
    if col.default is not None:
        imports.add("sqlalchemy", "text")
        args.append(f"server_default=text({pf.text(col.default)})")
    if col.on_update:
        imports.add("sqlalchemy", "FetchedValue")
        args.append("server_onupdate=FetchedValue()")
    if col.comment:
        args.append(f"comment={pf.text(col.comment)}")
    return Attribute(col.attribute, python_type(col, imports), f"mapped_column({', '.join(args)})")


def _target(schema: m.Schema, table: str, column: str) -> str:
    prefix = f"{schema.name}." if schema.name != "public" else ""
    return pf.literal(f"{prefix}{table}.{column}")


def table_args(schema: m.Schema, table: m.Table, imports: _Imports) -> list[str]:
    pk = table.primary_key
    imports.add("sqlalchemy", "PrimaryKeyConstraint")
    out = [f"PrimaryKeyConstraint({', '.join(map(pf.literal, pk.columns))}, name={pf.literal(pk.name)})"]
    for u in table.uniques:
        imports.add("sqlalchemy", "UniqueConstraint")
        comment = f", comment={pf.text(u.comment)}" if u.comment else ""
        out.append(f"UniqueConstraint({', '.join(map(pf.literal, u.columns))}, name={pf.literal(u.name)}{comment})")
    for c in table.checks:
        imports.add("sqlalchemy", "CheckConstraint")
        comment = f", comment={pf.text(c.comment)}" if c.comment else ""
        out.append(f"CheckConstraint({pf.text(c.expression)}, name={pf.literal(c.name)}{comment})")
    for fk in table.foreign_keys:
        imports.add("sqlalchemy", "ForeignKeyConstraint")
        args = [f"[{', '.join(map(pf.literal, fk.columns))}]",
                f"[{', '.join(_target(schema, fk.ref_table, c) for c in fk.ref_columns)}]",
                f"name={pf.literal(fk.name)}"]
        if fk.on_delete in _ACTIONS:
            args.append(f"ondelete={pf.literal(_ACTIONS[fk.on_delete])}")
        if fk.on_update in _ACTIONS:
            args.append(f"onupdate={pf.literal(_ACTIONS[fk.on_update])}")
        if fk.comment:
            args.append(f"comment={pf.text(fk.comment)}")
        out.append(f"ForeignKeyConstraint({', '.join(args)})")
    if table.comment:
        out.append(f"{{\"comment\": {pf.text(table.comment)}}}")
    return out


def _attrs(table: m.Table, columns) -> str:
    return "[" + ", ".join(table.column(c).attribute for c in columns) + "]"


def _class_attrs(table: m.Table, columns) -> str:
    return pf.literal("[" + ", ".join(f"{table.class_name}.{table.column(c).attribute}" for c in columns) + "]")


def relationships(schema: m.Schema, table: m.Table, imports: _Imports) -> list[Attribute]:
    """Both ends of every foreign key that touches this table."""
    out = []
    for fk in table.foreign_keys:  # many-to-one: this table holds the key
        parent = schema.table(fk.ref_table)
        nullable = any(table.column(c).nullable for c in fk.columns)
        args = [f"back_populates={pf.literal(fk.back_populates)}", f"foreign_keys={_attrs(table, fk.columns)}"]
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
        annotation = f"{child.class_name} | None" if fk.one_to_one else f"list[{child.class_name}]"
        out.append(Attribute(fk.back_populates, annotation, f"relationship({', '.join(args)})"))
    if out:
        imports.add("sqlalchemy.orm", "relationship")
    if imports.type_checking:
        imports.add("typing", "TYPE_CHECKING")
    return out


def index_call(table: m.Table, index: m.Index, imports: _Imports) -> str:
    imports.add("sqlalchemy", "Index")
    args = [pf.literal(index.name)]
    for col in index.columns:
        expr = f"{table.class_name}.{table.column(col.name).attribute}"
        if col.order == "desc":
            expr += ".desc()"
        if col.nulls:
            expr += f".nulls_{col.nulls}()"
        args.append(expr)
    if index.unique:
        args.append("unique=True")
    if index.method != "btree":
        args.append(f"postgresql_using={pf.literal(index.method)}")
    if index.where:
        imports.add("sqlalchemy", "text")
        args.append(f"postgresql_where=text({pf.text(index.where)})")
    return f"Index({', '.join(args)})"


def ddl_literal(sql: str) -> str:
    """DDL() runs its text through %-formatting, so a literal % is doubled."""
    return pf.text(sql.replace("%", "%%"), bare=True)


def ddl_events(schema: m.Schema, table: m.Table, imports: _Imports) -> list[tuple[str, str]]:
    if not table.on_update_columns:
        return []
    imports.add("sqlalchemy", "event")
    imports.add(".base", "ddl")
    function = render_sql.qualified(schema, naming.trigger_name(table.name))
    events = [("after_create", ddl_literal(s)) for s in render_sql.on_update_trigger(schema, table)]
    events.append(("after_drop", ddl_literal(f"DROP FUNCTION IF EXISTS {function}()")))
    return events


def model_module(schema: m.Schema, table: m.Table) -> ModelModule:
    imports = _Imports()
    imports.add("sqlalchemy.orm", "Mapped", "mapped_column")
    imports.add(".base", "Base")
    columns = [column_attribute(table, c, imports) for c in table.columns]
    args = table_args(schema, table, imports)
    rels = relationships(schema, table, imports)
    indexes = [index_call(table, ix, imports) for ix in table.indexes]
    events = ddl_events(schema, table, imports)
    return ModelModule(
        module=table.module, class_name=table.class_name, table_name=pf.literal(table.name),
        docstring=docstring(table.comment),
        imports=imports.lines(), table_args=tuple(args), columns=tuple(columns),
        relationships=tuple(rels), indexes=tuple(indexes), ddl_events=tuple(events))


def enum_classes(schema: m.Schema) -> list[EnumClass]:
    return [EnumClass(enum_class_name(e), e.name,
                      tuple((naming.enum_member(v), pf.literal(v)) for v in e.values),
                      docstring(e.comment))
            for e in schema.enums]


def base_events(schema: m.Schema) -> list[tuple[str, str]]:
    """Metadata-level DDL: the schema itself and enum comments, as schema.sql has them."""
    events = []
    if schema.name != "public":
        events += [("before_create", ddl_literal(s)) for s in render_sql.create_schema(schema)]
    events += [("after_create", ddl_literal(s)) for e in schema.enums
               for s in render_sql.create_enum(schema, e)[1:]]
    return events
