"""The catalogue of lint rules: codes, names, severities, rationales.

It lives with the diagnostics, below every stage, because schema.yaml names the
codes (`lint: {ignore: {SG003: reason}}`) and validation checks them without
needing the rules themselves (schemagen.lint).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: str
    rationale: str


RULES = {r.code: r for r in [
    Rule("SG001", "fk-without-index", "warning",
         "Deleting a parent row scans the child table when no index leads with the foreign key columns."),
    Rule("SG002", "table-comment", "warning", "A table without a comment leaves its readers guessing."),
    Rule("SG003", "column-comment", "warning", "A column without a comment leaves its readers guessing."),
    Rule("SG004", "timestamp-without-time-zone", "warning",
         "timestamp drops the time zone; timestamptz stores an instant."),
    Rule("SG005", "money-as-float", "error", "Floating point cannot hold cents exactly: use numeric(p,s)."),
    Rule("SG006", "varchar-without-length", "warning",
         "varchar with no length is text with another name: give it a length or use text."),
    Rule("SG007", "char-n", "warning", "char(n) pads with spaces and compares surprisingly: use varchar(n)."),
    Rule("SG008", "redundant-index", "warning",
         "An index whose columns lead another index (or key) costs writes and serves nothing the other does not."),
    Rule("SG009", "reserved-word", "warning",
         "A reserved word as a name must be quoted in every hand-written query."),
    Rule("SG010", "cascade-from-audit-table", "warning",
         "ON DELETE CASCADE into an audit or log table lets a delete erase the record of what happened."),
    Rule("SG011", "nullable-unique", "warning",
         "NULLs are distinct in a unique constraint, so a nullable column lets duplicates in."),
    Rule("SG012", "volatile-enum", "info",
         "Adding enum values is cheap, removing them rewrites tables: a long list that changes belongs in a table."),
    Rule("SG013", "serial", "warning",
         "serial makes a sequence the column only points at (its own owner and grants, copied by "
         "CREATE TABLE LIKE); an identity column is the SQL-standard, self-contained spelling."),
    Rule("SG014", "cycling-sequence", "warning",
         "A sequence that cycles starts again at its minimum after its maximum: a key drawn from it repeats."),
    Rule("SG020", "unlogged-table", "warning",
         "An unlogged table skips the WAL: it is emptied after a crash and never reaches a standby or replica."),
    Rule("SG021", "deferrable-unique", "warning",
         "A deferrable unique constraint is checked at COMMIT: ON CONFLICT cannot use it and no foreign key can "
         "reference it."),
    Rule("SG022", "no-default-partition", "info",
         "Without a default partition, a row outside every partition's bounds is refused: generate partitions "
         "ahead of time, or add a default one."),
    Rule("SG023", "security-definer-search-path", "error",
         "A SECURITY DEFINER function runs with its owner's rights but the caller's search_path: a caller who can "
         "create objects in a schema on that path can make it run their code. Give it `set: {search_path: ...}`."),
]}
