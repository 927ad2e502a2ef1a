"""The connection resolver: precedence, .env, Secrets Manager through a real boto3
client against moto's server on loopback, TLS defaults and IAM tokens."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import boto3
import psycopg
import pytest

from schemagen.connect.connection import ConnectionConfigError, resolve

AWS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "eu-west-1"}
NASTY = "p@ss:w/rd%#?&=+ 'x\""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_moto(extra_env: dict | None = None):
    port = free_port()
    env = dict(os.environ, **(extra_env or {}))
    proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, url
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("moto server did not start")


@pytest.fixture(scope="module")
def moto_url():
    proc, url = start_moto()
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def aws_env(moto_url, monkeypatch):
    env = dict(AWS, AWS_ENDPOINT_URL=moto_url)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return env


def secrets(moto_url):
    return boto3.client("secretsmanager", endpoint_url=moto_url, region_name="eu-west-1",
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def test_precedence_flag_env_dotenv(tmp_path):
    (tmp_path / ".env").write_text("DATABASE_URL=postgresql://u@dotenv-host/db\n")
    env = {"DATABASE_URL": "postgresql://u@env-host/db"}
    assert urlsplit(resolve("postgresql://u@flag-host/db", env, tmp_path).url).hostname == "flag-host"
    assert resolve(None, env, tmp_path).source == "DATABASE_URL"
    got = resolve(None, {}, tmp_path)
    assert urlsplit(got.url).hostname == "dotenv-host" and ".env" in got.source


def test_dotenv_never_overrides_a_set_variable(tmp_path):
    (tmp_path / ".env").write_text("DATABASE_SECRET_ID=from-dotenv\nDATABASE_URL=postgresql://u@localhost/a\n")
    got = resolve(None, {"DATABASE_URL": "postgresql://u@localhost/b"}, tmp_path)
    assert got.url.endswith("/b")


def test_nothing_configured_says_what_was_tried(tmp_path):
    with pytest.raises(ConnectionConfigError) as err:
        resolve(None, {}, tmp_path)
    message = str(err.value)
    for part in ("--db", "DATABASE_URL", str(tmp_path / ".env"), "DATABASE_SECRET_ID", "export DATABASE_URL="):
        assert part in message


def test_tls_defaults_to_require_for_remote_hosts_only():
    remote = resolve("postgresql://u:p@db.example.com:5432/app", {}, Path("/nonexistent"))
    assert parse_qs(urlsplit(remote.url).query)["sslmode"] == ["require"]
    local = resolve("postgresql://u:p@127.0.0.1:5432/app", {}, Path("/nonexistent"))
    assert "sslmode" not in local.url
    chosen = resolve("postgresql://u:p@db.example.com/app?sslmode=verify-full&sslrootcert=/rds.pem", {},
                     Path("/nonexistent"))
    assert parse_qs(urlsplit(chosen.url).query) == {"sslmode": ["verify-full"], "sslrootcert": ["/rds.pem"]}


def test_rds_json_secret_with_special_characters(aws_env, moto_url, scram_server, tmp_path):
    """The secret's password has @ : / % # and quotes; the URL built from it must log in
    (on the suite's scram-only server, where a wrong password is refused)."""
    admin, port = scram_server
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE sg_secret_user LOGIN PASSWORD '{NASTY.replace(chr(39), chr(39) * 2)}' "
                     "IN ROLE sg_password_users")
    secrets(moto_url).create_secret(Name="spendsense/rds", SecretString=json.dumps({
        "username": "sg_secret_user", "password": NASTY, "engine": "postgres", "host": "127.0.0.1",
        "port": port, "dbname": "postgres"}))
    got = resolve(None, {**aws_env, "DATABASE_SECRET_ID": "spendsense/rds"}, tmp_path)
    assert got.source == "Secrets Manager secret spendsense/rds"
    assert unquote(urlsplit(got.url).password) == NASTY
    assert NASTY not in got.masked and "***" in got.masked
    with psycopg.connect(got.url) as conn:
        assert conn.info.user == "sg_secret_user"
        assert conn.info.password == NASTY


def test_url_secret(aws_env, moto_url, tmp_path):
    secrets(moto_url).create_secret(Name="url-secret", SecretString="postgresql://app:pw@db.internal:5433/spend")
    got = resolve(None, {**aws_env, "DATABASE_SECRET_ID": "url-secret"}, tmp_path)
    assert urlsplit(got.url).port == 5433 and "sslmode=require" in got.url


def test_secret_id_from_dotenv(aws_env, moto_url, tmp_path):
    secrets(moto_url).create_secret(Name="dotenv-secret", SecretString="postgresql://app:pw@localhost/x")
    (tmp_path / ".env").write_text("DATABASE_SECRET_ID=dotenv-secret\n")
    assert resolve(None, dict(aws_env), tmp_path).url == "postgresql://app:pw@localhost/x"


def test_missing_secret(aws_env, tmp_path):
    with pytest.raises(ConnectionConfigError, match="has no secret 'nope'"):
        resolve(None, {**aws_env, "DATABASE_SECRET_ID": "nope"}, tmp_path)


def test_access_denied(tmp_path):
    """A moto server that checks IAM after the setup calls: a user without a policy is refused."""
    proc, url = start_moto({"INITIAL_NO_AUTH_ACTION_COUNT": "3"})
    try:
        secrets(url).create_secret(Name="locked", SecretString="postgresql://a:b@h/d")
        iam = boto3.client("iam", endpoint_url=url, region_name="us-east-1",
                           aws_access_key_id="testing", aws_secret_access_key="testing")
        iam.create_user(UserName="nobody")
        key = iam.create_access_key(UserName="nobody")["AccessKey"]
        env = {"AWS_ACCESS_KEY_ID": key["AccessKeyId"], "AWS_SECRET_ACCESS_KEY": key["SecretAccessKey"],
               "AWS_REGION": "eu-west-1", "AWS_ENDPOINT_URL": url, "DATABASE_SECRET_ID": "locked"}
        old = {k: os.environ.get(k) for k in env}
        os.environ.update(env)
        try:
            with pytest.raises(ConnectionConfigError, match="not allowed to read secret 'locked'"):
                resolve(None, env, tmp_path)
        finally:
            for k, v in old.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_iam_token_is_signed_for_host_port_user(monkeypatch):
    for key, value in AWS.items():
        monkeypatch.setenv(key, value)
    got = resolve("postgresql://app_user@mydb.abc.eu-west-1.rds.amazonaws.com:5432/spend",
                  {**AWS, "DATABASE_IAM_AUTH": "1"}, Path("/nonexistent"))
    token = unquote(urlsplit(got.url).password)
    assert token.startswith("mydb.abc.eu-west-1.rds.amazonaws.com:5432/?")
    query = parse_qs(token.split("?", 1)[1])
    assert query["Action"] == ["connect"] and query["DBUser"] == ["app_user"]
    assert query["X-Amz-Expires"] == ["900"] and "X-Amz-Signature" in query
    assert "sslmode=require" in got.url
    assert token not in got.masked


def test_iam_refuses_plain_text():
    with pytest.raises(ConnectionConfigError, match="needs TLS"):
        resolve("postgresql://u@db.example.com/x?sslmode=disable", {**AWS, "DATABASE_IAM_AUTH": "1"},
                Path("/nonexistent"))
