"""What `diff` finds in a plan (UNSAFE statements, Squawk's migration lint) as diagnostics,
so JSON, GitHub and SARIF output carry them like any other finding."""

from __future__ import annotations

from schemagen.diagnostics import Diagnostic


def plan_findings(plan, schema, doc) -> list[Diagnostic]:
    """One diagnostic per UNSAFE step and per Squawk finding, placed at the table the
    statement changes in schema.yaml (else at the top of the file)."""
    from schemagen.lint.squawk import findings_per_statement
    out = []
    statements = [step.sql for step in plan.steps]
    squawk = findings_per_statement(statements)
    for i, step in enumerate(plan.steps):
        line, col = _where(step.sql, schema, doc)
        if step.unsafe:
            out.append(Diagnostic(doc.file, line, col, f"UNSAFE: {step.unsafe}: {step.sql}", "", "UNSAFE", "error"))
        for rule, message in squawk.get(i, []):
            out.append(Diagnostic(doc.file, line, col, f"{message}: {step.sql}", "", f"squawk/{rule}", "warning"))
    return out


def _where(sql: str, schema, doc) -> tuple[int, int]:
    """The position of the table a statement names (quoted as the planner writes it)."""
    for table in schema.tables:
        if f'"{schema.name}"."{table.name}"' in sql or f'"{table.name}"' in sql:
            return doc.where(("tables", table.name), key=True)
    return (1, 1)
