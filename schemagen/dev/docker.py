"""`schemagen dev up --docker`: PostgreSQL 15 in a container via testcontainers,
for machines with a Docker engine and no local server binaries."""

from __future__ import annotations

import json
from pathlib import Path

from schemagen.dev.server import DevError

IMAGE = "postgres:15"


def _state(root: Path) -> Path:
    return root / "docker.json"


def engine_available() -> bool:
    try:
        import docker
        docker.from_env().ping()
        return True
    except Exception:  # no package, no socket, no daemon: all mean "no engine here"
        return False


def up_docker(root: Path) -> str:
    try:
        from testcontainers.postgres import PostgresContainer
    except ImportError:
        raise DevError("--docker needs testcontainers: pip install 'schemagen[docker]'") from None
    if not engine_available():
        raise DevError("--docker needs a running Docker engine, and none answered")
    import os
    os.environ.setdefault("TESTCONTAINERS_RYUK_DISABLED", "true")  # the container outlives this process
    # trust auth on a throwaway local container, so no password is ever printed
    container = PostgresContainer(IMAGE, username="postgres", password="unused", dbname="schemagen_dev")
    container.with_env("POSTGRES_HOST_AUTH_METHOD", "trust")
    container.start()
    host, port = container.get_container_host_ip(), container.get_exposed_port(5432)
    root.mkdir(parents=True, exist_ok=True)
    _state(root).write_text(json.dumps({"container": container.get_wrapped_container().id,
                                        "host": host, "port": int(port)}) + "\n")
    return f"postgresql://postgres@{host}:{port}/schemagen_dev"


def down_docker(root: Path) -> bool:
    state = _state(root)
    if not state.exists():
        return False
    import docker
    info = json.loads(state.read_text())
    try:
        docker.from_env().containers.get(info["container"]).remove(force=True)
    except Exception as exc:  # already gone counts as stopped
        if "404" not in str(exc) and "No such container" not in str(exc):
            raise DevError(f"could not remove container {info['container'][:12]}: {exc}") from None
    state.unlink()
    return True
