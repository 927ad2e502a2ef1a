"""`make bench`: tool speed and query performance, measured side by side in one run,
written to bench/RESULTS.md. Uses the private dev PostgreSQL (schemagen dev up).

    python -m bench.run [--users 20000] [--repeats 5] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

from schemagen.connect.dburl import with_database

from .datagen import generate
from .measure import HEADER, Row, timed
from .notes import SPEED_NOTES, TARGET_NOTES
from .queries import CATALOGUE, index_used, parameters
from .synthetic import spec

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def server_url() -> str:
    """The private dev PostgreSQL's URL (started when it is not running)."""
    return subprocess.run([str(BIN / "schemagen"), "dev", "up"], cwd=ROOT, check=True, capture_output=True,
                          text=True).stdout.strip()


def fresh_database(server: str, name: str) -> str:
    with psycopg.connect(with_database(server, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return with_database(server, name)


def project(tables: int | None) -> Path:
    """A folder with a schema.yaml: SpendSense's, or a synthetic one of `tables` tables."""
    import yaml
    folder = Path(tempfile.mkdtemp(prefix="schemagen-bench-"))
    if tables is None:
        shutil.copy(ROOT / "schema.yaml", folder / "schema.yaml")
    else:
        (folder / "schema.yaml").write_text(yaml.safe_dump(spec(tables), sort_keys=False))
    subprocess.run([str(BIN / "schemagen"), "render"], cwd=folder, check=True, capture_output=True)
    return folder


def cli_speed(repeats: int, sizes_render) -> list[Row]:
    """Offline commands of SpendSense against the floor of their own dependencies; render at size."""
    floor = timed([sys.executable, "-c", "import yaml, jinja2, pydantic"], repeats, ROOT)
    bare = timed([sys.executable, "-c", "pass"], repeats, ROOT)
    folder = project(None)
    rows = [Row("help", "`schemagen --help`", timed([str(BIN / "schemagen"), "--help"], repeats, folder),
                "`python -c pass`", bare, target=3.0)]
    for command in ("render", "validate", "check", "lint"):
        extra = ["--out", "out"] if command == "render" else []
        rows.append(Row(command, f"cold `{command}`, SpendSense (warm user cache)",
                        timed([str(BIN / "schemagen"), command, *extra], repeats, folder),
                        "`python -c \"import yaml, jinja2, pydantic\"`", floor, target=1.3))
    edits = iter(range(1_000_000))
    rows.append(Row("render-edited", "cold `render`, SpendSense, right after an edit of schema.yaml (a new comment)",
                    timed([str(BIN / "schemagen"), "render", "--out", "out"], repeats, folder,
                          before=lambda: _edit(folder / "schema.yaml", next(edits))),
                    "`python -c \"import yaml, jinja2, pydantic\"`", floor))
    rows.append(Row("render-nocache", "cold `render`, SpendSense, SCHEMAGEN_NO_CACHE=1",
                    timed([str(BIN / "schemagen"), "render", "--out", "out"], repeats, folder,
                          env={"SCHEMAGEN_NO_CACHE": "1"}),
                    "`python -c \"import yaml, jinja2, pydantic\"`", floor))
    for tables in sizes_render:
        folder = project(tables)
        ours = timed([str(BIN / "schemagen"), "render", "--out", "out"], max(2, repeats // 2), folder,
                     before=lambda f=folder: shutil.rmtree(f / "out", ignore_errors=True))
        rows.append(Row(f"render-{tables}", f"`render` of {tables} synthetic tables into an empty folder "
                        "(warm user cache)", ours, "`python -c \"import yaml, jinja2, pydantic\"`", floor,
                        limit=1.0 if tables <= 1000 else 5.0))
        cold = timed([str(BIN / "schemagen"), "render", "--out", "out"], 2, folder, env={"SCHEMAGEN_NO_CACHE": "1"},
                     before=lambda f=folder: shutil.rmtree(f / "out", ignore_errors=True))
        rows.append(Row(f"render-{tables}-nocache", f"`render` of {tables} synthetic tables into an empty folder, "
                        "SCHEMAGEN_NO_CACHE=1", cold, "`python -c \"import yaml, jinja2, pydantic\"`", floor))
    return rows


def _edit(schema: Path, n: int) -> None:
    """A change of schema.yaml's bytes that changes nothing it declares: what the caches see of an edit."""
    with schema.open("a") as handle:
        handle.write(f"# edit {n}\n")


def diff_speed(server: str, repeats: int, sizes_diff) -> list[Row]:
    rows = []
    for tables in sizes_diff:
        folder = project(tables)
        live, other = fresh_database(server, "bench_live"), fresh_database(server, "bench_other")
        sql = (folder / "generated" / "schema.sql").read_text()
        for url in (live, other):
            with psycopg.connect(url) as conn:
                conn.execute(sql)
        migra = [str(BIN / "migra"), "--unsafe", "--schema", "public", live, other]
        raw = timed(migra, repeats, folder, expect=(0,))
        runs = {"scratch": ("scratch database", [str(BIN / "schemagen"), "diff", "--db", live]),
                "cached": ("cached target (`--dev-url`)",
                           # --target-cache: --dev-url naming the live server itself keeps no target unasked
                           [str(BIN / "schemagen"), "diff", "--db", live, "--dev-url", server, "--target-cache"])}
        for key, (label, cmd) in runs.items():
            rows.append(Row(f"diff-sync-{key}-{tables}", f"`diff`, {tables} tables in sync, {label}",
                            timed(cmd, repeats, folder, expect=(0,)), "raw `migra` on two loaded databases", raw,
                            target=0.8))
        with psycopg.connect(live, autocommit=True) as conn:  # one difference: the diff engine has to run
            conn.execute("ALTER TABLE t0000 ADD COLUMN extra integer")
        raw = timed(migra, repeats, folder, expect=(2,))  # migra exits 2 when it finds differences
        rows.append(Row(f"diff-change-{tables}", f"`diff`, {tables} tables, one column to drop, scratch database",
                        timed(runs["scratch"][1], repeats, folder, expect=(1,)),
                        "raw `migra` on two loaded databases", raw, target=1.0))
    return rows


def apply_speed(server: str, repeats: int, sizes_apply) -> list[Row]:
    """`apply` to an empty database against psql loading the same schema.sql (SpendSense, and
    synthetic schemas of sizes_apply tables); the warm-up run leaves the user cache warm."""
    rows = []
    for tables in [None, *sizes_apply]:
        folder = project(tables)
        target = with_database(server, "bench_apply")
        fresh = lambda: fresh_database(server, "bench_apply")  # noqa: E731
        ours = timed([str(BIN / "schemagen"), "apply", "--db", target, "--yes"], repeats, folder, before=fresh,
                     expect=(0,))
        psql = timed(["psql", "-q", "-v", "ON_ERROR_STOP=1", "-d", target, "-f", "generated/schema.sql"],
                     repeats, folder, before=fresh, expect=(0,))
        what = "SpendSense" if tables is None else f"{tables} synthetic tables"
        rows.append(Row("apply" if tables is None else f"apply-{tables}", f"`apply` {what} to an empty database",
                        ours, "`psql -f generated/schema.sql`", psql,
                        target=None if tables is None else 2.0, limit=0.5 if tables is None else None))
    return rows


def query_performance(server: str, users: int, repeats: int) -> tuple[list[str], list[str]]:
    url = fresh_database(server, "bench_queries")
    with psycopg.connect(url) as conn:
        conn.execute((ROOT / "generated" / "schema.sql").read_text())
        conn.commit()
        started = time.perf_counter()
        counts = generate(conn, users)
        load = time.perf_counter() - started
    notes = [f"Data: {users} users, " + ", ".join(f"{n:,} {t}" for t, n in counts.items())
             + f"; generated and loaded with COPY in {load:.1f}s."]
    rows = ["| query | plan (large table) | p50 | p95 | p50 without secondary indexes | ratio |",
            "| --- | --- | --- | --- | --- | --- |"]
    with psycopg.connect(url) as conn:
        params = parameters(conn)
        with_indexes = {q.name: _latencies(conn, q.sql, params, repeats) for q in CATALOGUE}
        plans = {}
        for q in CATALOGUE:
            plan = conn.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + q.sql, params).fetchone()[0][0]
            plans[q.name] = index_used(plan, q) or "sequential scan"
        secondary = [r[0] for r in conn.execute(
            "SELECT indexrelid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid "
            "WHERE c.relnamespace = 'public'::regnamespace AND NOT i.indisprimary AND NOT i.indisunique")]
        with conn.transaction(force_rollback=True):  # the indexes come back with the rollback
            for name in secondary:
                conn.execute(f"DROP INDEX {name}")
            without = {q.name: _latencies(conn, q.sql, params, max(3, repeats // 4)) for q in CATALOGUE}
    for q in CATALOGUE:
        p50, p95 = _pct(with_indexes[q.name], 50), _pct(with_indexes[q.name], 95)
        base = _pct(without[q.name], 50)
        rows.append(f"| {q.name} | {plans[q.name]} | {p50:.2f} ms | {p95:.2f} ms | {base:.2f} ms | "
                    f"{base / p50:.0f}x faster |")
    return notes, rows


def _latencies(conn, sql: str, params: dict, repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        started = time.perf_counter()
        conn.execute(sql, params).fetchall()
        out.append((time.perf_counter() - started) * 1000)
    return out


def _pct(values: list[float], pct: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


RATIOS = "<!-- bench ratios (python -m bench.check compares a quick run with these): "


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=20000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--layout-users", type=int, default=200_000,
                        help="users for the one-table vs partitioned comparison (10x the story's data); 0 keeps "
                        "the section RESULTS.md has (written by `python -m bench.layouts --write`)")
    parser.add_argument("--render-sizes", default="1000,5000", help="synthetic tables rendered (comma-separated)")
    parser.add_argument("--diff-sizes", default="10,100,500", help="synthetic tables diffed")
    parser.add_argument("--apply-sizes", default="500", help="synthetic tables applied to an empty database")
    parser.add_argument("--quick", action="store_true", help="small sizes, for trying the harness")
    args = parser.parse_args()
    server = server_url()
    sizes = {name: [int(n) for n in getattr(args, name + "_sizes").split(",") if n]
             for name in ("render", "diff", "apply")}
    if args.quick:
        sizes = {"render": [100], "diff": [10, 100], "apply": [100]}
    users = 500 if args.quick else args.users
    with psycopg.connect(server) as conn:
        version = conn.execute("SHOW server_version").fetchone()[0]
    rows = cli_speed(args.repeats, sizes["render"]) + diff_speed(server, args.repeats, sizes["diff"]) \
        + apply_speed(server, args.repeats, sizes["apply"])
    notes, queries = query_performance(server, users, max(20, args.repeats * 10))
    from .layouts import committed_section, compare, section
    layout_users = 2000 if args.quick else args.layout_users
    layouts = committed_section() if layout_users == 0 else section(
        compare(server, layout_users, max(20, args.repeats * 10), fresh_database,
                say=lambda text: print(text, file=sys.stderr, flush=True)), "Made by this run.")
    command = "python -m bench.run " + " ".join(sys.argv[1:])
    record = {row.key: round(row.ratio, 3) for row in rows if row.ratio is not None}
    text = "\n".join([
        "# Benchmarks", "",
        (f"Machine: {platform.machine()}, {os.cpu_count()} cores (shared), Python {platform.python_version()}, "
         f"PostgreSQL {version} (the private dev server, fsync off). Medians with (min-max) over "
         f"{args.repeats} runs; a ratio's spread is its worst and best pairing of runs; query latencies over "
         f"{max(20, args.repeats * 10)} runs, client side. Made by `{command.strip()}` "
         f"({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})."),
        ("Reproduce with `make bench`; `python -m bench.check` runs a quick subset and fails when a ratio grew by "
        "more than 50% against this file."), "",
        "## Tool speed", "", *HEADER, *(row.markdown() for row in rows), "", *SPEED_NOTES, "", *TARGET_NOTES, "",
        "## SpendSense queries on realistic data", "", *notes, "",
        ("Each query runs with all indexes, then with the secondary (non-unique) indexes dropped inside a "
         "transaction that is rolled back."), "", *queries, "",
        *layouts, "",
        RATIOS + json.dumps(record, sort_keys=True) + " -->", "",
    ])
    (ROOT / "bench" / "RESULTS.md").write_text(text)
    print(text)


def committed_ratios() -> dict[str, float]:
    """The ratios recorded at the end of bench/RESULTS.md."""
    for line in (ROOT / "bench" / "RESULTS.md").read_text().splitlines():
        if line.startswith(RATIOS):
            return json.loads(line[len(RATIOS):].removesuffix("-->").strip())
    return {}


if __name__ == "__main__":
    main()
