"""The GitHub Action (action.yml) run as the shell steps it is, in fresh projects that get
schemagen only through the action's own install step, the way a runner would run it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg
import pytest
import yaml

from tests.support import ROOT

ACTION = yaml.safe_load((ROOT / "action.yml").read_text())


def expand(value: str, inputs: dict) -> str:
    """${{ inputs.x }} and ${{ github.action_path }}, as the runner substitutes them."""
    def one(match):
        expr = match.group(1).strip()
        if expr == "github.action_path":
            return str(ROOT)
        if expr.startswith("inputs."):
            return str(inputs[expr[len("inputs."):]])
        if expr.startswith("steps."):
            return ""  # filled from outputs below
        raise AssertionError(f"unknown expression {expr}")
    return re.sub(r"\$\{\{(.*?)\}\}", one, str(value))


def condition(expr: str | None, inputs: dict) -> bool:
    if not expr:
        return True
    expr = expr.replace("always()", "True").replace("&&", " and ")
    expr = re.sub(r"inputs\.([a-z-]+)", lambda m: repr(inputs[m.group(1)]), expr)
    return bool(eval(expr))  # the action's own, tiny expressions


def outputs_of(path: Path) -> dict:
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)


def run_action(project: Path, runner: Path, **given) -> dict:
    inputs = {name: spec.get("default", "") for name, spec in ACTION["inputs"].items()} | given
    files = {name: runner / name for name in ("path", "summary")}
    for f in files.values():
        f.touch()
    steps, path_entries, results = {}, [], []
    for step in ACTION["runs"]["steps"]:
        if "run" not in step:
            continue  # actions/setup-python: this machine's python3 serves
        failed_before = any(code != 0 for code in results)
        if not condition(step.get("if"), inputs) or (failed_before and "always()" not in (step.get("if") or "")):
            continue
        output = runner / f"out-{len(results)}"
        output.touch()
        env = {**os.environ, "RUNNER_TEMP": str(runner), "GITHUB_PATH": str(files["path"]),
               "GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(files["summary"])}
        env = {k: v for k, v in env.items() if not k.startswith(("VIRTUAL_ENV", "SCHEMAGEN_TEST"))}
        env["PATH"] = os.pathsep.join(path_entries + [os.environ["PATH"]])
        for key, value in (step.get("env") or {}).items():
            env[key] = expand(value, inputs)
        if step.get("id") == "check" or "CHECK_EXIT" in env:
            env["CHECK_EXIT"] = steps.get("check", {}).get("exit-code", "")
        done = subprocess.run(["bash", "-e", "-c", expand(step["run"], inputs)], cwd=project, env=env,
                              capture_output=True, text=True, timeout=900)
        results.append(done.returncode)
        steps[step.get("id", step["name"])] = outputs_of(output) | {"stderr": done.stderr, "stdout": done.stdout}
        path_entries = [p for p in files["path"].read_text().splitlines() if p][::-1]
    return {"steps": steps, "codes": results, "summary": files["summary"].read_text()}


@pytest.fixture(scope="module")
def runner():
    folder = Path(tempfile.mkdtemp(prefix="schemagen-runner-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def project_copy(runner: Path, name: str) -> Path:
    project = runner / name / "db"
    project.mkdir(parents=True)
    runner.joinpath(name).chmod(0o755)
    project.chmod(0o755)
    for item in ("schema.yaml", "generated", "migrations"):
        source = ROOT / item
        (shutil.copytree if source.is_dir() else shutil.copy)(source, project / item)
    return project.parent


def test_action_on_a_project_in_step_with_a_database_to_diff(runner, make_database):
    live = make_database()
    repo = project_copy(runner, "good")
    result = run_action(repo, runner, schema="db/schema.yaml", **{"database-url": live})
    assert result["codes"] and all(code == 0 for code in result["codes"]), result["steps"]
    assert result["steps"]["diff"]["in-sync"] == "false"
    assert "```sql" in result["summary"] and 'create table "public"."profiles"' in result["summary"].lower()
    assert not (repo / "db" / ".schemagen" / "pgdata" / "postmaster.pid").exists()  # --stop-dev-server


def test_action_fails_on_stale_files_but_still_lints(runner):
    repo = project_copy(runner, "stale")
    schema = repo / "db" / "schema.yaml"
    schema.write_text(schema.read_text().replace("Kind of financial account.", "Kind of account."))
    result = run_action(repo, runner, schema="db/schema.yaml")
    assert result["steps"]["check"]["exit-code"] == "1"
    assert result["steps"]["schemagen lint"]["stdout"] == ""  # SpendSense lints clean: no annotations
    assert result["codes"][-1] == 1 and "::error::schemagen check failed" in result["steps"]["Result"]["stdout"]
    assert "diff" not in result["steps"]  # no database-url given


def test_action_reports_a_database_in_sync(runner, make_database):
    live = make_database()
    with psycopg.connect(live) as conn, conn.transaction():
        conn.execute((ROOT / "generated" / "schema.sql").read_text())
    repo = project_copy(runner, "in_sync")
    result = run_action(repo, runner, schema="db/schema.yaml", **{"database-url": live})
    assert result["steps"]["diff"]["in-sync"] == "true", result["steps"]["diff"]["stderr"]
    assert "is in sync" in result["summary"]
