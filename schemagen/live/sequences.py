"""Extensions, sequences and identity columns: what the diff engine leaves out.

migra creates sequences without their options (AS type, START, ...), compares only
their names and owners, adds identity columns without their sequence options, drops
a new table's column collations, and sees extensions only inside the managed schema.
Here the plan gets those right: extensions first, sequences created and altered
with every option as the target has it, identity clauses completed, and a column
made identity over existing values carries on after the largest of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemagen.live.catalog import ColumnFormat, SequenceState
from schemagen.live.plan import Step
from schemagen.render.sql_objects import create_extension
from schemagen.render.sqltext import ident, literal
from schemagen.spec import model as m


@dataclass
class Catalogs:
    """The live and target databases, as far as these plans need them."""
    schema: str
    live_sequences: dict[str, SequenceState]
    target_sequences: dict[str, SequenceState]
    live_columns: dict[tuple[str, str], ColumnFormat]
    target_columns: dict[tuple[str, str], ColumnFormat]
    live_tables: set[str]
    rows: set[str]
    major: int = 15           # the live server's PostgreSQL major version

    def q(self, name: str) -> str:
        return f"{ident(self.schema)}.{ident(name)}"


def extension_steps(schema: m.Schema, live_extensions: dict[str, tuple[str, str]]) -> list[Step]:
    """Declared extensions the live database lacks, or has at another version or in another schema."""
    out = []
    for x in schema.extensions:
        have = live_extensions.get(x.name)
        if have is None:
            out.append(Step(create_extension(x), note="an extension schema.yaml declares"))
            continue
        if x.version and have[1] != x.version:
            out.append(Step(f"ALTER EXTENSION {ident(x.name)} UPDATE TO {literal(x.version)}"))
        if have[0] != x.schema:
            out.append(Step(f"ALTER EXTENSION {ident(x.name)} SET SCHEMA {ident(x.schema)}",
                            note=f"moves the extension's objects from schema {have[0]}"))
    return out


def clashing_names(schema: str, live: dict[str, SequenceState], target: dict[str, SequenceState]) -> list[str]:
    """Renames that free a sequence name the target gives to another kind of sequence (a serial
    column becoming identity, or back): the old one is dropped later, once nothing uses it."""
    out = []
    for name, have in live.items():
        want = target.get(name)
        if want is not None and want.identity != have.identity:
            out.append(f"ALTER SEQUENCE {ident(schema)}.{ident(name)} RENAME TO {ident(retired_name(name))}")
    return out


def retired_name(name: str) -> str:
    return name[:55] + "_retired"


def options_sql(s: SequenceState, *, prefix: str = "") -> str:
    """Every option, as the target has it, so the live sequence ends up identical."""
    words = [f"INCREMENT BY {s.increment}", f"MINVALUE {s.minvalue}", f"MAXVALUE {s.maxvalue}",
             f"START WITH {s.start}", f"CACHE {s.cache}", "CYCLE" if s.cycle else "NO CYCLE"]
    return " ".join(prefix + w for w in words)


def sequence_steps(c: Catalogs) -> tuple[list[Step], list[Step]]:
    """(before the tables, after them): standalone and serial sequences created or altered,
    identity sequences' options and names."""
    before, after = [], []
    for name, want in c.target_sequences.items():
        if want.identity:
            continue
        have = c.live_sequences.get(name)
        if have is None or have.identity:
            before.append(Step(f"CREATE SEQUENCE {c.q(name)} AS {want.type} {options_sql(want)}"))
            if want.owner in c.live_columns and want.owner[0] in c.rows and want.increment > 0:
                before.append(_carry_on(c, name, *want.owner, want.start))
        elif have.options != want.options:
            before.append(Step(f"ALTER SEQUENCE {c.q(name)} AS {want.type} {options_sql(want)}",
                               note="sequence options as schema.yaml sets them (the counter is kept)"))
    live_identity = {s.owner: s for s in c.live_sequences.values() if s.identity}
    for want in (s for s in c.target_sequences.values() if s.identity):
        have = live_identity.get(want.owner)
        if have is None:
            continue  # a new identity: its clause gets the options (complete_statements)
        table, column = want.owner
        if have.options[1:] != want.options[1:]:
            after.append(Step(f"ALTER TABLE {c.q(table)} ALTER COLUMN {ident(column)} "
                              + options_sql(want, prefix="SET ")))
        if have.name != want.name:
            after.append(Step(f"ALTER SEQUENCE {c.q(have.name)} RENAME TO {ident(want.name)}"))
    return before, after


def complete_statements(c: Catalogs, statements: list[str]) -> list[str | Step]:
    """The diff engine's statements with identity options and collations filled in, and a
    sequence set past the existing values wherever a column holding rows becomes identity."""
    out: list[str | Step] = []
    for sql in statements:
        extra = []
        for (table, column), want in c.target_columns.items():
            if isinstance(sql, Step) or (f"{c.q(table)} " not in sql and f"{c.q(table)}\n" not in sql):
                continue
            sql, added = _complete_column(c, sql, table, column, want)
            extra += added
        out.append(sql)
        out += extra
    return out


def _complete_column(c: Catalogs, sql: str, table: str, column: str, want: ColumnFormat):
    have = c.live_columns.get((table, column))
    extra = []
    if want.generated and have is not None and have.generated:
        sql = _new_expression(c, sql, table, column, want)
        if isinstance(sql, Step):
            return sql, extra
    if want.identity and (have is None or not have.identity):
        kind = "always" if want.identity == "a" else "by default"
        seq = next((s for s in c.target_sequences.values() if s.owner == (table, column) and s.identity), None)
        clause = f"generated {kind} as identity"
        options = f" ({options_sql(seq)})" if seq else ""
        for anchor in (f'{ident(column)} {want.type} {clause}', f"alter column {ident(column)} add {clause}"):
            if anchor in sql and anchor + " (" not in sql:
                sql = sql.replace(anchor, anchor + options, 1)
                if anchor.startswith("alter column") and table in c.rows and seq and seq.increment > 0:
                    extra.append(_carry_on(c, seq.name, table, column, seq.start))
    if want.collation and table not in c.live_tables:
        anchor = f"\n    {ident(column)} {want.type}"
        if anchor + " " in sql or anchor + "," in sql or anchor + "\n" in sql:
            sql = sql.replace(anchor, f"{anchor} collate {ident(want.collation)}", 1)
    return sql, extra


def _new_expression(c: Catalogs, sql: str, table: str, column: str, want: ColumnFormat) -> str | Step:
    """migra writes SET DEFAULT for a generated column's new expression, which PostgreSQL refuses:
    SET EXPRESSION from PostgreSQL 17; before it, the column is dropped and added again."""
    prefix = f"alter table {c.q(table)} alter column {ident(column)} set default "
    if not sql.startswith(prefix):
        return sql
    expression = sql[len(prefix):]
    if c.major >= 17:
        return Step(f"ALTER TABLE {c.q(table)} ALTER COLUMN {ident(column)} SET EXPRESSION AS ({expression})",
                    unsafe=f"rewrites {table} to compute {column} anew" if table in c.rows else None)
    unsafe = (f"rewrites {table} to compute {column} anew, and moves {column} to the last position "
              "(before PostgreSQL 17 a generated column's expression cannot be changed in place)")
    return Step(f"ALTER TABLE {c.q(table)} DROP COLUMN {ident(column)}, ADD COLUMN {ident(column)} {want.type}"
                + (" NOT NULL" if want.not_null else "") + f" GENERATED ALWAYS AS ({expression}) STORED",
                unsafe=unsafe if table in c.rows else None)


def _carry_on(c: Catalogs, sequence: str, table: str, column: str, start: int) -> Step:
    """A column holding values gets a new sequence (serial to identity, or back): the sequence
    carries on after the largest value. By name: the column may still own the one it leaves."""
    return Step(f"SELECT setval({literal(c.q(sequence))}, max({ident(column)})) FROM {c.q(table)} "
                f"HAVING max({ident(column)}) >= {start}",
                note=f"{table}.{column} holds values: its new sequence carries on after the largest")
