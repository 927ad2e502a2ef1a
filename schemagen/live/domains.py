"""Domains, which the diff engine does not compare at all: created before the tables
that use them, changed in place where PostgreSQL can (default, NOT NULL, constraints),
recreated where it cannot (another base type or collation, or a new constraint while
arrays of the domain are in use: the old one is renamed, the new one made, every column
using it cast over, the old one dropped), and dropped after the tables no longer use them.

Everything is written from the two catalogs (types as format_type prints them under the
shared search_path, constraints as pg_get_constraintdef does), so the same code plans a
migration back down to an older version."""

from __future__ import annotations

from schemagen.live.catalog import DomainState
from schemagen.live.plan import Step
from schemagen.render.sqltext import ident, literal


def domain_steps(schema: str, live: dict[str, DomainState], target: dict[str, DomainState],
                 uses: dict[str, list[tuple[str, str, str]]], rows: set[str]) -> tuple[list[Step], list[Step]]:
    """(before the tables, after them). uses: live domain -> (table, column, type) using it."""
    before, after = [], []

    def q(name: str) -> str:
        return f"{ident(schema)}.{ident(name)}"
    for want in dependency_order(target):
        have, used = live.get(want.name), uses.get(want.name, [])
        if have is None:
            before.append(Step(create(q(want.name), want)))  # comments: properties.py
        elif (have.base, have.collation) != (want.base, want.collation) or (
                _validates(have, want) and any(t.endswith("[]") for _, _, t in used)):
            # PostgreSQL cannot check a new constraint on values inside arrays of the domain either
            before += _recreate(q, have, want, used, rows)
        else:
            before += _alter(q(want.name), have, want, [t for t, _, _ in used if t in rows])
    gone = {name: d for name, d in live.items() if name not in target}
    for d in reversed(dependency_order(gone)):  # a domain over another goes first
        after.append(Step(f"DROP DOMAIN {q(d.name)}", note="no column uses it any more"))
    return before, after


def dependency_order(domains: dict[str, DomainState]) -> list[DomainState]:
    """Each domain after the domain it is over."""
    out, pending = [], dict(sorted(domains.items()))
    while pending:
        ready = [d for d in pending.values() if _under(d) not in pending or _under(d) == d.name]
        for d in ready or list(pending.values()):  # a cycle cannot exist in a catalog; keep going anyway
            out.append(pending.pop(d.name))
    return out


def _under(domain: DomainState) -> str:
    return domain.base.removesuffix("[]").split(".")[-1].replace('"', "")


def create(name: str, d: DomainState) -> str:
    parts = [f"CREATE DOMAIN {name} AS {d.base}"]
    if d.collation:
        parts.append(f"COLLATE {d.collation}")
    if d.default is not None:
        parts.append(f"DEFAULT {d.default}")
    if d.not_null:
        parts.append("NOT NULL")
    parts += [f"CONSTRAINT {ident(c)} {v[0]}" for c, v in sorted(d.constraints.items())]
    return " ".join(parts)


def _validates(have: DomainState, want: DomainState) -> bool:
    """Whether the change makes PostgreSQL check existing values: NOT NULL set, a constraint
    added, changed or validated."""
    return (want.not_null and not have.not_null) or any(
        (have.constraints.get(name) or [None, None])[:2] != value[:2] and (value[1] or name not in have.constraints)
        for name, value in want.constraints.items())


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


def _recreate(q, have: DomainState, want: DomainState, columns: list[tuple[str, str, str]],
              rows: set[str]) -> list[Step]:
    retired = want.name[:54] + "_replaced"
    change = (f"changes from {have.base} to {want.base}" + (f" collate {want.collation}" if want.collation else "")
              if (have.base, have.collation) != (want.base, want.collation) else "gets a constraint arrays of it hold")
    out = [Step(f"ALTER DOMAIN {q(want.name)} RENAME TO {ident(retired)}",
                note=f"domain {want.name} {change}: PostgreSQL cannot alter that in place, so it is made anew"),
           Step(create(q(want.name), want))]
    # the comments: the old domain keeps its own
    if want.comment is not None:
        out.append(Step(f"COMMENT ON DOMAIN {q(want.name)} IS {literal(want.comment)}"))
    out += [Step(f"COMMENT ON CONSTRAINT {ident(c)} ON DOMAIN {q(want.name)} IS {literal(v[2])}")
            for c, v in sorted(want.constraints.items()) if v[2] is not None]
    # casting to a domain with constraints rewrites the table (PostgreSQL checks each value anew), and
    # so does any other base: a domain column carries no length or precision to widen from
    rewrites = bool(want.not_null or want.constraints) or have.base != want.base
    for table, column, typ in columns:
        array = "[]" if typ.endswith("[]") else ""
        sql = (f"ALTER TABLE {q(table)} ALTER COLUMN {ident(column)} TYPE {q(want.name)}{array} "
               f"USING {ident(column)}::{want.base}{array}::{q(want.name)}{array}")
        unsafe = None
        if table in rows:
            unsafe = (f"rewrites {table} to cast {column} to the new {want.name} under an ACCESS EXCLUSIVE lock"
                      if rewrites or array else
                      f"checks every row of {table} against the new {want.name} under an ACCESS EXCLUSIVE lock")
        out.append(Step(sql, unsafe=unsafe))
    out.append(Step(f"DROP DOMAIN {q(retired)}"))
    return out
