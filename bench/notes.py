"""The text RESULTS.md carries besides its figures."""

SPEED_NOTES = """\
Every command runs as a user's would: a new process, bytecode caches written (this machine's environment turns
them off; both sides get them here), one untimed warm-up run first (so the user cache holds the schema's model,
its schema.sql and the target's digest, as on a developer's second run). Each run is started by bench/spawn.py,
a small process of its own that times it and reads its peak resident set from wait4 (a child forked from the
bench process itself carried that process's high-water mark through exec: the peak column was wrong before).
The machine is shared (2 cores, other agents running test suites at the same time): figures are medians, each
ratio's spread is its worst and best pairing of runs, and the schemagen column adds the process's own CPU time,
which contention inflates less than wall time. Raw `migra` compares two databases loaded beforehand with the
same schema.sql; schemagen has to build its target from schema.yaml itself.

- *scratch database*: a new scratch database each run, seeded from the committed generated/schema.sql while
  schema.yaml is read, in the dev server's RAM tablespace.
- *cached target*: `--dev-url` keeps the built target (read-only, named by the hash of its SQL), so the runs
  after the first build nothing.
- *in sync*: the two schemas' catalog digests are equal, so migra does not compare anything (its inspection of
  live, started with the digest query, is stopped between two of its queries).
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

Written by hand after the run RESULTS.md records (2026-11-28 21:37 UTC, issue 16's third session, on a fresh
clone of main); kept here so that `make bench` keeps it. The machine is shared (2 cores); ratios against a
baseline of the same run are the figures to compare. Every target of the issue is met in this run.

- **Every schemagen command ends without tearing the interpreter down** (schemagen/cli/quickexit.py: threads
  joined, atexit handlers run, output flushed, then `os._exit`), and collects garbage less often. Freeing every
  object one by one took a 100-table diff about 0.17 s; migra still pays it, and the ratios below include that.
- **cold `render`, `validate`, `check`, `lint`** (<= 1.3x the import floor): met, 0.50-0.57x, through the user
  cache: a repeated command on an unchanged schema.yaml renders nothing. Right after an edit of schema.yaml
  (the `render-edited` row) the model and the rendering are made again: 2.77x the floor. Almost all of that is
  importing what validates and renders (pydantic building 40 shape classes, about 100 frozen dataclasses,
  pglast, the templates' modules: 0.22 s of 0.29 s); the work itself is about 50 ms. Tried: pydantic's
  `defer_build` (no change: every shape is validated in the same run) and skipping pydantic's plugin scan
  (5 ms). Not done: a validator that avoids pydantic's class construction on every run.
- **`--help`** (<= 3x `python -c pass`): 2.51x; argparse's own import is most of what is left.
- **`render` of 1,000 and 5,000 tables** (< 1 s, < 5 s): met, 0.50 s and 3.46 s with the cache warm (the time is
  writing the files atomically: staged, fsynced by 8 threads, renamed; it varies with the disk's load). A first
  run without the cache: 2.28 s and 10.1 s, peak 86 and 233 MB.
- **`diff` with one difference** (<= 1x raw migra): met, 0.72x / 0.68x / 0.93x at 10 / 100 / 500 tables (were
  0.88x / 1.05x / 1.37x). The target's side is replayed from the record the warm-up left in the user cache;
  live's inspection by migra now starts with the catalog digest query instead of after it, and pg_depend is
  read while it runs; the quick exit does the rest. At 500 tables the worst pairing of runs reaches 1.04x:
  what is left grows with the tables (migra's inspection of live and the live catalog). Not done: per-object
  digests, so that only the changed tables are inspected and classified.
- **`diff` in sync** (<= 0.8x): met, 0.57-0.62x at every size, with a scratch database or a cached target. The
  inspection that now starts early is stopped between two of its queries when the digests agree (cancelling
  it would write an ERROR with the statement to the server's log on every diff in sync).
- **`apply` of SpendSense to an empty database** (< 0.5 s): met, 284 ms. **`apply` of 500 tables** (<= 2x psql):
  met, 0.94x; both sides' time is mostly the server's (its CPU is 0.3 s of 2.7 s), and this run's disk was
  slower than the last one's (psql took 2.9 s), hence the wide spread.
- **peak memory**: every row now reports its own command's peak (11 MB for `--help`, 233 MB for a first render
  of 5,000 tables); before this run, rows after the 5,000-table render showed the bench process's 143 MB.
- **The layouts** are measured at the story's 10x size (200,000 users, 20 million transactions) by
  `python -m bench.layouts --users 200000 --write` (25 minutes); `make bench` runs it too, and
  `--layout-users 0` keeps the committed section, as this run did.""".splitlines()
