"""Shared fixtures: a copy of this repository to edit, and a CLI runner."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from mcval.cli import main

REPO_ROOT = Path(__file__).resolve().parents[1]
# Tests check as of a fixed day, so dates in the shipped proposals never expire them.
TODAY = dt.date(2026, 12, 4)
REPOSITORY_PARTS = (
    "proposals",
    "competency-libraries",
    "schemas",
    "templates",
    "images",
    "approvers.yaml",
    "mcval.toml",
    "awards",
)


@dataclass(frozen=True)
class CliResult:
    """Exit code and captured output of one CLI run."""

    code: int
    out: str
    err: str


CliRunner = Callable[..., CliResult]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """Return a copy of this repository's proposals, libraries and schemas."""
    root = tmp_path / "repo"
    root.mkdir()
    for name in REPOSITORY_PARTS:
        source = REPO_ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            shutil.copy2(source, root / name)
    return root


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> CliRunner:
    """Run the CLI's entry function with arguments and return what it printed."""

    def run(*args: str) -> CliResult:
        code = main(list(args))
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run
