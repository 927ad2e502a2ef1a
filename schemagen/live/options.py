"""What `diff` and `apply` are asked to do (the CLI's and the API's options), apart from
apply.py so that reading them needs neither SQLAlchemy nor the diff engine."""

from __future__ import annotations

from dataclasses import dataclass, field

from schemagen.live.plan import Plan
from schemagen.live.scope import EVERYTHING, Scope
from schemagen.live.scratch import EarlyScratch


@dataclass
class Options:
    lock_timeout: str = "5s"
    statement_timeout: str = "5min"
    lock_wait: float = 30.0       # seconds to wait for another apply to finish
    allow_unsafe: bool = False
    dry_run: bool = False
    yes: bool = False
    dev_url: str | None = None    # where the scratch database goes, when not on the live server
    target_cache: bool | None = None  # keep the built target for the next run; None: only on a --dev-url server
    early: EarlyScratch | None = None  # a scratch database already being built from generated/schema.sql
    schema_hash: str = ""
    notes: list[str] = field(default_factory=list)  # for people, printed by the CLI after the command
    approved: Plan | None = None  # a reviewed plan: apply it exactly, or nothing
    scope: Scope = EVERYTHING     # --ignore patterns, on top of schema.yaml's ignore:
