"""SpendSense's `transactions` in two layouts, at a chosen size: the product schema (one
table) and a variant partitioned by month (bench only: schema.yaml is not changed).

Both databases get the same generated data; then the query catalogue runs on each
(p50/p95), with the plan's scans of `transactions` (partition pruning shows as fewer
partitions scanned), the table's and its indexes' sizes, and how long VACUUM and
ANALYZE take. `python -m bench.layouts --users 200000` is the story's 10x size;
make bench runs it at --layout-users.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import sys
import time
from pathlib import Path

import psycopg
import yaml

from bench.datagen import TODAY, generate
from bench.queries import CATALOGUE, parameters, scans
from bench.run import _latencies, _pct

ROOT = Path(__file__).resolve().parent.parent
DAYS = 180  # how far back datagen's transactions go


def partitioned_spec() -> dict:
    """schema.yaml with transactions partitioned by month over datagen's dates, and a default
    partition; PostgreSQL wants the partition key in the primary key."""
    spec = yaml.safe_load((ROOT / "schema.yaml").read_text())
    spec = copy.deepcopy(spec)
    table = spec["tables"]["transactions"]
    table["columns"]["id"].pop("primary_key", None)
    table["primary_key"] = ["id", "date"]
    first = (TODAY - dt.timedelta(days=DAYS)).replace(day=1)
    after = (TODAY.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    table["partition_by"] = {"range": ["date"]}
    table["partitions"] = {"monthly": {"from": first.isoformat(), "to": after.isoformat()},
                           "transactions_other": {"default": True}}
    return spec


def schema_sql(spec: dict | None) -> str:
    """The layout's DDL, rendered by schemagen from the spec (None: the committed schema.sql)."""
    if spec is None:
        return (ROOT / "generated" / "schema.sql").read_text()
    from schemagen.render.pipeline import render_schema_sql
    from schemagen.spec.loader import parse
    from schemagen.spec.validate import validate
    return render_schema_sql(validate(parse(yaml.safe_dump(spec, sort_keys=False))))


SIZES = """
SELECT coalesce(sum(pg_table_size(c.oid)), 0), coalesce(sum(pg_indexes_size(c.oid)), 0), count(*)
FROM pg_class c WHERE c.oid = 'transactions'::regclass
   OR c.oid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = 'transactions'::regclass)
"""


REPORT = ("SELECT category, sum(amount) FROM transactions WHERE date >= %(month)s "
          "AND date < %(month)s::date + interval '1 month' GROUP BY category")
# retention: the oldest month leaves; the partitioned layout detaches and drops its partition
RETIRE = {False: ["DELETE FROM transactions WHERE date < %(next)s"],
          True: ["ALTER TABLE transactions DETACH PARTITION transactions_{stamp}", "DROP TABLE transactions_{stamp}"]}


def _extra(conn, partitioned: bool, repeats: int) -> dict:
    """A month's report over every user, and the oldest month removed (rolled back)."""
    first = (TODAY - dt.timedelta(days=DAYS)).replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    month = {"month": (TODAY.replace(day=1) - dt.timedelta(days=1)).replace(day=1)}  # the last whole month
    times = _latencies(conn, REPORT, month, max(3, repeats // 5))
    plan = conn.execute("EXPLAIN (FORMAT JSON) " + REPORT, month).fetchone()[0][0]
    touched = sorted({r for _, r, _ in scans(plan) if r.startswith("transactions")})
    with conn.transaction(force_rollback=True):
        started = time.perf_counter()
        for sql in RETIRE[partitioned]:
            conn.execute(sql.format(stamp=first.strftime("%Y_%m")), {"next": following})
        retire = time.perf_counter() - started
    return {"report": (_pct(times, 50), _pct(times, 95), touched), "retire_s": retire}


def measure(url: str, users: int, repeats: int, say, partitioned: bool = False) -> dict:
    """Load the data into url (holding a layout's schema) and measure it."""
    out: dict = {}
    with psycopg.connect(url) as conn:
        started = time.perf_counter()
        out["counts"] = generate(conn, users, progress=say)
        out["load_s"] = time.perf_counter() - started
    with psycopg.connect(url, autocommit=True) as conn:
        for verb in ("VACUUM", "ANALYZE"):
            started = time.perf_counter()
            conn.execute(f"{verb} transactions")
            out[verb.lower() + "_s"] = time.perf_counter() - started
        out["table_bytes"], out["index_bytes"], out["relations"] = conn.execute(SIZES).fetchone()
        params = parameters(conn)
        out["queries"] = {}
        for q in CATALOGUE:
            times = _latencies(conn, q.sql, params, repeats)
            plan = conn.execute("EXPLAIN (FORMAT JSON) " + q.sql, params).fetchone()[0][0]
            touched = sorted({r for _, r, _ in scans(plan) if r.startswith("transactions")})
            out["queries"][q.name] = (_pct(times, 50), _pct(times, 95), touched)
    with psycopg.connect(url) as conn:
        out.update(_extra(conn, partitioned, repeats))
    return out


def compare(server: str, users: int, repeats: int, fresh_database, say=print) -> list[str]:
    """Markdown: the two layouts side by side."""
    results = {}
    for name, spec in (("one table", None), ("monthly partitions", partitioned_spec())):
        url = fresh_database(server, "bench_layout")
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(schema_sql(spec))
        say(f"layout '{name}': loading {users:,} users")
        results[name] = measure(url, users, repeats, lambda text, n=name: say(f"  [{n}] {text}"),
                                partitioned=spec is not None)
    one, part = results["one table"], results["monthly partitions"]
    rows = [f"Data: {users:,} users, {one['counts']['transactions']:,} transactions (over {DAYS} days).", "",
            "| | one table | monthly partitions |", "| --- | --- | --- |",
            f"| load (COPY, all tables) | {one['load_s']:.1f} s | {part['load_s']:.1f} s |",
            f"| VACUUM transactions | {one['vacuum_s']:.2f} s | {part['vacuum_s']:.2f} s |",
            f"| ANALYZE transactions | {one['analyze_s']:.2f} s | {part['analyze_s']:.2f} s |",
            (f"| transactions: table / indexes | {_mb(one['table_bytes'])} / {_mb(one['index_bytes'])} | "
            f"{_mb(part['table_bytes'])} / {_mb(part['index_bytes'])} ({part['relations'] - 1} partitions) |"),
            (f"| remove the oldest month (DELETE / DETACH + DROP) | {one['retire_s']:.2f} s | "
            f"{part['retire_s']:.3f} s |"),
            "", "| query | one table p50 / p95 | partitioned p50 / p95 | partitions scanned |",
            "| --- | --- | --- | --- |"]
    for q in CATALOGUE:
        a, b = one["queries"][q.name], part["queries"][q.name]
        scanned = f"{len(b[2])}" if q.table == "transactions" else "-"
        rows.append(f"| {q.name} | {a[0]:.2f} / {a[1]:.2f} ms | {b[0]:.2f} / {b[1]:.2f} ms | {scanned} |")
    a, b = one["report"], part["report"]
    rows.append(f"| one month's spending by category, every user | {a[0]:.2f} / {a[1]:.2f} ms | "
                f"{b[0]:.2f} / {b[1]:.2f} ms | {len(b[2])} |")
    return rows


SECTION = "## One table or monthly partitions"


def section(rows: list[str], made_by: str) -> list[str]:
    """RESULTS.md's section for the comparison's rows."""
    return [SECTION, "", ("`transactions` as the product schema has it, and partitioned by month (bench/layouts.py: "
                          "a variant of schema.yaml, same data). What it means for SpendSense is in "
                          f"docs/benchmarks.md. {made_by}"), "", *rows]


def committed_section() -> list[str]:
    """The section as bench/RESULTS.md has it (up to the ratios line), to keep it in a new RESULTS.md."""
    from bench.run import RATIOS
    lines = (ROOT / "bench" / "RESULTS.md").read_text().splitlines()
    if SECTION not in lines:
        raise SystemExit("bench/RESULTS.md has no layouts section: run with --layout-users N")
    start = lines.index(SECTION)
    end = next((i for i, line in enumerate(lines) if line.startswith(RATIOS)), len(lines))
    kept = lines[start:end]
    while kept and not kept[-1].strip():
        kept.pop()
    return kept


def write_section(rows: list[str]) -> None:
    """Replace RESULTS.md's layouts section with rows (the rest of the file stays as it is)."""
    from bench.run import RATIOS
    path = ROOT / "bench" / "RESULTS.md"
    lines = path.read_text().splitlines()
    start = lines.index(SECTION) if SECTION in lines else len(lines)
    end = next((i for i, line in enumerate(lines) if line.startswith(RATIOS)), len(lines))
    path.write_text("\n".join([*lines[:start], *rows, "", *lines[end:], ""]))


def _mb(n: int) -> str:
    return f"{n / 2**20:,.0f} MB"


def main() -> None:
    from bench.run import fresh_database, server_url
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=200_000)
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--write", action="store_true", help="put the result into bench/RESULTS.md's section")
    args = parser.parse_args()
    started = time.monotonic()
    rows = compare(server_url(), args.users, args.repeats, fresh_database,
                   say=lambda text: print(f"{time.monotonic() - started:7.1f}s  {text}", file=sys.stderr, flush=True))
    made = (f"Made by `python -m bench.layouts --users {args.users} --repeats {args.repeats}` "
            f"({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {time.monotonic() - started:.0f} s).")
    rows = section(rows, made)
    if args.write:
        write_section(rows)
    print("\n".join(rows))


if __name__ == "__main__":
    main()
