"""A migration plan: ordered steps, each with its phase and, where it can lose
data or lock for long, the reason. Printing it is the only place it becomes text."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

# Phases run in this order. "enum" and "main" are transactions; "after" steps
# cannot run in a transaction (CREATE INDEX CONCURRENTLY) or should not hold
# the main transaction's locks (VALIDATE CONSTRAINT), and run after the commit.
PHASES = ("enum", "main", "after")
# Lines that split a migration file into its transactions (see migrations.py).
TRANSACTION, NO_TRANSACTION = "-- schemagen:transaction", "-- schemagen:no-transaction"
MARKERS = {"enum": TRANSACTION, "main": TRANSACTION, "after": NO_TRANSACTION}
# locks worth a line in the plan: they make others wait
BLOCKS = {"ACCESS EXCLUSIVE": "blocks reads and writes until the commit", "SHARE ROW EXCLUSIVE": "blocks writes",
          "SHARE": "blocks writes"}


@dataclass(frozen=True)
class Step:
    sql: str
    phase: str = "main"
    unsafe: str | None = None   # why it can lose data, rewrite a table or lock for long
    risk: str | None = None     # drops data | rewrites | long lock | fails | breaks callers | opens access
    lock: str | None = None     # the lock it takes on an existing table (pg_locks' mode, without "Lock")
    lock_on: str | None = None  # that table
    note: str | None = None     # why it stands where it stands
    cleanup: str | None = None  # for "after" steps: what undoes a failed attempt
    object_name: str | None = None  # the index or constraint an "after" step finishes
    kind: str = "change"        # "rename" steps run first, while planning, in the same transaction
    group: str | None = None    # "undeclared": drops an object schema.yaml does not name


@dataclass
class Plan:
    steps: list[Step] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # things to tell people, not SQL
    header: list[str] = field(default_factory=list)  # what a reviewer reads first: what is not managed, what goes

    @property
    def empty(self) -> bool:
        return not self.steps

    @property
    def unsafe_steps(self) -> list[Step]:
        return [s for s in self.steps if s.unsafe]

    def phase(self, name: str) -> list[Step]:
        return [s for s in self.steps if s.phase == name]

    def statements(self) -> list[str]:
        return [s.sql for s in self.steps]

    def render(self, markers: bool = False) -> str:
        """The plan as SQL for people; with markers, as a migration file (the marker lines
        split it into its transactions when it is applied)."""
        out = [f"-- {line[0].upper()}{line[1:]}" for line in self.header] if self.steps else []
        out += [""] if out else []
        for name in PHASES:
            steps = self.phase(name)
            if not steps:
                continue
            if markers:
                out.append(MARKERS[name])
            out.append({"enum": "-- Transaction 1: new enum values (committed before they are used)",
                        "main": "-- Transaction" + (" 2" if self.phase("enum") else "") + ": schema changes",
                        "after": "-- After the commit, outside a transaction"}[name])
            group = None
            for step in steps:
                if step.group != group and name == "main":
                    group = step.group
                    out.append("-- Objects schema.yaml does not declare:" if group else "-- Everything else:")
                if step.unsafe:
                    out.append(f"-- UNSAFE: {step.unsafe}")
                if step.note:
                    out.append(f"-- {step.note}")
                if step.lock in BLOCKS and not step.unsafe:
                    out.append(f"-- locks {step.lock_on} ({step.lock}: {BLOCKS[step.lock]})")
                out.append(step.sql + ";")
            out.append("")
        return "\n".join(out)

    def to_json(self) -> str:
        return json.dumps({"in_sync": self.empty, "header": self.header, "notes": self.notes,
                           "statements": [asdict(s) for s in self.steps]}, indent=2)
