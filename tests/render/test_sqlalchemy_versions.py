"""The generated models work on the lowest SQLAlchemy that pyproject.toml allows as well as
on the installed (newest) one: every golden case's models and SpendSense's import, configure
their mappers without a warning, and create their tables in PostgreSQL.

The lowest version is installed with pip into a folder of the run's own (PyPI, or the index
pip is configured with); without a reachable index the test skips and says so."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.support import CASES, ROOT

MODELS = sorted(str(p) for p in CASES.glob("*/expected/models")) + [str(ROOT / "generated" / "models")]

# Runs in a child process with the SQLAlchemy under test first on sys.path.
IMPORT_ALL = """
import sys, warnings
import sqlalchemy
from sqlalchemy import create_engine
from sqlalchemy.exc import SAWarning
from sqlalchemy.orm import clear_mappers, configure_mappers
sys.path.insert(0, sys.argv[1])
from tests.support import import_package, sqlalchemy_url
warnings.simplefilter("error", SAWarning)
print(sqlalchemy.__version__)
for path, url in zip(sys.argv[2::2], sys.argv[3::2]):
    models = import_package(__import__("pathlib").Path(path))
    configure_mappers()
    engine = create_engine(sqlalchemy_url(url))
    models.Base.metadata.create_all(engine)
    engine.dispose()
    clear_mappers()
"""


def lowest_sqlalchemy() -> str:
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    spec = next(d for d in dependencies if d.lower().startswith("sqlalchemy"))
    return re.search(r">=\s*([\w.]+)", spec).group(1)


def _index_reachable() -> bool:
    host = re.sub(r"^\w+://([^/:]+).*$", r"\1", os.environ.get("PIP_INDEX_URL", "https://pypi.org/simple"))
    try:
        socket.create_connection((host, 443), timeout=5).close()
        return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def lowest_sqlalchemy_path(tmp_path_factory) -> Path:
    version = lowest_sqlalchemy()
    target = tmp_path_factory.mktemp(f"sqlalchemy-{version}")
    result = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--only-binary=:all:",
                             "--target", str(target), f"SQLAlchemy=={version}"],
                            capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        if not _index_reachable():
            pytest.skip(f"cannot reach the package index to install SQLAlchemy {version}")
        pytest.fail(f"pip could not install SQLAlchemy {version}:\n{result.stderr[-2000:]}")
    return target


def import_all(make_database, first_on_path: Path | None) -> str:
    args = [arg for path in MODELS for arg in (path, make_database())]
    env = dict(os.environ)
    if first_on_path is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(first_on_path), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    result = subprocess.run([sys.executable, "-c", IMPORT_ALL, str(ROOT), *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.split()[0]


def test_models_work_on_the_lowest_allowed_sqlalchemy(lowest_sqlalchemy_path, make_database):
    version = import_all(make_database, lowest_sqlalchemy_path)
    assert version.startswith(lowest_sqlalchemy()), version


def test_models_work_on_the_installed_sqlalchemy(make_database):
    import sqlalchemy
    assert import_all(make_database, None) == sqlalchemy.__version__
