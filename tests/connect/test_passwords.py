"""Passwords with URL-special characters, raw and encoded, right and wrong, through --db,
DATABASE_URL, .env and Secrets Manager: never printed in whole or in part (every 6-character
substring is searched for), exit 2 when refused or refused by the server, a login when right;
and the TLS default decided on the parsed host, whatever the password holds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from urllib.parse import quote

import psycopg
import pytest
from psycopg import sql

from schemagen.connect.connection import ConnectionConfigError, DatabaseUrl, resolve, with_tls_default
from tests.connect.test_connection import AWS, secrets, start_moto

SPECIALS = "/@#?%:[]"
# raw, these must be refused (a parser could read them differently); ':' is read one way by all
AMBIGUOUS = set("/@#?%[]")


def password(ch: str) -> str:
    return f"Zq7{ch}Wv{ch}Ut5Sr2Qp"


@pytest.fixture(scope="module")
def moto():
    proc, url = start_moto()
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def roles(scram_server):
    """One scram role per special character, each owning a database of its name."""
    admin, port = scram_server
    made = {}
    with psycopg.connect(admin, autocommit=True) as conn:
        for i, ch in enumerate(SPECIALS):
            name = f"sg_pw_{i}"
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {} IN ROLE sg_password_users").format(
                sql.Identifier(name), sql.Literal(password(ch))))
            conn.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(name), sql.Identifier(name)))
            made[ch] = name
    return made, port


def leaks(output: str, secret: str) -> list[str]:
    return [secret[i:i + 6] for i in range(len(secret) - 5) if secret[i:i + 6] in output]


def run(channel: str, url: str, cwd, moto_url: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DATABASE_SECRET_ID")}
    args = ["migrate", "status"]
    if channel == "--db":
        args += ["--db", url]
    elif channel == "DATABASE_URL":
        env["DATABASE_URL"] = url
    elif channel == ".env":
        (cwd / ".env").write_text(f"DATABASE_URL={url}\n")
    else:  # Secrets Manager, the URL as the secret's value
        name = f"pw-{abs(hash((url, str(cwd))))}"
        secrets(moto_url).create_secret(Name=name, SecretString=url)
        env.update(AWS, AWS_ENDPOINT_URL=moto_url, DATABASE_SECRET_ID=name)
    try:
        return subprocess.run([sys.executable, "-m", "schemagen", *args], cwd=cwd, env=env, capture_output=True,
                              text=True, timeout=120)
    finally:
        (cwd / ".env").unlink(missing_ok=True)


CASES = [(ch, form, right, channel) for ch in SPECIALS for form in ("raw", "encoded") for right in (True, False)
         for channel in ("--db", "DATABASE_URL", ".env", "secret")]


@pytest.mark.parametrize(("ch", "form", "right", "channel"), CASES,
                         ids=[f"{c}-{f}-{'right' if r else 'wrong'}-{ch}" for c, f, r, ch in CASES])
def test_a_password_is_never_printed(roles, tmp_path, moto, ch, form, right, channel):
    made, port = roles
    user = made[ch]
    secret = password(ch) if right else password(ch).replace("Zq7", "Xx9")
    written = secret if form == "raw" else quote(secret, safe="")
    url = f"postgresql://{user}:{written}@127.0.0.1:{port}/{user}"
    (tmp_path / "schema.yaml").write_text("tables:\n  t:\n    columns: {id: {type: integer, primary_key: true}}\n")
    (tmp_path / "migrations").mkdir()
    result = run(channel, url, tmp_path, moto)
    output = result.stdout + result.stderr
    assert leaks(output, secret) == [], output
    assert "Traceback" not in output
    if form == "raw" and ch in AMBIGUOUS:
        assert result.returncode == 2 and "URL-encode" in output, output
    elif right:
        assert result.returncode in (0, 1), output  # logged in: 0 up to date (no migrations)
    else:
        assert result.returncode == 2 and "password authentication failed" in output, output


@pytest.mark.parametrize("ch", SPECIALS)
def test_tls_default_is_decided_on_the_parsed_host(ch):
    written = quote(password(ch), safe="")
    remote = with_tls_default(f"postgresql://app:{written}@db.example.com:5432/app")
    assert DatabaseUrl.parse(remote).param("sslmode") == "require"
    assert DatabaseUrl.parse(remote).password == password(ch)
    local = with_tls_default(f"postgresql://app:{written}@127.0.0.1:5432/app")
    assert DatabaseUrl.parse(local).param("sslmode") is None
    said = with_tls_default(f"postgresql://app:{written}@db.example.com/app?sslmode=verify-full")
    assert DatabaseUrl.parse(said).param("sslmode") == "verify-full"


def test_a_raw_hash_can_no_longer_hide_the_tls_default(tmp_path):
    with pytest.raises(Exception, match="URL-encode"):
        resolve("postgresql://app:pa#ss@db.example.com:5432/app", {}, tmp_path)


def test_managed_rds_secret_combines_with_a_url_without_credentials(roles, moto, tmp_path, monkeypatch):
    """RDS's manage_master_user_password secret holds only username and password."""
    made, port = roles
    user = made[":"]
    secrets(moto).create_secret(Name="rds!db-1234", SecretString=json.dumps(
        {"username": user, "password": password(":")}))
    env = {**AWS, "AWS_ENDPOINT_URL": moto, "DATABASE_SECRET_ID": "rds!db-1234"}
    for key, value in env.items():  # boto3 reads its settings from the environment
        monkeypatch.setenv(key, value)
    got = resolve(None, {**env, "DATABASE_URL": f"postgresql://127.0.0.1:{port}/{user}"}, tmp_path)
    with psycopg.connect(got.url) as conn:
        assert conn.info.user == user
    got = resolve(None, {**env, "DATABASE_HOST": "127.0.0.1", "DATABASE_PORT": str(port), "DATABASE_NAME": user},
                  tmp_path)
    with psycopg.connect(got.url) as conn:
        assert conn.info.dbname == user
    with pytest.raises(Exception, match="DATABASE_HOST"):
        resolve(None, env, tmp_path)


# --- URLs that are not read at all: still never echoed with their password ----------------

UNREADABLE = [
    "app:Zq7SecretPw@127.0.0.1/app",                       # the scheme forgotten
    "postgresql:/app:Zq7SecretPw@127.0.0.1/app",           # one slash
    "Zq7SecretPw",                                         # a password pasted on its own
    "postgresql://127.0.0.1/app?password=Zq7Secret%zzPw",  # the password in the query, badly encoded
    "postgresql://127.0.0.1/app?sslmode=disable&password=Zq7Secret Pw",
    "postgresql://app:Zq7SecretPw@[::1/app",               # an unclosed IPv6 bracket (libpq refuses it too)
    "postgresql://app:Zq7SecretPw@db]x/app",
]


@pytest.mark.parametrize("url", UNREADABLE)
def test_an_unreadable_url_is_refused_without_its_password(url, tmp_path):
    secret = url.split("Zq7", 1)[1].split("@", 1)[0]
    secret = "Zq7" + secret.replace("%zz", "%").split("&")[0]
    with pytest.raises(ConnectionConfigError) as raised:
        resolve(None, {"DATABASE_URL": url}, tmp_path)  # what the application's copy does too
    assert leaks(str(raised.value), "Zq7SecretPw") == [] and leaks(str(raised.value), secret) == [], raised.value
    (tmp_path / "schema.yaml").write_text("tables:\n  t:\n    columns: {id: {type: integer, primary_key: true}}\n")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DATABASE_SECRET_ID")}
    result = subprocess.run([sys.executable, "-m", "schemagen", "diff", "--db", url], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)
    output = result.stdout + result.stderr
    assert result.returncode == 2 and "Traceback" not in output, output
    assert leaks(output, "Zq7SecretPw") == [] and leaks(output, secret) == [], output


@pytest.mark.parametrize(("url", "tls"), [
    ("postgresql://app:pw@localhost/app?host=db.example.com", True),    # the query's host wins in libpq
    ("postgresql://app:pw@localhost/app?hostaddr=203.0.113.5", True),   # and hostaddr over both
    ("postgresql://app:pw@db.example.com/app?hostaddr=127.0.0.1", False),
    ("postgresql://app:pw@localhost,db.example.com/app", True),        # any remote host in a list
    ("postgresql://app:pw@[::1]:5432/app", False),
    ("postgresql:///app?host=/var/run/postgresql", False),
])
def test_tls_default_follows_the_host_libpq_will_use(url, tls, monkeypatch):
    monkeypatch.delenv("PGHOST", raising=False)
    monkeypatch.delenv("PGHOSTADDR", raising=False)
    assert (DatabaseUrl.parse(with_tls_default(url)).param("sslmode") == "require") is tls


def test_tls_default_for_a_url_without_host_follows_pghost(monkeypatch):
    monkeypatch.setenv("PGHOST", "db.example.com")
    assert DatabaseUrl.parse(with_tls_default("postgresql:///app")).param("sslmode") == "require"
    monkeypatch.setenv("PGHOST", "/tmp")
    assert DatabaseUrl.parse(with_tls_default("postgresql:///app")).param("sslmode") is None
