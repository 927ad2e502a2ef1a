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
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

LOOPBACK = {"localhost", "127.0.0.1", "::1", "[::1]", ""}
TRUE = {"1", "true", "yes", "on"}


class ConnectionConfigError(Exception):
    """The database could not be found or reached as configured; never holds a password."""


@dataclass(frozen=True)
class Resolved:
    url: str      # postgresql://..., password included: never print it, print `masked`
    source: str   # where it came from, for messages

    @property
    def masked(self) -> str:
        return mask(self.url)


def mask(url: str) -> str:
    """The URL with its password replaced by ***."""
    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
        host = parts.netloc.rsplit("@", 1)[1]
        return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{host}"))
    except ValueError:
        return "<unreadable URL>"


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
    if flag:
        resolved = Resolved(flag, "--db")
    elif environ.get("DATABASE_URL"):
        resolved = Resolved(environ["DATABASE_URL"], "DATABASE_URL")
    elif dotenv.get("DATABASE_URL"):
        resolved = Resolved(dotenv["DATABASE_URL"], f"DATABASE_URL in {cwd / '.env'}")
    elif settings.get("DATABASE_SECRET_ID"):
        secret_id = settings["DATABASE_SECRET_ID"]
        resolved = Resolved(url_from_secret(secret_id, settings), f"Secrets Manager secret {secret_id}")
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


def normalize(url: str) -> str:
    url = url.strip()
    for prefix in ("postgresql+psycopg://", "postgresql+psycopg2://", "postgres://"):
        if url.startswith(prefix):
            url = "postgresql://" + url[len(prefix):]
    if not url.startswith("postgresql://"):
        raise ConnectionConfigError(f"not a PostgreSQL URL: {mask(url)} "
                                    "(expected postgresql://user:password@host:port/dbname)")
    return url


def _query(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query))


def _with_query(url: str, **changes) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query.update({k: v for k, v in changes.items() if v is not None})
    return urlunsplit(parts._replace(query=urlencode(query)))


def with_tls_default(url: str) -> str:
    """sslmode=require for a remote host when the URL names no sslmode (RDS requires TLS
    for IAM and should get it always); sslmode and sslrootcert given in the URL pass through."""
    host = urlsplit(url).hostname or _query(url).get("host", "")
    if "sslmode" in _query(url) or host in LOOPBACK or host.startswith("/"):
        return url
    return _with_query(url, sslmode="require")


# --- AWS ------------------------------------------------------------------------------

def _boto3():
    try:
        import boto3
    except ImportError:
        raise ConnectionConfigError("AWS settings need boto3 (pip install boto3)") from None
    return boto3


def _region(settings: dict) -> str | None:
    return settings.get("AWS_REGION") or settings.get("AWS_DEFAULT_REGION")


def url_from_secret(secret_id: str, settings: dict) -> str:
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
    return url_from_secret_value(value, secret_id)


def url_from_secret_value(value: str, secret_id: str = "secret") -> str:
    text = value.strip()
    if text.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
        return text
    try:
        data = json.loads(text)
    except ValueError:
        raise ConnectionConfigError(f"secret {secret_id!r} is neither a postgresql:// URL nor JSON") from None
    if isinstance(data, dict) and isinstance(data.get("url"), str):
        return data["url"]
    missing = [k for k in ("username", "password", "host") if not (isinstance(data, dict) and data.get(k))]
    if missing:
        raise ConnectionConfigError(f"secret {secret_id!r} lacks {', '.join(missing)} (expected the JSON "
                                    "RDS writes: username, password, host, port, dbname)")
    engine = str(data.get("engine", "postgres"))
    if not engine.startswith("postgres"):
        raise ConnectionConfigError(f"secret {secret_id!r} is for engine {engine!r}, not PostgreSQL")
    dbname = data.get("dbname") or data.get("dbName") or "postgres"
    return (f"postgresql://{quote(str(data['username']), safe='')}:{quote(str(data['password']), safe='')}"
            f"@{data['host']}:{int(data.get('port') or 5432)}/{quote(str(dbname), safe='')}")


def iam_token(url: str, settings: dict | None = None) -> str:
    """An RDS IAM auth token for the URL's host, port and user (valid 15 minutes)."""
    settings = dict(os.environ) if settings is None else settings
    parts = urlsplit(url)
    region = _region(settings) or _region_from_host(parts.hostname or "")
    if not region:
        raise ConnectionConfigError("DATABASE_IAM_AUTH needs a region: set AWS_REGION")
    client = _boto3().client("rds", region_name=region)
    return client.generate_db_auth_token(DBHostname=parts.hostname, Port=parts.port or 5432,
                                         DBUsername=unquote(parts.username or ""), Region=region)


def _region_from_host(host: str) -> str | None:
    # mydb.abc123.eu-west-1.rds.amazonaws.com
    labels = host.split(".")
    return labels[2] if len(labels) > 4 and labels[3] == "rds" else None


def with_iam_token(url: str, settings: dict) -> str:
    if _query(url).get("sslmode") in ("disable", "allow", "prefer"):
        raise ConnectionConfigError("DATABASE_IAM_AUTH needs TLS: use sslmode=require or verify-full")
    url = _with_query(url, sslmode=_query(url).get("sslmode", "require"))
    parts = urlsplit(url)
    token = quote(iam_token(url, settings), safe="")
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:{token}@{host}"))
