"""AWS: the database URL from a Secrets Manager secret, and RDS IAM auth tokens.

Standard library only at load time (boto3 is imported when used): `schemagen render`
copies this file beside connection.py into generated/database/.
"""

from __future__ import annotations

import importlib
import json
import os
from dataclasses import replace
from typing import Any

from .url import SCHEMES, ConnectionConfigError, DatabaseUrl


def _boto3() -> Any:
    # imported by name: typed as a module either way, with or without boto3's stubs
    try:
        return importlib.import_module("boto3")
    except ImportError:
        raise ConnectionConfigError(
            "AWS settings need boto3 (pip install boto3)"
        ) from None


def _region(settings: dict[str, str]) -> str | None:
    return settings.get("AWS_REGION") or settings.get("AWS_DEFAULT_REGION")


def url_from_secret(
    secret_id: str, settings: dict[str, str], base: DatabaseUrl | None = None
) -> str:
    """The URL held by a Secrets Manager secret: RDS's JSON (username, password,
    host, port, dbname) or a plain postgresql:// URL."""
    boto3 = _boto3()
    errors = importlib.import_module("botocore.exceptions")
    BotoCoreError, ClientError = errors.BotoCoreError, errors.ClientError
    NoCredentialsError = errors.NoCredentialsError

    try:
        client = boto3.client("secretsmanager", region_name=_region(settings))
        value = client.get_secret_value(SecretId=secret_id)["SecretString"]
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if code == "ResourceNotFoundException":
            raise ConnectionConfigError(
                f"Secrets Manager has no secret {secret_id!r} "
                f"(region {client.meta.region_name})"
            ) from None
        if (
            code
            in ("AccessDeniedException", "AccessDenied", "UnrecognizedClientException")
            or status == 403
        ):
            raise ConnectionConfigError(
                f"not allowed to read secret {secret_id!r} ({code or 'HTTP 403'}): the "
                "role needs secretsmanager:GetSecretValue on it"
            ) from None
        raise ConnectionConfigError(
            f"cannot read secret {secret_id!r}: {code or exc}"
        ) from None
    except NoCredentialsError:
        raise ConnectionConfigError(
            f"cannot read secret {secret_id!r}: no AWS credentials found"
        ) from None
    except BotoCoreError as exc:
        raise ConnectionConfigError(
            f"cannot read secret {secret_id!r}: {type(exc).__name__}: {exc}"
        ) from None
    return url_from_secret_value(value, secret_id, base, settings)


def url_from_secret_value(
    value: str,
    secret_id: str = "secret",
    base: DatabaseUrl | None = None,
    settings: dict[str, str] | None = None,
) -> str:
    """The URL a secret holds: a postgresql:// URL, {"url": ...}, or RDS's JSON. A
    managed RDS master secret (`rds!db-...`) holds only username and password: host,
    port and database then come from a DATABASE_URL without credentials, or
    DATABASE_HOST / DATABASE_PORT / DATABASE_NAME.
    """
    text = value.strip()
    if text.startswith(SCHEMES):
        return text
    try:
        data = json.loads(text)
    except ValueError:
        raise ConnectionConfigError(
            f"secret {secret_id!r} is neither a postgresql:// URL nor JSON"
        ) from None
    if isinstance(data, dict) and isinstance(data.get("url"), str):
        return str(data["url"])
    if not isinstance(data, dict):
        raise ConnectionConfigError(
            f"secret {secret_id!r} holds JSON that is not an object"
        )
    missing = [k for k in ("username", "password") if not data.get(k)]
    if missing:
        raise ConnectionConfigError(
            f"secret {secret_id!r} lacks {', '.join(missing)} (expected the JSON "
            "RDS writes: username, password, and host, port, dbname)"
        )
    engine = str(data.get("engine", "postgres"))
    if not engine.startswith("postgres"):
        raise ConnectionConfigError(
            f"secret {secret_id!r} is for engine {engine!r}, not PostgreSQL"
        )
    settings = settings or {}
    host = (
        data.get("host")
        or (base.host if base else None)
        or settings.get("DATABASE_HOST")
    )
    if not host:
        raise ConnectionConfigError(
            f"secret {secret_id!r} holds a username and password but no host (RDS's "
            "managed master secret "
            "does so): give the rest as DATABASE_URL=postgresql://HOST:5432/DBNAME (no "
            "credentials in it), "
            "or set DATABASE_HOST (and DATABASE_PORT, DATABASE_NAME)"
        )
    port = (
        data.get("port")
        or (base.port if base else None)
        or settings.get("DATABASE_PORT")
        or 5432
    )
    dbname = (
        data.get("dbname")
        or data.get("dbName")
        or (base.dbname if base else None)
        or settings.get("DATABASE_NAME")
        or "postgres"
    )
    query = base.query if base else ()
    return DatabaseUrl(
        str(data["username"]),
        str(data["password"]),
        str(host),
        int(port),
        str(dbname),
        query,
    ).libpq()


def iam_token(url: str, settings: dict[str, str] | None = None) -> str:
    """An RDS IAM auth token for the URL's host, port and user (valid 15 minutes)."""
    settings = dict(os.environ) if settings is None else settings
    parsed = DatabaseUrl.parse(url)
    region = _region(settings) or _region_from_host(parsed.host)
    if not region:
        raise ConnectionConfigError("DATABASE_IAM_AUTH needs a region: set AWS_REGION")
    client = _boto3().client("rds", region_name=region)
    return str(
        client.generate_db_auth_token(
            DBHostname=parsed.host,
            Port=parsed.port or 5432,
            DBUsername=parsed.user or "",
            Region=region,
        )
    )


def _region_from_host(host: str) -> str | None:
    # mydb.abc123.eu-west-1.rds.amazonaws.com
    labels = host.split(".")
    return labels[2] if len(labels) > 4 and labels[3] == "rds" else None


def with_iam_token(url: str, settings: dict[str, str]) -> str:
    parsed = DatabaseUrl.parse(url)
    if parsed.param("sslmode") in ("disable", "allow", "prefer"):
        raise ConnectionConfigError(
            "DATABASE_IAM_AUTH needs TLS: use sslmode=require or verify-full"
        )
    parsed = parsed.with_query(sslmode=parsed.param("sslmode") or "require")
    return replace(parsed, password=iam_token(parsed.libpq(), settings)).libpq()
