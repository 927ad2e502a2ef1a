"""Database URLs: one strict reader, and every form schemagen and the application need.

Standard library only: `schemagen render` copies this file beside connection.py into
generated/database/ for the application to import.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from urllib.parse import parse_qsl, quote, unquote, urlencode

LOOPBACK = {"localhost", "127.0.0.1", "::1", "[::1]", ""}


class ConnectionConfigError(Exception):
    """The database cannot be found or reached as configured; never holds a password."""


def mask(url: str) -> str:
    """The URL with its password replaced by ***; an unreadable URL is shown only up to
    its scheme and host-free part, never in full (its password could be anywhere in
    it).
    """
    try:
        return DatabaseUrl.parse(url).masked()
    except ConnectionConfigError:
        return _rough_mask(url)


def _rough_mask(url: str) -> str:
    """For a URL we refuse to read: everything between `//` and the last `@` is the
    userinfo as any parser could see it, so all of it after the first `:` goes; so
    does the value of any password= in the query. Text that is not a URL at all is
    not shown.
    """
    scheme, sep, rest = url.partition("://")
    if not sep or not scheme.replace("+", "").isalnum():
        return "(not shown: it is not a URL, and may hold a password)"
    if "@" in rest:
        userinfo, _, rest = rest.rpartition("@")
        shown = userinfo.split(":", 1)[0] + (":***@" if ":" in userinfo else "@")
    elif ":" in rest.split("/", 1)[0].split("?", 1)[0]:
        return f"{scheme}://***"  # a port that is no port: user:password without @?
    else:
        shown = ""
    path, q, query = rest.partition("?")
    items = (item.partition("=") for item in query.split("&"))
    query = "&".join(
        f"{k}=***" if k.strip().lower() == "password" else f"{k}{eq}{v}"
        for k, eq, v in items
    )
    return f"{scheme}://{shown}{path}{q}{query}"


SCHEMES = (
    "postgresql://",
    "postgres://",
    "postgresql+psycopg://",
    "postgresql+psycopg2://",
)
_HEX = set("0123456789abcdefABCDEF")
_ENCODE_HINT = (
    "URL-encode it (e.g. python3 -c 'import urllib.parse,sys; "
    "print(urllib.parse.quote(sys.argv[1], "
    "safe=\"\"))' 'PASSWORD'), or keep the password out of the URL (PGPASSWORD, "
    "~/.pgpass or a secret)"
)


@dataclass(frozen=True)
class DatabaseUrl:
    """A postgresql:// URL read once, strictly, and written out again in every form
    schemagen needs (libpq, SQLAlchemy, masked, described). Every parser libpq,
    urllib and SQLAlchemy would agree on the result: anything they could read
    differently is refused.
    """

    user: str | None
    password: str | None = field(repr=False)
    host: str
    port: int | None
    dbname: str | None
    query: tuple[tuple[str, str], ...] = ()

    @classmethod
    def parse(cls, text: str) -> DatabaseUrl:
        text = text.strip()
        scheme = next((s for s in SCHEMES if text.startswith(s)), None)
        if scheme is None:
            raise ConnectionConfigError(
                f"not a PostgreSQL URL: {_rough_mask(text)} "
                "(expected postgresql://user:password@host:port/dbname)"
            )
        rest = text[len(scheme) :]
        cut = min(
            (i for i in (rest.find("/"), rest.find("?"), rest.find("#")) if i >= 0),
            default=len(rest),
        )
        authority, tail = rest[:cut], rest[cut:]
        if "@" in tail or authority.count("@") > 1 or "#" in tail:
            raise ConnectionConfigError(
                f"cannot read the database URL {_rough_mask(text)} unambiguously: the "
                f"password seems to hold a raw @ / ? # character; {_ENCODE_HINT}"
            )
        userinfo, _, hostport = authority.rpartition("@")
        user, has_password, password = userinfo.partition(":")
        for part in (user, password):
            _check_encoding(part, text)
        host, port = _host_port(hostport, text)
        path, _, query_text = tail.partition("?")
        dbname = unquote(path[1:]) if path.startswith("/") and len(path) > 1 else None
        _check_encoding(query_text, text)
        query = tuple(parse_qsl(query_text, keep_blank_values=True))
        return cls(
            unquote(user) or None,
            unquote(password) if has_password else None,
            host,
            port,
            dbname,
            query,
        )

    # --- forms ---------------------------------------------------------------------

    def libpq(self) -> str:
        """postgresql://... with every part percent-encoded (what psycopg and libpq
        read).
        """
        userinfo = ""
        if self.user is not None or self.password is not None:
            userinfo = quote(self.user or "", safe="")
            if self.password is not None:
                userinfo += ":" + quote(self.password, safe="")
            userinfo += "@"
        host = f"[{self.host}]" if ":" in self.host else quote(self.host, safe="")
        port = f":{self.port}" if self.port else ""
        db = "/" + quote(self.dbname, safe="") if self.dbname else ""
        query = "?" + urlencode(self.query) if self.query else ""
        return f"postgresql://{userinfo}{host}{port}{db}{query}"

    def sqlalchemy(self) -> str:
        return "postgresql+psycopg://" + self.libpq()[len("postgresql://") :]

    def masked(self) -> str:
        hidden = replace(
            self,
            password="***" if self.password is not None else None,
            query=tuple((k, "***" if k == "password" else v) for k, v in self.query),
        )
        return hidden.libpq().replace("%2A%2A%2A", "***")

    def describe(self) -> str:
        """host:port/dbname as user (for messages)."""
        where = f"{self.host or 'localhost'}:{self.port or 5432}/{self.dbname or ''}"
        return f"{where} as {self.user or '?'}"

    def param(self, name: str) -> str | None:
        return dict(self.query).get(name)

    def with_query(self, **changes: str | None) -> DatabaseUrl:
        query = dict(self.query)
        query.update({k: v for k, v in changes.items() if v is not None})
        return replace(self, query=tuple(query.items()))

    @property
    def loopback(self) -> bool:
        """Whether every host libpq could connect to is this machine. The query's
        hostaddr and host override the URL's host (libpq reads them last); with no
        host at all, libpq takes PGHOSTADDR / PGHOST, else the local socket.
        """
        host = self.param("hostaddr") or self.param("host") or self.host
        if not host:
            host = os.environ.get("PGHOSTADDR") or os.environ.get("PGHOST") or ""
        return all(h in LOOPBACK or h.startswith("/") for h in host.split(","))


def _check_encoding(part: str, text: str) -> None:
    for i, ch in enumerate(part):
        if ch == "%" and not (
            len(part) > i + 2 and part[i + 1] in _HEX and part[i + 2] in _HEX
        ):
            raise ConnectionConfigError(
                f"cannot read the database URL {_rough_mask(text)}: a '%' that does "
                "not "
                f"start a %XX escape (a raw % in the password?); {_ENCODE_HINT}"
            )
        if ch in "[]" or ch.isspace():
            raise ConnectionConfigError(
                f"cannot read the database URL {_rough_mask(text)}: a raw {ch!r} in "
                "the "
                f"user or password; {_ENCODE_HINT}"
            )


def _host_port(hostport: str, text: str) -> tuple[str, int | None]:
    if hostport.startswith("["):  # [IPv6]:port
        host, _, after = hostport[1:].partition("]")
        port_text = after[1:] if after.startswith(":") else ""
        unclosed = "]" not in hostport or "[" in host
        if unclosed or (after and not after.startswith(":")):
            raise _bad_host(text)
    else:
        host, _, port_text = hostport.partition(":")
        if "[" in hostport or "]" in hostport:  # libpq reads brackets only around IPv6
            raise _bad_host(text)
    if port_text and not (port_text.isdigit() and 0 < int(port_text) < 65536):
        raise ConnectionConfigError(
            f"cannot read the database URL {_rough_mask(text)}: port {port_text!r} is "
            "not "
            "a number from 1 to 65535 (a raw ':' or '@' in the password?); "
            f"{_ENCODE_HINT}"
        )
    return unquote(host), int(port_text) if port_text else None


def _bad_host(text: str) -> ConnectionConfigError:
    return ConnectionConfigError(
        f"cannot read the host of {_rough_mask(text)} (an IPv6 address goes in "
        f"[brackets]; a raw [ ] @ / in the password does not): {_ENCODE_HINT}"
    )


def normalize(url: str) -> str:
    """Any accepted spelling of a PostgreSQL URL as one libpq URL (refused when
    ambiguous).
    """
    return DatabaseUrl.parse(url).libpq()


def with_tls_default(url: str) -> str:
    """sslmode=require for a remote host when the URL names no sslmode (RDS requires TLS
    for IAM and should get it always); sslmode and sslrootcert given in the URL pass
    through. Decided on the parsed host, so no spelling of the URL can skip it.
    """
    parsed = DatabaseUrl.parse(url)
    if parsed.param("sslmode") or parsed.loopback:
        return parsed.libpq()
    return parsed.with_query(sslmode="require").libpq()


def sqlalchemy_url(url: str) -> str:
    """The URL as SQLAlchemy's create_engine takes it, with the psycopg 3 driver."""
    return DatabaseUrl.parse(url).sqlalchemy()
