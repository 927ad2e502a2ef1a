"""Fixtures the migration tests share."""

from __future__ import annotations

import pytest
import yaml

from tests.live.test_apply import BASE
from tests.migrate.test_migrations import schemagen


@pytest.fixture
def project(tmp_path, server_url):
    (tmp_path / "schema.yaml").write_text(yaml.safe_dump(BASE, sort_keys=False))
    assert schemagen("render", cwd=tmp_path).returncode == 0
    result = schemagen("migrate", "new", "initial", cwd=tmp_path, db=server_url)
    assert result.returncode == 0, result.stderr
    return tmp_path
