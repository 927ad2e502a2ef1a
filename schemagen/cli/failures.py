"""The error boundary: every failure that is not a finding becomes one or two lines
for people and an exit code; a traceback only with SCHEMAGEN_DEBUG=1.

Classes are matched by name so the CLI need not import the heavy modules that
define them. Whatever is printed is scrubbed of the database password first.
"""

from __future__ import annotations

import os
import signal
import sys

from schemagen.cli.common import CANNOT_RUN, FINDINGS, err

# Errors meant for people, by class name, and their exit codes.
_PEOPLE = {"CannotRun": CANNOT_RUN, "ImportError_": CANNOT_RUN, "ConnectionConfigError": CANNOT_RUN,
           "DevError": CANNOT_RUN, "ScratchError": CANNOT_RUN, "UrlError": CANNOT_RUN, "MigrationError": FINDINGS}

# PostgreSQL error classes (SQLSTATE) and what a person can do about them.
_HINTS = {
    "42501": "the role lacks a privilege this command needs: connect as the role that owns the schema "
             "(the migration role), or grant what the message names",
    "28P01": "check the user name and password (URL-encode characters such as @ : / ? # in the password)",
    "28000": "the server refuses this role or host (pg_hba.conf), or TLS is required",
    "3D000": "the database does not exist: create it first, or fix the database name in the URL",
    "55P03": "another session holds a lock: try again, or raise --lock-timeout",
    "57014": "the statement took longer than --statement-timeout allows",
    "25006": "the connection is read-only (a replica, or default_transaction_read_only): use the primary",
}


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that every `finally` cleans up."""


def on_sigterm(signum, frame):
    raise Terminated()


def install_signal_handlers() -> None:
    try:
        signal.signal(signal.SIGTERM, on_sigterm)
    except ValueError:  # not the main thread (main() called from a test's worker thread)
        pass


def interrupted(exc: KeyboardInterrupt) -> int:
    _ignore_further_signals()
    if isinstance(exc, Terminated) or getattr(exc, "signum", None) == signal.SIGTERM:
        err("schemagen: terminated (SIGTERM); nothing was left half applied")
        return 128 + signal.SIGTERM
    err("schemagen: interrupted")
    return 128 + signal.SIGINT


def _ignore_further_signals() -> None:
    """The cleanup is done and the exit code decided: a signal still pending (one the cleanup
    held off, delivered late) must not turn the exit into a KeyboardInterrupt at shutdown
    (seen as the process dying of SIGINT after it printed 'interrupted')."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            signal.signal(sig, signal.SIG_IGN)
        except ValueError:  # not the main thread
            pass


def failure(exc: Exception, args, secrets: list[str]) -> int:
    """Print what went wrong and return the exit code."""
    if os.environ.get("SCHEMAGEN_DEBUG") == "1":
        import traceback
        traceback.print_exception(exc, file=sys.stderr)
    name = type(exc).__name__
    if name in ("ApplyError", "DatabaseError"):
        err(scrub(f"schemagen: {exc}", secrets))
        return exc.exit_code
    if name in _PEOPLE:
        err(scrub(f"schemagen: {exc}", secrets))
        return _PEOPLE[name]
    what = command_name(args)
    where = getattr(args, "resolved_url", None)
    state, reason = _database_reason(exc)
    if reason is not None:
        err(scrub(f"schemagen {what}: failed on {_describe(where)}: {reason}", secrets))
        if state in _HINTS or state[:2] in ("08",):
            err(f"hint: {_HINTS.get(state, 'the server could not be reached or closed the connection')}")
        return CANNOT_RUN
    if isinstance(exc, BrokenPipeError):  # the reader went away (`| head`): nothing to tell
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nor at exit, when stdout is flushed
        return FINDINGS
    if isinstance(exc, OSError):
        err(scrub(f"schemagen {what}: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), secrets))
        return CANNOT_RUN
    err(scrub(f"schemagen {what}: internal error: {name}: {exc}", secrets))
    err("hint: this is a bug in schemagen; run again with SCHEMAGEN_DEBUG=1 for the traceback and report it")
    return CANNOT_RUN


def command_name(args) -> str:
    parts = [getattr(args, "command", None), getattr(args, "migrate_command", None),
             getattr(args, "dev_command", None)]
    return " ".join(p for p in parts if p)


def _database_reason(exc: BaseException) -> tuple[str, str | None]:
    """(SQLSTATE, the server's primary message) for a psycopg or SQLAlchemy-wrapped error."""
    orig = getattr(exc, "orig", None) or exc
    if not type(orig).__module__.startswith(("psycopg", "sqlalchemy")):
        return "", None
    diag = getattr(orig, "diag", None)
    state = getattr(orig, "sqlstate", None) or ""
    if diag is not None and diag.message_primary:
        return state, diag.message_primary
    text = " ".join(line.strip() for line in str(orig).splitlines() if line.strip())
    return state, text[:300] or type(orig).__name__


def _describe(url: str | None) -> str:
    if not url:
        return "the database"
    try:
        from schemagen.connect.dburl import describe
        return describe(url)
    except Exception:
        return "the database"


def scrub(text: str, secrets: list[str]) -> str:
    """The text with every secret (and its URL-encoded form) replaced by ***."""
    from urllib.parse import quote
    for secret in secrets:
        if secret:
            for form in {secret, quote(secret, safe=""), quote(secret)}:
                text = text.replace(form, "***")
    return text
