"""The plan's share for extensions, sequences, identity columns and domains: the diff
engine's statements amended (sequence and extension statements it gets wrong left out,
identity clauses and collations completed) with this project's own steps placed where
they must run: extensions first; sequences and domains after the diff engine's
schemas and enum types, before its tables; identity options, owners and domain drops
after them."""

from __future__ import annotations

from schemagen.live import catalog, statements
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
                    live_tables, set())
    return (cats, catalog.domains(live, schema.name), catalog.domains(target, schema.name),
            catalog.domain_columns(live, schema.name))


def domain_tables(uses: dict) -> set[str]:
    return {table for columns in uses.values() for table, _, _ in columns}


def amend(schema: m.Schema, cats: Catalogs, live_domains: dict, target_domains: dict, uses: dict,
          diff: list[str]) -> list[str | Step]:
    """The whole recipe for these kinds, in order; plain strings are the diff engine's
    statements, still to be read for safety."""
    kept = [s for s in diff if statements.kind(s) not in _REPLACED]
    first = next((i for i, s in enumerate(kept) if statements.kind(s) not in _PRELUDE), len(kept))
    seq_before, seq_after = sequence_steps(cats)
    dom_before, dom_after = domain_steps(schema, live_domains, target_domains, uses, cats.rows)
    body = complete_statements(cats, kept[first:])
    return [*kept[:first], *seq_before, *dom_before, *body, *seq_after, *dom_after]
