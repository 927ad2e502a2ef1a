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

import json
import os
from dataclasses import dataclass, replace
from pathlib import Path

from .url import (  # noqa: F401  (re-exported: the one URL type, for schemagen and the application)
    LOOPBACK,
    SCHEMES,
    ConnectionConfigError,
    DatabaseUrl,
    mask,
    normalize,
    sqlalchemy_url,
    with_tls_default,
)

TRUE = {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Resolved:
    url: str      # postgresql://..., password included: never print it, print `masked`
    source: str   # where it came from, for messages

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
        raise ConnectionConfigError(f"{path} exists but python-dotenv is not installed "
                                    "(pip install python-dotenv)") from None
    return {k: v for k, v in dotenv_values(path).items() if v is not None}


def resolve(flag: str | None = None, environ: dict | None = None, cwd: Path | None = None) -> Resolved:
    """The database URL, following the documented order, with TLS and IAM applied."""
    environ = dict(os.environ if environ is None else environ)
    cwd = Path.cwd() if cwd is None else cwd
    dotenv = _dotenv(cwd)
    settings = {**dotenv, **environ}  # a variable already set wins over .env
    given = next(((url, source) for url, source in ((flag, "--db"), (environ.get("DATABASE_URL"), "DATABASE_URL"),
                  (dotenv.get("DATABASE_URL"), f"DATABASE_URL in {cwd / '.env'}")) if url), None)
    secret_id = settings.get("DATABASE_SECRET_ID")
    if given and (not secret_id or DatabaseUrl.parse(given[0]).user is not None):
        resolved = Resolved(*given)
    elif secret_id:  # a URL naming no user takes its credentials from the secret
        base = DatabaseUrl.parse(given[0]) if given else None
        source = f"Secrets Manager secret {secret_id}" + (f" with {given[1]}" if given else "")
        resolved = Resolved(url_from_secret(secret_id, settings, base), source)
    else:
        raise ConnectionConfigError(_nothing_configured(cwd, dotenv))
    url = normalize(resolved.url)
    url = with_tls_default(url)
    if settings.get("DATABASE_IAM_AUTH", "").lower() in TRUE:
        url = with_iam_token(url, settings)
    return Resolved(url, resolved.source)


def _nothing_configured(cwd: Path, dotenv: dict) -> str:
    env_file = cwd / ".env"
    env_state = "has no DATABASE_URL or DATABASE_SECRET_ID" if env_file.is_file() else "not found"
    return ("no database configured. Tried, in order: --db (not given); DATABASE_URL (not set); "
            f"{env_file} ({env_state}); DATABASE_SECRET_ID for AWS Secrets Manager (not set). Set one, e.g. "
            "export DATABASE_URL=postgresql://user:password@host:5432/dbname, or put that line in .env, "
            "or export DATABASE_SECRET_ID=<secret name or ARN> (region from AWS_REGION or your AWS profile).")


# --- AWS ------------------------------------------------------------------------------

def _boto3():
    try:
        import boto3
    except ImportError:
        raise ConnectionConfigError("AWS settings need boto3 (pip install boto3)") from None
    return boto3


def _region(settings: dict) -> str | None:
    return settings.get("AWS_REGION") or settings.get("AWS_DEFAULT_REGION")


def url_from_secret(secret_id: str, settings: dict, base: DatabaseUrl | None = None) -> str:
    """The URL held by a Secrets Manager secret: RDS's JSON (username, password,
    host, port, dbname) or a plain postgresql:// URL."""
    boto3 = _boto3()
    from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError
    try:
        client = boto3.client("secretsmanager", region_name=_region(settings))
        value = client.get_secret_value(SecretId=secret_id)["SecretString"]
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if code == "ResourceNotFoundException":
            raise ConnectionConfigError(f"Secrets Manager has no secret {secret_id!r} "
                                        f"(region {client.meta.region_name})") from None
        if code in ("AccessDeniedException", "AccessDenied", "UnrecognizedClientException") or status == 403:
            raise ConnectionConfigError(f"not allowed to read secret {secret_id!r} ({code or 'HTTP 403'}): the "
                                        "role needs secretsmanager:GetSecretValue on it") from None
        raise ConnectionConfigError(f"cannot read secret {secret_id!r}: {code or exc}") from None
    except NoCredentialsError:
        raise ConnectionConfigError(f"cannot read secret {secret_id!r}: no AWS credentials found") from None
    except BotoCoreError as exc:
        raise ConnectionConfigError(f"cannot read secret {secret_id!r}: {type(exc).__name__}: {exc}") from None
    return url_from_secret_value(value, secret_id, base, settings)


def url_from_secret_value(value: str, secret_id: str = "secret", base: DatabaseUrl | None = None,
                          settings: dict | None = None) -> str:
    """The URL a secret holds: a postgresql:// URL, {"url": ...}, or RDS's JSON. A managed RDS
    master secret (`rds!db-...`) holds only username and password: host, port and database
    then come from a DATABASE_URL without credentials, or DATABASE_HOST / DATABASE_PORT /
    DATABASE_NAME."""
    text = value.strip()
    if text.startswith(SCHEMES):
        return text
    try:
        data = json.loads(text)
    except ValueError:
        raise ConnectionConfigError(f"secret {secret_id!r} is neither a postgresql:// URL nor JSON") from None
    if isinstance(data, dict) and isinstance(data.get("url"), str):
        return data["url"]
    if not isinstance(data, dict):
        raise ConnectionConfigError(f"secret {secret_id!r} holds JSON that is not an object")
    missing = [k for k in ("username", "password") if not data.get(k)]
    if missing:
        raise ConnectionConfigError(f"secret {secret_id!r} lacks {', '.join(missing)} (expected the JSON "
                                    "RDS writes: username, password, and host, port, dbname)")
    engine = str(data.get("engine", "postgres"))
    if not engine.startswith("postgres"):
        raise ConnectionConfigError(f"secret {secret_id!r} is for engine {engine!r}, not PostgreSQL")
    settings = settings or {}
    host = data.get("host") or (base.host if base else None) or settings.get("DATABASE_HOST")
    if not host:
        raise ConnectionConfigError(
            f"secret {secret_id!r} holds a username and password but no host (RDS's managed master secret "
            "does so): give the rest as DATABASE_URL=postgresql://HOST:5432/DBNAME (no credentials in it), "
            "or set DATABASE_HOST (and DATABASE_PORT, DATABASE_NAME)")
    port = data.get("port") or (base.port if base else None) or settings.get("DATABASE_PORT") or 5432
    dbname = (data.get("dbname") or data.get("dbName") or (base.dbname if base else None)
              or settings.get("DATABASE_NAME") or "postgres")
    query = base.query if base else ()
    return DatabaseUrl(str(data["username"]), str(data["password"]), str(host), int(port), str(dbname),
                       query).libpq()


def iam_token(url: str, settings: dict | None = None) -> str:
    """An RDS IAM auth token for the URL's host, port and user (valid 15 minutes)."""
    settings = dict(os.environ) if settings is None else settings
    parsed = DatabaseUrl.parse(url)
    region = _region(settings) or _region_from_host(parsed.host)
    if not region:
        raise ConnectionConfigError("DATABASE_IAM_AUTH needs a region: set AWS_REGION")
    client = _boto3().client("rds", region_name=region)
    return client.generate_db_auth_token(DBHostname=parsed.host, Port=parsed.port or 5432,
                                         DBUsername=parsed.user or "", Region=region)


def _region_from_host(host: str) -> str | None:
    # mydb.abc123.eu-west-1.rds.amazonaws.com
    labels = host.split(".")
    return labels[2] if len(labels) > 4 and labels[3] == "rds" else None


def with_iam_token(url: str, settings: dict) -> str:
    parsed = DatabaseUrl.parse(url)
    if parsed.param("sslmode") in ("disable", "allow", "prefer"):
        raise ConnectionConfigError("DATABASE_IAM_AUTH needs TLS: use sslmode=require or verify-full")
    parsed = parsed.with_query(sslmode=parsed.param("sslmode") or "require")
    return replace(parsed, password=iam_token(parsed.libpq(), settings)).libpq()
