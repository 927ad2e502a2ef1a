"""The plan's share for extensions, sequences, identity columns and domains: the diff
engine's statements amended (sequence and extension statements it gets wrong left out,
identity clauses and collations completed) with this project's own steps placed where
they must run: extensions first; sequences and domains after the diff engine's
schemas and enum types, before its tables; identity options, owners and domain drops
after them."""

from __future__ import annotations

from schemagen.live import catalog, introspect, statements
from schemagen.live.domains import domain_steps
from schemagen.live.plan import Step
from schemagen.live.sequences import Catalogs, complete_statements, sequence_steps
from schemagen.spec import model as m

# what the diff engine writes before anything that could use a sequence or a domain
_PRELUDE = {"CreateSchemaStmt", "CreateExtensionStmt", "AlterExtensionStmt", "CreateEnumStmt", "CreateSeqStmt"}
_REPLACED = {"CreateSeqStmt", "CreateExtensionStmt", "AlterExtensionStmt"}  # this project writes these itself


def read(schema: m.Schema, live, target, live_tables: set[str]) -> tuple[Catalogs, dict, dict, dict]:
    """The catalogs both sides, and (live domains, target domains, live domain uses)."""
    cats = Catalogs(schema.name, catalog.sequences(live, schema.name), catalog.sequences(target, schema.name),
                    catalog.column_formats(live, schema.name), catalog.column_formats(target, schema.name),
                    live_tables, set(), introspect.server_major(live))
    return (cats, catalog.domains(live, schema.name), catalog.domains(target, schema.name),
            catalog.domain_columns(live, schema.name))


def _domain_as_enum(sql: str, domains: set[str]) -> bool:
    """schemainspect takes a domain over an enum for an enum without values: the diff engine's
    CREATE TYPE ... AS ENUM () and DROP TYPE for it are left out (domains are planned here)."""
    return statements.created_enum(sql) in domains or bool(set(statements.dropped(sql, "type")) & domains)


def domain_tables(uses: dict) -> set[str]:
    return {table for columns in uses.values() for table, _, _ in columns}


def amend(schema: m.Schema, cats: Catalogs, live_domains: dict, target_domains: dict, uses: dict,
          diff: list[str]) -> list[str | Step]:
    """The whole recipe for these kinds, in order; plain strings are the diff engine's
    statements, still to be read for safety."""
    domains = set(live_domains) | set(target_domains)
    kept = in_column_order(cats, [s for s in diff if statements.kind(s) not in _REPLACED
                                  and not _domain_as_enum(s, domains)])
    first = next((i for i, s in enumerate(kept) if statements.kind(s) not in _PRELUDE), len(kept))
    seq_before, seq_after = sequence_steps(cats)
    dom_before, dom_after = domain_steps(schema.name, live_domains, target_domains, uses, cats.rows)
    body = complete_statements(cats, kept[first:])
    return [*kept[:first], *seq_before, *dom_before, *body, *seq_after, *dom_after]


def in_column_order(cats: Catalogs, diff: list[str]) -> list[str]:
    """Within each run of one table's column statements: drops, then changes to existing
    columns (a new generated column may use one), then additions in the target's column
    order (the diff engine adds them alphabetically, so the catalogs would differ in order)."""
    order = {"drop": 0, "alter": 1, "add": 2}
    out, run, run_table = [], [], None

    def flush():
        out.extend(sorted(run, key=lambda s: _position(cats, s, order)))
        run.clear()
    for sql in diff:
        change = statements.column_change(sql)
        if change is None or change[0] != run_table:
            flush()
        run_table = change[0] if change else None
        (run if change else out).append(sql)
    flush()
    return out


def _position(cats: Catalogs, sql: str, order: dict) -> tuple[int, int]:
    table, what, column = statements.column_change(sql)
    target = cats.target_columns.get((table, column))
    if what == "alter":  # an identity goes before its column gets a default (identity back to serial)
        return order[what], 0 if sql.endswith(" drop identity") else 1
    return order[what], target.position if what == "add" and target else 0
