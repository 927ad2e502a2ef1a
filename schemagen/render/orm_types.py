"""The SQLAlchemy side of column types and of the objects beside tables.

Types (arrays, precisions, interval fields, collations, domains), annotations, the
arguments that say where a column's value comes from (Identity, Computed, a serial's
sequence), and what models/base.py declares before any table: XML and CITEXT, standalone
sequences, domains and the DDL events SQLAlchemy has no construct for. `imports` is
the module's import collector (render/orm.py's _Imports).
"""

from __future__ import annotations

import re

from schemagen.render import pyformat as pf
from schemagen.render import sql_functions, sql_objects, sql_views
from schemagen.render.sqltext import ident, qualified
from schemagen.spec import model as m
from schemagen.spec import naming
from schemagen.spec.types import BUILTINS, ColumnType

_DIALECT = "sqlalchemy.dialects.postgresql"


def python_type(ctype: ColumnType, imports) -> str:
    scalar = ctype.scalar
    if scalar.is_enum:
        name = naming.class_name(scalar.name)
        imports.add(".enums", name)
    else:
        name = BUILTINS[scalar.name].python
        for word in re.findall(r"[A-Za-z_][\w.]*", name):
            if "." in word:
                imports.add_module(word.split(".")[0])
            elif word == "Any":
                imports.add("typing", "Any")
            elif word == "Range":
                imports.add(_DIALECT, "Range")
    for _ in range(scalar.dims):
        name = f"list[{name}]"
    return name


def sa_type(ctype: ColumnType, imports, collation: str | None = None, *, in_base: bool = False) -> str:
    """The SQLAlchemy type expression; in_base: written inside models/base.py itself."""
    element = ctype.element
    if element.is_domain:
        expr = naming.domain_constant(element.name)
        if not in_base:
            imports.add(".base", expr)
    elif element.is_enum:
        if not in_base:
            imports.add(".base", "pg_enum")
        expr = f"pg_enum({naming.class_name(element.name)}, {pf.literal(element.name)})"
        if in_base:
            imports.add(".enums", naming.class_name(element.name))
    else:
        expr = _builtin(element, imports, collation, in_base)
    if ctype.dims:
        imports.add(_DIALECT, "ARRAY")
        expr = f"ARRAY({expr}" + (f", dimensions={ctype.dims})" if ctype.dims > 1 else ")")
    return expr


def _builtin(ctype: ColumnType, imports, collation: str | None, in_base: bool) -> str:
    builtin = ctype.builtin
    if builtin.sa_type in BASE_TYPES:
        if not in_base:
            imports.add(".base", builtin.sa_type)
    else:
        imports.add(_DIALECT, builtin.sa_type)
    if builtin.modifier:
        args = [f"{builtin.modifier}={a}" for a in ctype.args]
    else:
        args = [str(a) for a in ctype.args]
    args = ([a for a in args if "=" not in a] + ([builtin.sa_kwargs] if builtin.sa_kwargs else [])
            + [a for a in args if "=" in a])
    if ctype.fields:
        args.append(f"fields={pf.literal(ctype.fields)}")
    if collation:
        args.append(f"collation={pf.literal(collation)}")
    return f"{builtin.sa_type}({', '.join(args)})"


def native_serial(table: m.Table, col: m.Column) -> bool:
    """A serial primary key alone: SQLAlchemy itself writes SERIAL/BIGSERIAL/SMALLSERIAL."""
    return col.type.serial and table.primary_key.columns == (col.name,) and not any(
        col.name in fk.columns for fk in table.foreign_keys)


def value_source(schema: m.Schema, table: m.Table, col: m.Column, imports) -> list[str]:
    """Arguments of mapped_column() saying where the value comes from."""
    if col.identity:
        imports.add("sqlalchemy", "Identity")
        return [identity_call(col.identity)]
    if col.generated is not None:
        imports.add("sqlalchemy", "Computed")
        return [f"Computed({pf.text(col.generated)}, persisted=True)"]
    if col.type.serial and not native_serial(table, col):
        imports.add("sqlalchemy", "Sequence", "text")
        imports.add(_DIALECT, col.type.builtin.sa_type)
        where = schema.schema_of(col.sequence)
        name = col.sequence if where == "public" else f"{where}.{col.sequence}"
        default = f"nextval('{name}'::regclass)"
        placed = f", schema={pf.literal(where)}" if where != schema.name else ""  # else the metadata's
        return [f"Sequence({pf.literal(col.sequence)}, data_type={col.type.builtin.sa_type}{placed})",
                f"server_default=text({pf.literal(default)})"]
    return []


def identity_call(identity: m.Identity) -> str:
    o = identity.options
    args = [f"always={identity.always}"]
    args += [f"{k}={v}" for k, v in (("start", o.start), ("increment", o.increment), ("minvalue", o.minvalue),
                                     ("maxvalue", o.maxvalue), ("cache", o.cache)) if v is not None]
    return f"Identity({', '.join(args + (['cycle=True'] if o.cycle else []))})"


def serial_owner_events(schema: m.Schema, table: m.Table) -> list[str]:
    """A serial column's sequence belongs to its column, as PostgreSQL's serial makes it."""
    return [f"ALTER SEQUENCE {qualified(schema, c.sequence)} OWNED BY {qualified(schema, table.name)}."
            f"{ident(c.name)}" for c in table.columns if c.type.serial and not native_serial(table, c)]


# types models/base.py defines itself: SQLAlchemy has no XML, and CITEXT only from 2.0.7
BASE_TYPES = ("XML", "CITEXT")


def base_types(schema: m.Schema) -> tuple[str, ...]:
    """Which of BASE_TYPES the schema's columns and domains use."""
    types = [c.type for t in schema.tables for c in t.columns] + [d.type for d in schema.domains]
    used = {t.element.builtin.sa_type for t in types if t.element.builtin is not None}
    return tuple(name for name in BASE_TYPES if name in used)


def base_objects(schema: m.Schema, imports) -> list[str]:
    """Definitions in models/base.py, after the Base class (and the classes the template defines)."""
    out = []
    if base_types(schema):  # the template defines them
        imports.add("sqlalchemy.types", "UserDefinedType")
        imports.add("typing", "Any")
    for seq in schema.sequences:
        imports.add("sqlalchemy", "Sequence")
        o = seq.options
        sa_name = {"smallint": "SMALLINT", "integer": "INTEGER", "bigint": "BIGINT"}[seq.type]
        imports.add(_DIALECT, sa_name)
        args = [pf.literal(seq.name), f"data_type={sa_name}"]
        args += [f"{k}={v}" for k, v in (("start", o.start), ("increment", o.increment), ("minvalue", o.minvalue),
                                         ("maxvalue", o.maxvalue), ("cache", o.cache)) if v is not None]
        args += (["cycle=True"] if o.cycle else []) + ["schema=SCHEMA", "metadata=Base.metadata"]
        out.append(f"{naming.sequence_constant(seq.name)} = Sequence({', '.join(args)})")
    if schema.domains:  # the template defines Domain, with annotations for mypy --strict
        imports.add(_DIALECT, "DOMAIN")
        imports.add("typing", "Any")
        imports.add("typing", "TYPE_CHECKING")
        imports.add("sqlalchemy.engine", "Dialect")
        imports.add("sqlalchemy.sql.operators", "OperatorType")
        imports.add("sqlalchemy.types", "TypeEngine")
    for domain in schema.domains:
        args = [pf.literal(domain.name), sa_type(domain.type, imports, in_base=True)]
        if domain.collation:
            args.append(f"collation={pf.literal(domain.collation)}")
        if domain.not_null:
            args.append("not_null=True")
        args += ["schema=SCHEMA", "metadata=Base.metadata"]
        constant = naming.domain_constant(domain.name)
        lines = [f"{constant} = Domain({', '.join(args)})"]
        # with the domain, not after the tables: PostgreSQL cannot add a CHECK once an array of it is in use
        for sql in domain_after_create(schema, domain):
            imports.add("sqlalchemy", "event")
            lines.append(f'event.listen({constant}, "after_create", ddl({ddl_literal(sql)}))')
        out.append("\n".join(lines))
    return out


def ddl_literal(sql: str) -> str:
    """DDL() runs its text through %-formatting, so a literal % is doubled."""
    return pf.text(sql.replace("%", "%%"), bare=True)


def domain_after_create(schema: m.Schema, domain: m.Domain) -> list[str]:
    """What CREATE DOMAIN in SQLAlchemy cannot say: named CHECKs and comments; and the default
    (DOMAIN(default=text(...)) breaks type adaptation on SQLAlchemy 2.0.40-2.0.4x)."""
    name = qualified(schema, domain.name)
    out = [f"ALTER DOMAIN {name} SET DEFAULT {domain.default}"] if domain.default is not None else []
    out += [f"ALTER DOMAIN {name} ADD CONSTRAINT {ident(c.name)} CHECK ({c.expression})" for c in domain.checks]
    return out + sql_objects.create_domain(schema, domain)[1:]


def base_before_events(schema: m.Schema) -> list[str]:
    return [sql_objects.create_extension(x) for x in schema.extensions]


def base_after_events(schema: m.Schema) -> list[str]:
    """What CREATE SEQUENCE in SQLAlchemy cannot say: comments and owners (after the tables)."""
    out = []
    for seq in schema.sequences:
        out += sql_objects.create_sequence(schema, seq)[1:]
        if seq.owned_by:
            out.append(sql_objects.sequence_owner(schema, seq))
    from schemagen.render.sql import create_enum
    out += [s for e in sql_functions.routine_only_enums(schema) for s in create_enum(schema, e)]  # no table makes them
    out += sql_functions.before_views(schema)  # after every table, as in schema.sql
    return out + [s for v in schema.views for s in sql_views.create_view(schema, v)] + sql_functions.after_views(schema)


def base_drop_events(schema: m.Schema) -> list[str]:
    """drop_all: views first (a table with a view on it cannot be dropped), the last made first."""
    return ([f"DROP {v.kind.upper()} IF EXISTS {qualified(schema, v.name)}" for v in reversed(schema.views)]
            + sql_functions.drops(schema))  # triggers, aggregates, functions: a row-type argument holds its table
