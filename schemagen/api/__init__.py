"""The public Python API: what the `schemagen` command does, as functions.

    from schemagen import api

    schema = api.load("schema.yaml")          # validated, resolved, immutable
    files = api.render(schema)                # {"schema.sql": "...", "models/...": "..."}
    api.write(files, "generated")             # atomically; returns the paths that changed
    plan = api.plan(schema, database_url)     # what would take the database to schema.yaml
    print(plan.render())                      # review it ...
    api.apply(schema, database_url, approved=plan)   # ... and apply exactly that, or refuse

Only the names in `__all__` are public; everything else in the package may change.
Errors: `SchemaError` (schema.yaml has problems; `.diagnostics` lists them all),
`ApplyError` (refused or failed; `.exit_code` as the CLI would exit), `DatabaseError`.
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING

from schemagen.diagnostics import Diagnostic, SchemaError
from schemagen.spec.model import Schema

if TYPE_CHECKING:
    from schemagen.live.plan import Plan
    from schemagen.render.output import Comparison

__all__ = ["Diagnostic", "Schema", "SchemaError", "apply", "check", "lint", "load", "plan", "render", "write"]


def load(path: str | PathLike[str]) -> Schema:
    """Read, validate and resolve a schema file; raises SchemaError listing every problem.
    (A valid file's model is cached by its bytes in the user cache: see schemagen.spec.cached.)"""
    from schemagen.spec import cached
    return cached.load(Path(path), display=str(path))


def lint(path: str | PathLike[str]) -> list[Diagnostic]:
    """The design-rule findings for a schema file (errors, warnings, info), silenced ones left out.
    Raises SchemaError for an invalid file. (Findings are cached like `load`'s model.)"""
    from schemagen.lint.cached import findings
    return findings(Path(path))


def render(schema: Schema) -> dict[str, str]:
    """Every generated file as {path relative to the output folder: text}; pure, writes nothing."""
    from schemagen.render.pipeline import render as render_all
    return render_all(schema)


def write(files: dict[str, str], out_dir: str | PathLike[str] = "generated") -> list[str]:
    """Write rendered files atomically (all or none); return the relative paths that changed.
    Files that carry schemagen's header but are no longer rendered are removed."""
    from schemagen.render.output import write as write_all
    return write_all(Path(out_dir), files)


def check(schema: Schema, out_dir: str | PathLike[str] = "generated") -> Comparison:
    """Compare what render would write with out_dir, in memory (`.clean`, `.stale`, `.diff`)."""
    from schemagen.render.output import compare
    return compare(Path(out_dir), render(schema))


def plan(schema: Schema, url: str, *, dev_url: str | None = None) -> Plan:
    """The statements that take the database at url to the schema (nothing is changed).
    dev_url: a server for the scratch database when url's role cannot create databases."""
    from schemagen.live import apply as live
    return live.diff(schema, url, live.Options(dev_url=dev_url))


def apply(schema: Schema, url: str, *, approved: Plan | None = None, allow_unsafe: bool = False,
          dev_url: str | None = None, lock_timeout: str = "5s", statement_timeout: str = "5min",
          lock_wait: float = 30.0) -> None:
    """Take the database to the schema, under the advisory lock, in one transaction per phase.

    approved: a plan from `plan()` that a person reviewed; if the database has moved since and
    the plan made under the lock differs, nothing is applied (ApplyError). UNSAFE statements
    are refused (ApplyError, exit_code 3) unless allow_unsafe."""
    import io

    from schemagen.live import apply as live
    opts = live.Options(yes=True, allow_unsafe=allow_unsafe, dev_url=dev_url, lock_timeout=lock_timeout,
                        statement_timeout=statement_timeout, lock_wait=lock_wait, approved=approved)
    sink = io.StringIO()
    live.apply(schema, url, opts, out=sink, err=sink)
