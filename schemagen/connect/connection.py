"""Where the database is: one resolver for every command and for the application.

Order: an explicit URL (--db) > DATABASE_URL > a .env file in the working
directory (never overriding a variable already set) > an AWS Secrets Manager
secret named by DATABASE_SECRET_ID (RDS's JSON or a plain URL). For RDS:
sslmode defaults to `require` for any host that is not loopback, and
DATABASE_IAM_AUTH=1 swaps the password for an IAM auth token.

This module imports only the standard library at load time (boto3 and
python-dotenv when needed), because `schemagen render` copies it into
generated/database/ for the application to import on Lambda.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .aws import iam_token, url_from_secret, url_from_secret_value, with_iam_token
from .url import (
    LOOPBACK,
    SCHEMES,
    ConnectionConfigError,
    DatabaseUrl,
    mask,
    normalize,
    sqlalchemy_url,
    with_tls_default,
)

# the URL type is re-exported: the application imports it from here
__all__ = [
    "LOOPBACK",
    "SCHEMES",
    "TRUE",
    "ConnectionConfigError",
    "DatabaseUrl",
    "Resolved",
    "iam_token",
    "mask",
    "normalize",
    "resolve",
    "sqlalchemy_url",
    "url_from_secret",
    "url_from_secret_value",
    "with_iam_token",
    "with_tls_default",
]

TRUE = {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Resolved:
    url: str  # postgresql://..., password included: never print it, print `masked`
    source: str  # where it came from, for messages

    @property
    def masked(self) -> str:
        return mask(self.url)


def _dotenv(cwd: Path) -> dict[str, str]:
    path = cwd / ".env"
    if not path.is_file():
        return {}
    try:
        from dotenv import dotenv_values
    except ImportError:
        raise ConnectionConfigError(
            f"{path} exists but python-dotenv is not installed "
            "(pip install python-dotenv)"
        ) from None
    return {k: v for k, v in dotenv_values(path).items() if v is not None}


def resolve(
    flag: str | None = None,
    environ: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> Resolved:
    """The database URL, following the documented order, with TLS and IAM applied."""
    environ = dict(os.environ if environ is None else environ)
    cwd = Path.cwd() if cwd is None else cwd
    dotenv = _dotenv(cwd)
    settings = {**dotenv, **environ}  # a variable already set wins over .env
    given = next(
        (
            (url, source)
            for url, source in (
                (flag, "--db"),
                (environ.get("DATABASE_URL"), "DATABASE_URL"),
                (dotenv.get("DATABASE_URL"), f"DATABASE_URL in {cwd / '.env'}"),
            )
            if url
        ),
        None,
    )
    secret_id = settings.get("DATABASE_SECRET_ID")
    if given and (not secret_id or DatabaseUrl.parse(given[0]).user is not None):
        resolved = Resolved(*given)
    elif secret_id:  # a URL naming no user takes its credentials from the secret
        base = DatabaseUrl.parse(given[0]) if given else None
        source = f"Secrets Manager secret {secret_id}" + (
            f" with {given[1]}" if given else ""
        )
        resolved = Resolved(url_from_secret(secret_id, settings, base), source)
    else:
        raise ConnectionConfigError(_nothing_configured(cwd, dotenv))
    url = normalize(resolved.url)
    url = with_tls_default(url)
    if settings.get("DATABASE_IAM_AUTH", "").lower() in TRUE:
        url = with_iam_token(url, settings)
    return Resolved(url, resolved.source)


def _nothing_configured(cwd: Path, dotenv: dict[str, str]) -> str:
    env_file = cwd / ".env"
    env_state = (
        "has no DATABASE_URL or DATABASE_SECRET_ID"
        if env_file.is_file()
        else "not found"
    )
    return (
        "no database configured. Tried, in order: --db (not given); DATABASE_URL (not "
        "set); "
        f"{env_file} ({env_state}); DATABASE_SECRET_ID for AWS Secrets Manager (not "
        "set). Set one, e.g. "
        "export DATABASE_URL=postgresql://user:password@host:5432/dbname, or put that "
        "line in .env, "
        "or export DATABASE_SECRET_ID=<secret name or ARN> (region from AWS_REGION or "
        "your AWS profile)."
    )
