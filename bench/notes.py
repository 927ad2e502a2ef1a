"""The text RESULTS.md carries besides its figures."""

SPEED_NOTES = """\
Every command runs as a user's would: a new process, bytecode caches written (this machine's environment turns
them off; both sides get them here), one untimed warm-up run first (so the user cache holds the schema's model,
its schema.sql and the target's digest, as on a developer's second run). The machine is shared (2 cores, other
agents running test suites at the same time): figures are medians, each ratio's spread is its worst and best
pairing of runs, and the schemagen column adds the process's own CPU time, which contention inflates less than
wall time. Raw `migra` compares two databases loaded beforehand with the same schema.sql; schemagen has to
build its target from schema.yaml itself.

- *scratch database*: a new scratch database each run, seeded from the committed generated/schema.sql while
  schema.yaml is read, in the dev server's RAM tablespace.
- *cached target*: `--dev-url` keeps the built target (read-only, named by the hash of its SQL), so the runs
  after the first build nothing.
- *in sync*: the two schemas' catalog digests are equal, so migra is not run (or imported) at all.
- *one column to drop*: the digests differ and migra runs in full on the live side; the target's side (its
  catalog, migra's inspection of it, pg_depend...) is replayed from the record the warm-up run left in the user
  cache (live/targetcache.py), keyed by the SQL and by the server, so no target database is built.
- *warm user cache* for `render`, `validate`, `check`, `lint`: the warm-up run leaves the rendered files, the
  model's counts and the lint findings in the user cache, keyed by everything they depend on (the file's bytes,
  the code, the templates, Python, ruff's binary, Jinja/PyYAML/pydantic/pglast releases); a repeated command
  reads them and renders nothing. The `SCHEMAGEN_NO_CACHE=1` rows show a first run's cost.
- *`apply` to an empty database*: psycopg alone (live/quickapply.py, no SQLAlchemy), schema.sql in one round
  trip, the result's catalog digest checked against the target's (remembered in the user cache after the
  first run, so no target database is built), inside the transaction that also writes the history row.""".splitlines()

# Why each missed target is missed and what was tried: written by hand after the run that
# RESULTS.md records (issue 16's session of 2026-11-28); kept here so that `make bench` keeps it.
TARGET_NOTES = """\
### Targets: what this run says, and why

Written by hand after the run RESULTS.md records (2026-11-28, issue 16's second session); kept here so that
`make bench` keeps it. The machine is shared (2 cores); ratios against a baseline of the same run are the
figures to compare.

- **cold `render`, `validate`, `check`, `lint`** (<= 1.3x the import floor): met, through the user cache (above).
  A first run (`SCHEMAGEN_NO_CACHE=1` rows) still reads YAML with positions, validates with pydantic and pglast,
  renders through Jinja and formats with ruff: about 3-4x the floor for SpendSense.
- **`--help`** (<= 3x `python -c pass`): argparse's own import (re, enum: about 10 ms) is most of what is left;
  the cli modules import pathlib only where used. 2.7x on a quiet machine, about 3x under load.
- **`render` of 1,000 and 5,000 tables** (< 1 s, < 5 s): with the cache warm the time is writing the files
  (atomically: each staged beside its target and fsynced by 8 threads, then renamed), which depends on the
  disk's load. A first run without the cache takes seconds per thousand tables (the NO_CACHE rows): YAML with
  positions, validation (pglast per expression) and rendering each take about a third. Before this session
  the 5,000-table row never finished: bench/measure.py read the command's stderr only after it ended, and a
  render's line per file filled the pipe and blocked it (fixed: stderr goes to a file).
- **`diff` with one difference** (<= 1x raw migra): met at 10 tables (0.88x), missed at 100 (1.05x) and 500
  (1.37x; 2.24x in the previous RESULTS.md). The target's side is replayed from its record; what is left is
  migra's inspection of the live database (started on a second connection while the catalog digests are
  compared), the live catalog and pg_depend, and the classification of each statement, which grow with the
  tables. Not done: per-object digests, so that only the changed tables are inspected and classified.
- **`diff` in sync** (<= 0.8x): the digest shortcut; met at 100 and 500 tables with a scratch database and at
  10 and 500 with a cached target; 0.82x (10, scratch) and 0.97x (100, cached target) in this run, with spreads
  reaching under 0.8x. The cached-target rows now ask for `--target-cache` (before, they named the live server
  as --dev-url, which keeps no target unasked, so they built one every run). At these sizes the time is
  Python's start, psycopg's import and two catalog reads, about the same as migra's own start.
- **peak memory**: wait4's ru_maxrss keeps the parent's high-water mark across fork and exec, so every row after
  the 5,000-table render shows the bench process's own 143 MB; the figures before it (36-60 MB) are the
  command's. Not fixed in this run.
- **`apply` of SpendSense to an empty database** (< 0.5 s): psycopg alone (live/quickapply.py), the target's
  digest remembered; what is left is Python's start, psycopg's import (asyncio, importlib.metadata), the model,
  the DDL and the live catalog digest inside the transaction.
- **The layouts** are measured at the story's 10x size (200,000 users, 20 million transactions) by
  `python -m bench.layouts --users 200000 --write` (25 minutes); `make bench` runs it too, and
  `--layout-users 0` keeps the committed section.""".splitlines()
