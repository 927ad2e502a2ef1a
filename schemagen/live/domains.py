"""Domains, which the diff engine does not compare at all: created before the tables
that use them, changed in place where PostgreSQL can (default, NOT NULL, constraints),
recreated where it cannot (another base type or collation: the old one is renamed,
the new one made, every column using it cast over, the old one dropped), and
dropped after the tables no longer use them."""

from __future__ import annotations

from schemagen.live.catalog import DomainState
from schemagen.live.plan import Step
from schemagen.render.sql_objects import create_domain
from schemagen.render.sqltext import ident
from schemagen.spec import model as m


def domain_steps(schema: m.Schema, live: dict[str, DomainState], target: dict[str, DomainState],
                 uses: dict[str, list[tuple[str, str, str]]], rows: set[str]) -> tuple[list[Step], list[Step]]:
    """(before the tables, after them). uses: live domain -> (table, column, type) using it."""
    before, after = [], []
    q = _qualifier(schema)
    for domain in schema.domains:  # dependency order: a domain over a domain comes after it
        have, want = live.get(domain.name), target.get(domain.name)
        if want is None:
            continue
        if have is None:
            before.append(Step(create_domain(schema, domain)[0]))  # comments: planner.comment_steps
        elif (have.base, have.collation) != (want.base, want.collation) or (
                _validates(have, want) and any(t.endswith("[]") for _, _, t in uses.get(domain.name, []))):
            # PostgreSQL cannot check a new constraint on values inside arrays of the domain either
            before += _recreate(schema, domain, have, want, uses.get(domain.name, []), rows)
        else:
            before += _alter(q(domain.name), have, want, [t for t, _, _ in uses.get(domain.name, []) if t in rows])
    for name in sorted(set(live) - set(target)):
        after.append(Step(f"DROP DOMAIN {q(name)}", note="no column uses it any more"))
    return before, after


def _validates(have: DomainState, want: DomainState) -> bool:
    """Whether the change makes PostgreSQL check existing values: NOT NULL set, a constraint
    added, changed or validated."""
    return (want.not_null and not have.not_null) or any(
        have.constraints.get(name) != value and (value[1] or name not in have.constraints)
        for name, value in want.constraints.items())


def _qualifier(schema: m.Schema):
    return lambda name: f"{ident(schema.name)}.{ident(name)}"


def _alter(name: str, have: DomainState, want: DomainState, holding: list[str]) -> list[Step]:
    """holding: tables with rows that have a column of the domain (PostgreSQL checks them all)."""
    scans = f"checks every value of domain {name} in {', '.join(sorted(set(holding)))} while blocking writes" \
        if holding else None
    out = []
    if have.default != want.default:
        out.append(Step(f"ALTER DOMAIN {name} " + (f"SET DEFAULT {want.default}" if want.default is not None
                                                   else "DROP DEFAULT")))
    if have.not_null != want.not_null:
        out.append(Step(f"ALTER DOMAIN {name} {'SET' if want.not_null else 'DROP'} NOT NULL",
                        unsafe=scans if want.not_null else None))
    for cname in sorted(set(have.constraints) | set(want.constraints)):
        old, new = have.constraints.get(cname), want.constraints.get(cname)
        if old is not None and (new is None or old[0] != new[0]):
            out.append(Step(f"ALTER DOMAIN {name} DROP CONSTRAINT {ident(cname)}"))
        if new is not None and (old is None or old[0] != new[0]):
            out.append(Step(f"ALTER DOMAIN {name} ADD CONSTRAINT {ident(cname)} {new[0]}", unsafe=scans))
        elif new is not None and new[1] and not old[1]:
            out.append(Step(f"ALTER DOMAIN {name} VALIDATE CONSTRAINT {ident(cname)}", unsafe=scans))
    return out


def _recreate(schema: m.Schema, domain: m.Domain, have: DomainState, want: DomainState,
              columns: list[tuple[str, str, str]], rows: set[str]) -> list[Step]:
    q = _qualifier(schema)
    retired = domain.name[:54] + "_replaced"
    change = (f"changes from {have.base} to {want.base}" + (f" collate {want.collation}" if want.collation else "")
              if (have.base, have.collation) != (want.base, want.collation) else "gets a constraint arrays of it hold")
    out = [Step(f"ALTER DOMAIN {q(domain.name)} RENAME TO {ident(retired)}",
                note=f"domain {domain.name} {change}: PostgreSQL cannot alter that in place, so it is made anew")]
    out += [Step(s) for s in create_domain(schema, domain)]  # its comments too: the old one keeps its own
    # casting to a domain with constraints rewrites the table (PostgreSQL checks each value anew), and
    # so does any other base: a domain column carries no length or precision to widen from
    rewrites = bool(want.not_null or want.constraints or domain.checks) or have.base != want.base
    for table, column, typ in columns:
        array = "[]" if typ.endswith("[]") else ""
        sql = (f"ALTER TABLE {q(table)} ALTER COLUMN {ident(column)} TYPE {q(domain.name)}{array} "
               f"USING {ident(column)}::{want.base}{array}::{q(domain.name)}{array}")
        unsafe = None
        if table in rows:
            unsafe = (f"rewrites {table} to cast {column} to the new {domain.name} under an ACCESS EXCLUSIVE lock"
                      if rewrites or array else
                      f"checks every row of {table} against the new {domain.name} under an ACCESS EXCLUSIVE lock")
        out.append(Step(sql, unsafe=unsafe))
    out.append(Step(f"DROP DOMAIN {q(retired)}"))
    return out
