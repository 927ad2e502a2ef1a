"""What every command shares: exit codes, the schema file, the database URL."""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # typing costs an import the commands do not need
if TYPE_CHECKING:
    from pathlib import Path

OK, FINDINGS, CANNOT_RUN, UNSAFE = 0, 1, 2, 3


class CannotRun(Exception):
    """A problem that is not in the schema: missing file, unwritable folder."""


def err(text: str) -> None:
    print(text, file=sys.stderr)


def schema_file(args) -> Path:
    from pathlib import Path
    if not Path(args.schema).is_file():
        raise CannotRun(f"{args.schema} not found (run in the folder that holds it, or pass --schema PATH)")
    return Path(args.schema)


def document(args):
    """The schema file, read with positions (for diagnostics)."""
    from schemagen.spec.loader import load
    return load(schema_file(args), display=args.schema)


def load_schema(args):
    from schemagen import api
    return api.load(schema_file(args))


def scratch_server(args) -> str:
    """Where scratch databases go: --dev-url, else --db / DATABASE_URL, else the private dev server."""
    import os
    from pathlib import Path

    from schemagen.connect.dburl import normalize
    for url in (getattr(args, "dev_url", None), getattr(args, "db", None), os.environ.get("DATABASE_URL")):
        if url:
            return normalize(url)
    return dev_server_url(Path(".schemagen"), "the migrations replay", keep=not getattr(args, "stop_dev_server", False))


STARTED: list = []  # dev servers this command started, for --stop-dev-server


def dev_server_url(root: Path, purpose: str, keep: bool = True) -> str:
    """The private dev server's URL, started if need be, saying so when it was not running."""
    from schemagen.dev.server import DevServer
    server = DevServer(root)
    if server.running():
        return server.url()
    url = server.up()
    STARTED.append(server)
    err(f"started the private dev PostgreSQL for {purpose} at {url} under {root}/ "
        + ("(it keeps running; stop it with `schemagen dev down`)" if keep else "(stopped again at the end)"))
    return url


def stop_started_servers() -> None:
    while STARTED:
        STARTED.pop().down()


def database_url(args) -> str:
    """--db, DATABASE_URL, .env or Secrets Manager (once: it may be a network call)."""
    from schemagen.connect.dburl import resolve
    args.resolved_url = resolve(args.db)  # named (masked) in error messages
    return args.resolved_url


def db_options(args):
    import hashlib

    from schemagen.live.options import Options
    opts = Options(dev_url=args.dev_url, schema_hash=hashlib.sha256(schema_file(args).read_bytes()).hexdigest())
    for name in ("lock_timeout", "statement_timeout", "lock_wait", "allow_unsafe", "dry_run", "yes", "target_cache"):
        if hasattr(args, name):
            setattr(opts, name, getattr(args, name))
    opts.scope = ignore_scope(args)
    return opts


def ignore_scope(args):
    """--ignore KIND:PATTERN, as many times as needed: objects left alone besides schema.yaml's ignore:."""
    from schemagen.live.scope import Scope
    from schemagen.spec.ignore import KINDS, pattern_problem
    patterns: dict[str, list[str]] = {}
    for item in getattr(args, "ignore", None) or ():
        kind, sep, pattern = item.partition(":")
        if not sep or kind not in KINDS:
            raise CannotRun(f"--ignore {item!r}: write KIND:PATTERN with KIND one of {', '.join(KINDS)} "
                            "(e.g. --ignore 'tables:legacy_*')")
        problem = pattern_problem(pattern)
        if problem:
            raise CannotRun(f"--ignore {item!r}: {problem}")
        patterns.setdefault(kind, []).append(pattern)
    return Scope.of(patterns)
