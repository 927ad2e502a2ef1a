"""PostgreSQL DDL for the resolved model.

`ddl_sections` is the recipe: the phases of schema.sql in the order they run.
Each statement is built here from the model; the template only places them.
Every identifier is quoted; every comment is a properly escaped literal.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemagen.render import sql_functions, sql_objects, sql_security, sql_tables, sql_views
from schemagen.render.sql_tables import create_index
from schemagen.render.sqltext import ident, literal, qualified, sql_type
from schemagen.spec import model as m
from schemagen.spec import naming

__all__ = ["create_index", "ddl_sections", "ddl_statements", "ident", "literal", "qualified", "sql_type"]


def column_type(schema: m.Schema, col: m.Column) -> str:
    return sql_type(schema, col.type)


def _columns(names) -> str:
    return ", ".join(ident(n) for n in names)


# --- statements ---------------------------------------------------------------

def create_schema(schema: m.Schema) -> list[str]:
    """The file's own schema unless it is public (always there), then each of `schemas:`."""
    named = [(schema.name, schema.comment)] if schema.name != "public" else []
    out = []
    for name, comment in named + [(d.name, d.comment) for d in schema.schemas]:
        out.append(f"CREATE SCHEMA IF NOT EXISTS {ident(name)}")
        if comment:
            out.append(f"COMMENT ON SCHEMA {ident(name)} IS {literal(comment)}")
    return out


def create_enum(schema: m.Schema, enum: m.Enum) -> list[str]:
    values = ", ".join(literal(v) for v in enum.values)
    out = [f"CREATE TYPE {qualified(schema, enum.name)} AS ENUM ({values})"]
    if enum.comment:
        out.append(f"COMMENT ON TYPE {qualified(schema, enum.name)} IS {literal(enum.comment)}")
    return out


def column_definition(schema: m.Schema, col: m.Column) -> str:
    parts = [ident(col.name), column_type(schema, col)]
    if col.collation:
        parts.append(f"COLLATE {ident(col.collation)}")
    if not col.nullable:
        parts.append("NOT NULL")
    if col.identity:
        parts.append(sql_objects.identity_clause(col.identity))
    if col.generated is not None:
        parts.append(f"GENERATED ALWAYS AS ({col.generated}) STORED")
    if col.default is not None:
        parts.append(f"DEFAULT {col.default}")
    return " ".join(parts)


def foreign_key_clause(schema: m.Schema, fk: m.ForeignKey) -> str:
    sql = (f"CONSTRAINT {ident(fk.name)} FOREIGN KEY ({_columns(fk.columns)}) "
           f"REFERENCES {qualified(schema, fk.ref_table)} ({_columns(fk.ref_columns)})")
    sql += sql_tables.match(fk)
    if fk.on_update != "no action":
        sql += f" ON UPDATE {fk.on_update.upper()}"
    return sql + sql_tables.on_delete(fk) + sql_tables.deferral(fk)


def create_table(schema: m.Schema, table: m.Table, inline_fks) -> str:
    lines = [column_definition(schema, c) + sql_tables.column_checks(table, c) for c in table.columns]
    lines.append(f"CONSTRAINT {ident(table.primary_key.name)} PRIMARY KEY "
                 f"({_columns(table.primary_key.columns)})")
    lines += [sql_tables.unique(u) for u in table.uniques]
    lines += [f"CONSTRAINT {ident(c.name)} CHECK ({c.expression})" for c in table.checks if c.column is None]
    lines += [sql_tables.exclude(x) for x in table.excludes]
    lines += [foreign_key_clause(schema, fk) for fk in inline_fks]
    body = ",\n".join("    " + line for line in lines)
    unlogged = "UNLOGGED " if table.unlogged else ""
    return f"CREATE {unlogged}TABLE {qualified(schema, table.name)} (\n{body}\n){sql_tables.table_tail(table)}"


def constraint_comment(schema: m.Schema, table: m.Table, constraint) -> list[str]:
    if not constraint.comment:
        return []
    on = qualified(schema, table.name)
    return [f"COMMENT ON CONSTRAINT {ident(constraint.name)} ON {on} IS {literal(constraint.comment)}"]


def table_comments(schema: m.Schema, table: m.Table, inline_fks) -> list[str]:
    name = qualified(schema, table.name)
    out = [f"COMMENT ON TABLE {name} IS {literal(table.comment)}"] if table.comment else []
    out += [f"COMMENT ON COLUMN {name}.{ident(c.name)} IS {literal(c.comment)}"
            for c in table.columns if c.comment]
    for constraint in list(table.uniques) + list(table.checks) + list(table.excludes) + list(inline_fks):
        out += constraint_comment(schema, table, constraint)
    return out


def add_foreign_key(schema: m.Schema, table: m.Table, fk: m.ForeignKey) -> list[str]:
    return [f"ALTER TABLE {qualified(schema, table.name)} ADD {foreign_key_clause(schema, fk)}",
            *constraint_comment(schema, table, fk)]


def on_update_trigger(schema: m.Schema, table: m.Table) -> list[str]:
    """PostgreSQL has no ON UPDATE column clause: a BEFORE UPDATE trigger sets the columns."""
    name = naming.trigger_name(table.name)
    function = qualified(schema, name)
    sets = "".join(f"    NEW.{ident(c.name)} := {c.on_update};\n" for c in table.on_update_columns)
    columns = ", ".join(c.name for c in table.on_update_columns)
    body = f"$$\nBEGIN\n{sets}    RETURN NEW;\nEND\n$$"
    purpose = literal(f"Sets {columns} on UPDATE of {table.name} (on_update in schema.yaml).")
    on = qualified(schema, table.name)
    return [
        f"CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS {body}",
        f"COMMENT ON FUNCTION {function}() IS {purpose}",
        f"CREATE TRIGGER {ident(name)} BEFORE UPDATE ON {on} FOR EACH ROW EXECUTE FUNCTION {function}()",
    ]


# --- order ----------------------------------------------------------------------

def dependency_order(schema: m.Schema) -> list[tuple[m.Table, list[m.ForeignKey], list[m.ForeignKey]]]:
    """Tables so that referenced tables come first, in file order where free.

    Returns (table, inline foreign keys, deferred foreign keys); a foreign key
    is deferred to an ALTER TABLE only where a reference cycle leaves no other way.
    """
    remaining = list(schema.tables)
    created: set[str] = set()
    out = []
    while remaining:
        ready = next((t for t in remaining
                      if all(fk.ref_table in created or fk.ref_table == t.name for fk in t.foreign_keys)),
                     remaining[0])  # a cycle: take the first and defer what it cannot reference yet
        remaining.remove(ready)
        created.add(ready.name)
        inline = [fk for fk in ready.foreign_keys if fk.ref_table in created]
        deferred = [fk for fk in ready.foreign_keys if fk.ref_table not in created]
        out.append((ready, inline, deferred))
    return out


@dataclass(frozen=True)
class Section:
    title: str
    statements: tuple[str, ...]


def ddl_sections(schema: m.Schema) -> list[Section]:
    """The DDL recipe, phase by phase."""
    ordered = dependency_order(schema)
    sections = [Section("Group roles (created when missing)", tuple(sql_security.create_role(r) for r in schema.roles))]
    sections.append(Section("Schema" + ("s" if schema.schemas else ""), tuple(create_schema(schema))))
    sections.append(Section("Extensions", tuple(sql_objects.create_extension(x) for x in schema.extensions)))
    sections.append(Section("Enum types", tuple(s for e in schema.enums for s in create_enum(schema, e))))
    sections.append(Section("Sequences", tuple(s for q in schema.sequences
                                               for s in sql_objects.create_sequence(schema, q))))
    sections.append(Section("Domains", tuple(s for d in schema.domains for s in sql_objects.create_domain(schema, d))))
    for table, inline, _ in ordered:
        sections.append(Section(f"Table {table.name}",
                                (create_table(schema, table, inline),
                                 *table_comments(schema, table, inline))))
    deferred = tuple(s for t, _, fks in ordered for fk in fks for s in add_foreign_key(schema, t, fk))
    sections.append(Section("Foreign keys closing reference cycles", deferred))
    sections.append(Section("Sequence owners", tuple(sql_objects.sequence_owner(schema, q)
                                                     for q in schema.sequences if q.owned_by)))
    sections.append(Section("Indexes", tuple(create_index(schema, t, ix)
                                             for t, _, _ in ordered for ix in t.indexes)))
    # after the indexes: each partition gets the parent's indexes as PostgreSQL clones them
    sections.append(Section("Partitions", tuple(s for t, _, _ in ordered
                                                for s in sql_tables.create_partitions(schema, t.name, t.partitions))))
    sections.append(Section("on_update triggers", tuple(
        s for t, _, _ in ordered if t.on_update_columns for s in on_update_trigger(schema, t))))
    # functions after the tables their SQL bodies read; views may call them; triggers last (some are on views)
    sections.append(Section("Functions and aggregates", tuple(sql_functions.before_views(schema))))
    # views last: a view of one schema may read the tables of another
    # a view reads tables (and the views before it); a column's type change re-creates it
    sections += [Section(f"{v.kind.capitalize()} {v.name}", tuple(sql_views.create_view(schema, v)))
                 for v in schema.views]
    sections.append(Section("Functions reading views, and triggers", tuple(sql_functions.after_views(schema))))
    sections += [Section(title, statements) for title, statements in sql_security.sections(schema, schema.tables)]
    return [s for s in sections if s.statements]


def ddl_statements(schema: m.Schema) -> list[str]:
    return [s for section in ddl_sections(schema) for s in section.statements]
