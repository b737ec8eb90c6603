"""`mcval validate --changed-since`: change detection on real git repositories."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import CliRunner
from tests.gitrepo import commit_all, git, git_env, init

WORKDAY = "proposals/basic-workday-skills.yaml"
BUDGET = "proposals/basic-budget-skills-it-entrepreneurs.yaml"
DAY = ("--today", "2026-12-04")
ZERO = "0" * 40


def break_file(root: Path, relative: str) -> None:
    """Remove the first rubric's passing level, an MC401 finding."""
    path = root / relative
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("        passing_level:", "        passing_levl:", 1))


@pytest.fixture
def history(repo: Path) -> Path:
    """Return a repository whose first commit already breaks the budget draft."""
    break_file(repo, BUDGET)
    init(repo)
    return repo


def validate(run_cli: CliRunner, root: Path, *args: str) -> tuple[int, str, str]:
    result = run_cli("--root", str(root), "validate", *DAY, "--no-color", *args)
    return result.code, result.out, result.err


def test_changed_since_reports_changed_files(run_cli: CliRunner, history: Path) -> None:
    break_file(history, WORKDAY)
    commit_all(history, "Edit the workday rubric", "2026-02-01T12:00:00+00:00")

    code, out, _ = validate(run_cli, history, "--changed-since", "HEAD~1")

    assert code == 1
    assert f"{WORKDAY}:" in out
    assert BUDGET not in out
    assert "Checked 1 file:" in out


def test_changed_since_includes_uncommitted(run_cli: CliRunner, history: Path) -> None:
    break_file(history, WORKDAY)

    code, out, _ = validate(run_cli, history, "--changed-since", "HEAD")

    assert code == 1
    assert f"{WORKDAY}:" in out
    assert BUDGET not in out


def test_changed_since_untracked_file(run_cli: CliRunner, history: Path) -> None:
    text = (history / WORKDAY).read_text(encoding="utf-8")
    (history / "proposals/copy.yaml").write_text(text, encoding="utf-8")

    _, out, _ = validate(run_cli, history, "--changed-since", "HEAD")

    assert "proposals/copy.yaml:" in out
    assert "MC901" in out


def test_nothing_changed_checks_nothing(run_cli: CliRunner, history: Path) -> None:
    code, out, _ = validate(run_cli, history, "--changed-since", "HEAD")

    assert code == 0
    assert "Checked 0 files" in out


def test_unknown_ref_fails(run_cli: CliRunner, history: Path) -> None:
    code, out, err = validate(run_cli, history, "--changed-since", "no-such-branch")

    assert code == 1
    assert out == ""
    assert "Error: unknown revision 'no-such-branch'" in err
    assert "hint:" in err


def test_zero_before_checks_everything(run_cli: CliRunner, history: Path) -> None:
    code, out, _ = validate(run_cli, history, "--changed-since", ZERO)

    assert code == 1
    assert f"{BUDGET}:" in out
    assert "Checked 14 files" in out


def test_first_commit_checks_everything(run_cli: CliRunner, history: Path) -> None:
    for ref in ("HEAD^", "HEAD~1", "HEAD~"):
        code, out, err = validate(run_cli, history, "--changed-since", ref)

        assert err == "", ref
        assert f"{BUDGET}:" in out, ref
        assert "Checked 14 files" in out, ref
        assert code == 1, ref


def test_no_commits_checks_everything(run_cli: CliRunner, repo: Path) -> None:
    git(repo, "init", "-q", "-b", "main")

    code, out, _ = validate(run_cli, repo, "--changed-since", "main")

    assert code == 0
    assert "Checked 14 files" in out


def test_not_a_repository_fails(run_cli: CliRunner, repo: Path) -> None:
    code, _, err = validate(run_cli, repo, "--changed-since", "HEAD")

    assert code == 1
    assert "is not in a git repository" in err


def test_merge_commit_uses_first_parent(run_cli: CliRunner, history: Path) -> None:
    git(history, "checkout", "-q", "-b", "feature")
    break_file(history, WORKDAY)
    commit_all(history, "Edit the workday rubric", "2026-02-01T12:00:00+00:00")
    git(history, "checkout", "-q", "main")
    (history / "README.md").write_text("notes\n", encoding="utf-8")
    commit_all(history, "Add notes", "2026-02-02T12:00:00+00:00")
    git(
        history,
        "merge",
        "-q",
        "--no-ff",
        "-m",
        "Merge feature",
        "feature",
        date="2026-02-03T12:00:00+00:00",
    )

    code, out, _ = validate(run_cli, history, "--changed-since", "HEAD^")

    assert code == 1
    assert f"{WORKDAY}:" in out
    assert BUDGET not in out


def test_branch_base_is_merge_base(run_cli: CliRunner, history: Path) -> None:
    git(history, "checkout", "-q", "-b", "feature")
    break_file(history, WORKDAY)
    commit_all(history, "Edit the workday rubric", "2026-02-01T12:00:00+00:00")
    git(history, "checkout", "-q", "main")
    (history / BUDGET).unlink()
    commit_all(history, "Remove the budget draft", "2026-02-02T12:00:00+00:00")
    git(history, "checkout", "-q", "feature")

    _, out, _ = validate(run_cli, history, "--changed-since", "main")

    # main moved on after the branch started; its change is not the branch's.
    assert f"{WORKDAY}:" in out
    assert BUDGET not in out


def shallow_clone(source: Path, target: Path) -> None:
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", source.as_uri(), str(target)],
        env=git_env(),
        check=True,
        capture_output=True,
    )


def test_shallow_clone_without_base_fails(
    run_cli: CliRunner, history: Path, tmp_path: Path
) -> None:
    base = git(history, "rev-parse", "HEAD")
    break_file(history, WORKDAY)
    commit_all(history, "Edit the workday rubric", "2026-02-01T12:00:00+00:00")
    clone = tmp_path / "shallow"
    shallow_clone(history, clone)

    code, out, err = validate(run_cli, clone, "--changed-since", base)

    assert code == 1
    assert out == ""
    assert "not in this shallow clone" in err
    assert "fetch-depth: 0" in err
    assert "git fetch --unshallow" in err


def test_shallow_clone_history_fails(
    run_cli: CliRunner, history: Path, tmp_path: Path
) -> None:
    commit_all(history, "Second commit", "2026-02-01T12:00:00+00:00")
    clone = tmp_path / "shallow"
    shallow_clone(history, clone)

    code, _, err = validate(run_cli, clone)

    assert code == 1
    assert "cut short in this shallow clone" in err
    assert "git fetch --unshallow" in err


def test_subfolder_repository(run_cli: CliRunner, repo: Path, tmp_path: Path) -> None:
    outer = tmp_path / "outer"
    outer.mkdir()
    inner = outer / "badges"
    repo.rename(inner)
    break_file(inner, BUDGET)
    init(outer)
    break_file(inner, WORKDAY)

    _, out, _ = validate(run_cli, inner, "--changed-since", "HEAD")

    assert f"{WORKDAY}:" in out
    assert BUDGET not in out
