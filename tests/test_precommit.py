"""The hooks of .pre-commit-hooks.yaml, run by real pre-commit without network."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT
from tests.gitrepo import commit_all, git, git_env, init

virtualenv = pytest.importorskip("virtualenv")

# What pip needs to install mcval into the hook's environment.
PACKAGE_PARTS = ("pyproject.toml", "README.md", "mcval", ".pre-commit-hooks.yaml")


def hook_repository(tmp_path: Path) -> tuple[Path, str]:
    """Return a git repository with this package's source, and its HEAD."""
    source = tmp_path / "hooks"
    source.mkdir()
    for name in PACKAGE_PARTS:
        path = REPO_ROOT / name
        if path.is_dir():
            shutil.copytree(
                path, source / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy2(path, source / name)
    return source, init(source, "Package mcval")


def offline_env(tmp_path: Path) -> dict[str, str]:
    """Return an environment in which pre-commit installs mcval from the local
    repository only. pip uses no index and installs no dependencies, which the
    hook then imports from this interpreter's site-packages. The build backend
    comes from the setuptools wheel that virtualenv (a pre-commit dependency)
    ships for seeding environments."""
    env = git_env()
    env.update(
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
        PIP_NO_INDEX="1",
        PIP_NO_DEPS="1",
        PIP_FIND_LINKS=str(Path(virtualenv.__file__).parent / "seed/wheels/embed"),
        PYTHONPATH=sysconfig.get_paths()["purelib"],
    )
    return env


def run_pre_commit(root: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    executable = Path(sys.executable).with_name("pre-commit")
    command = str(executable) if executable.exists() else "pre-commit"
    return subprocess.run(
        [command, "run", "--all-files"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_precommit_hooks_run(repo: Path, tmp_path: Path) -> None:
    source, head = hook_repository(tmp_path)
    shutil.copytree(REPO_ROOT / ".github", repo / ".github")
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {source}\n    rev: {head}\n    hooks:\n"
        "      - id: mcval-validate\n      - id: mcval-codeowners\n",
        encoding="utf-8",
    )
    init(repo)
    env = offline_env(tmp_path)

    passed = run_pre_commit(repo, env)

    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "mcval validate" in passed.stdout

    path = repo / "proposals/basic-workday-skills.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("passing_level:", "passing_levl:", 1), encoding="utf-8"
    )
    commit_all(repo, "Break a rubric")

    failed = run_pre_commit(repo, env)

    assert failed.returncode == 1
    assert "proposals/basic-workday-skills.yaml:" in failed.stdout
    assert "S001 error" in failed.stdout


def test_hook_ids_unique() -> None:
    text = (REPO_ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    ids = [
        line.split(":", 1)[1].strip()
        for line in text.splitlines()
        if line.startswith("- id:")
    ]
    assert ids == ["mcval-validate", "mcval-codeowners"]
    assert os.path.isfile(REPO_ROOT / ".github" / "CODEOWNERS")
    assert git(REPO_ROOT, "rev-parse", "--is-inside-work-tree") == "true"
