"""Real git repositories for tests, with fixed authors and dates."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

AUTHOR = "Test Author"
AUTHOR_EMAIL = "author@college.example.edu"
FIRST_DATE = "2026-01-05T12:00:00+00:00"


def git_env(date: str = FIRST_DATE) -> dict[str, str]:
    """Return an environment that makes commits reproducible and ignores the
    user's own git configuration."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_AUTHOR_NAME=AUTHOR,
        GIT_AUTHOR_EMAIL=AUTHOR_EMAIL,
        GIT_COMMITTER_NAME=AUTHOR,
        GIT_COMMITTER_EMAIL=AUTHOR_EMAIL,
        GIT_AUTHOR_DATE=date,
        GIT_COMMITTER_DATE=date,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
    )
    return env


def git(root: Path, *args: str, date: str = FIRST_DATE) -> str:
    """Run git in `root` and return its output; a failure fails the test."""
    completed = subprocess.run(
        ["git", *args],
        cwd=root,
        env=git_env(date),
        capture_output=True,
        text=True,
        check=True,
    )
    return completed.stdout.strip()


def init(root: Path, message: str = "Add the proposals") -> str:
    """Make `root` a repository on branch main with one commit of every file."""
    git(root, "init", "-q", "-b", "main")
    return commit_all(root, message)


def commit_all(root: Path, message: str, date: str = FIRST_DATE) -> str:
    """Commit every change in `root` and return the new commit's id."""
    git(root, "add", "-A", date=date)
    git(root, "commit", "-q", "--allow-empty", "-m", message, date=date)
    return git(root, "rev-parse", "HEAD")
