"""Lifecycle and signature rules checked against real git histories."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import CliRunner
from tests.gitrepo import commit_all, git, git_env, init

PUBLISHED = "proposals/collegewide-leadership-student-life.yaml"
APPROVED = "proposals/collegewide-communication-health-sciences.yaml"
WORKDAY = "proposals/basic-workday-skills.yaml"
DAY = ("--today", "2026-12-04")
RUBRIC_LINE = "            descriptor: Keeps no record of milestones."
SIGNATURE_DATES = {
    "2026-03-02": "2026-05-06",
    "2026-03-09": "2026-05-06",
    "2026-03-16": "2026-05-06",
    "2026-03-30": "2026-05-07",
    "2026-04-13": "2026-05-08",
}


def edit(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def change_rubric(root: Path) -> None:
    edit(root, PUBLISHED, RUBRIC_LINE, RUBRIC_LINE.replace("no record", "no list"))


def sign_again(root: Path) -> None:
    for old, new in SIGNATURE_DATES.items():
        edit(root, PUBLISHED, f'date: "{old}"', f'date: "{new}"')


@pytest.fixture
def clone(repo: Path, tmp_path: Path) -> Path:
    """Return a clone of a repository with the shipped proposals, on a branch."""
    init(repo)
    target = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", repo.as_uri(), str(target)],
        env=git_env(),
        check=True,
        capture_output=True,
    )
    git(target, "checkout", "-q", "-b", "change")
    return target


def validate(run_cli: CliRunner, root: Path, *args: str) -> tuple[int, str]:
    result = run_cli("--root", str(root), "validate", *DAY, "--no-color", *args)
    assert result.err == ""
    return result.code, result.out


def findings(out: str, code: str) -> list[str]:
    return [line.strip() for line in out.splitlines() if f" {code} " in line]


def test_rubric_change_makes_signatures_stale(run_cli: CliRunner, clone: Path) -> None:
    change_rubric(clone)
    sha = commit_all(clone, "Tighten the tracking rubric", "2026-05-04T09:00:00+00:00")

    code, out = validate(run_cli, clone, "--changed-since", "origin/main")

    stale = findings(out, "MC705")
    assert code == 1
    assert len(stale) == 5
    assert f'commit {sha[:7]} "Tighten the tracking rubric" (2026-05-04)' in stale[0]
    assert "competencies[lead-6].assessment.rubric" in stale[0]
    assert "the program signature of Renata Okafor (2026-03-02) is stale" in stale[0]
    assert stale[0].startswith(f"{PUBLISHED}:309:5: MC705 error:")


def test_fresh_signatures_pass(run_cli: CliRunner, clone: Path) -> None:
    change_rubric(clone)
    commit_all(clone, "Tighten the tracking rubric", "2026-05-04T09:00:00+00:00")
    sign_again(clone)
    commit_all(clone, "Sign the tracking rubric", "2026-05-08T09:00:00+00:00")

    code, out = validate(run_cli, clone, "--changed-since", "origin/main")

    assert findings(out, "MC705") == []
    assert code == 0, out


def test_partial_signatures_stay_stale(run_cli: CliRunner, clone: Path) -> None:
    change_rubric(clone)
    commit_all(clone, "Tighten the tracking rubric", "2026-05-04T09:00:00+00:00")
    edit(clone, PUBLISHED, 'date: "2026-04-13"', 'date: "2026-05-08"')
    commit_all(clone, "WDCE signs again", "2026-05-08T09:00:00+00:00")

    _, out = validate(run_cli, clone, "--changed-since", "origin/main")

    stale = findings(out, "MC705")
    assert len(stale) == 4
    assert not any("Marisol Vega" in line for line in stale)


def test_editorial_change_keeps_signatures(run_cli: CliRunner, clone: Path) -> None:
    edit(clone, PUBLISHED, "Student leaders who earn", "Student leaders that earn")
    edit(clone, PUBLISHED, "  - Coaching\n", "  - Coaching and Mentoring\n")
    commit_all(clone, "Reword the summary", "2026-05-04T09:00:00+00:00")

    code, out = validate(run_cli, clone, "--changed-since", "origin/main")

    assert code == 0, out


def test_reformatting_keeps_signatures(run_cli: CliRunner, clone: Path) -> None:
    edit(
        clone,
        PUBLISHED,
        "            descriptor: Keeps no record of milestones.",
        '            descriptor: "Keeps no record of milestones."',
    )
    commit_all(clone, "Quote a descriptor", "2026-05-04T09:00:00+00:00")

    code, out = validate(run_cli, clone, "--changed-since", "origin/main")

    assert code == 0, out


def test_uncommitted_change_is_stale(run_cli: CliRunner, clone: Path) -> None:
    edit(
        clone,
        PUBLISHED,
        "expires: false",
        "expires: true\n  valid_for: {amount: 3, unit: years}",
    )

    _, out = validate(run_cli, clone)

    stale = findings(out, "MC705")
    assert len(stale) == 5
    assert "uncommitted changes (2026-12-04) changed expiration.expires" in stale[0]
    assert "expiration.valid_for" in stale[0]


def test_approved_expiration_change(run_cli: CliRunner, clone: Path) -> None:
    edit(clone, APPROVED, "  timeline: >-\n", "  timeline: >-\n    Revised:\n")
    commit_all(clone, "Change the award timeline", "2026-11-20T09:00:00+00:00")

    _, out = validate(run_cli, clone)

    stale = findings(out, "MC705")
    assert stale
    assert all(line.startswith(APPROVED) for line in stale)
    assert "award_process.timeline" in stale[0]


def test_renamed_file_history_followed(run_cli: CliRunner, clone: Path) -> None:
    change_rubric(clone)
    sha = commit_all(clone, "Tighten the tracking rubric", "2026-05-04T09:00:00+00:00")
    git(clone, "mv", PUBLISHED, "proposals/leadership.yaml")
    commit_all(clone, "Shorten the file name", "2026-05-05T09:00:00+00:00")

    _, out = validate(run_cli, clone)

    stale = findings(out, "MC705")
    assert len(stale) == 5
    assert f"commit {sha[:7]}" in stale[0]


def test_merge_dates_change_by_branch_commit(run_cli: CliRunner, clone: Path) -> None:
    change_rubric(clone)
    commit_all(clone, "Tighten the tracking rubric", "2026-05-04T09:00:00+00:00")
    sign_again(clone)
    commit_all(clone, "Sign the tracking rubric", "2026-05-08T09:00:00+00:00")
    git(clone, "checkout", "-q", "main")
    git(
        clone,
        "merge",
        "-q",
        "--no-ff",
        "-m",
        "Merge the rubric change",
        "change",
        date="2026-05-20T09:00:00+00:00",
    )

    code, out = validate(run_cli, clone, "--changed-since", "HEAD^")

    # The merge is dated after the signatures, but the change it brought is not.
    assert findings(out, "MC705") == []
    assert code == 0, out


def test_merge_without_signatures_names_branch_commit(
    run_cli: CliRunner, clone: Path
) -> None:
    change_rubric(clone)
    sha = commit_all(clone, "Tighten the tracking rubric", "2026-05-04T09:00:00+00:00")
    git(clone, "checkout", "-q", "main")
    git(
        clone,
        "merge",
        "-q",
        "--no-ff",
        "-m",
        "Merge the rubric change",
        "change",
        date="2026-05-20T09:00:00+00:00",
    )

    _, out = validate(run_cli, clone, "--changed-since", "HEAD^")

    stale = findings(out, "MC705")
    assert len(stale) == 5
    assert f'commit {sha[:7]} "Tighten the tracking rubric"' in stale[0]


def test_squashed_change_with_signatures(run_cli: CliRunner, clone: Path) -> None:
    change_rubric(clone)
    sign_again(clone)
    commit_all(clone, "Tighten and sign the rubric", "2026-05-20T09:00:00+00:00")

    code, out = validate(run_cli, clone, "--changed-since", "origin/main")

    # The signers' new dates came with the change, so they saw it.
    assert code == 0, out


def test_status_skip_is_error(run_cli: CliRunner, clone: Path) -> None:
    edit(clone, WORKDAY, "status: submitted", "status: published")
    commit_all(clone, "Publish the workday badge", "2026-05-04T09:00:00+00:00")

    code, out = validate(run_cli, clone, "--changed-since", "origin/main")

    skipped = findings(out, "MC971")
    assert code == 1
    assert len(skipped) == 1
    assert "changes from submitted to published" in skipped[0]
    assert "may only become draft or approved" in skipped[0]


@pytest.mark.parametrize(
    ("path", "old", "new"),
    [
        (WORKDAY, "status: submitted", "status: draft"),
        (PUBLISHED, "status: published", "status: retired"),
        (PUBLISHED, "status: published", "status: draft"),
    ],
)
def test_status_steps_allowed(
    run_cli: CliRunner, clone: Path, path: str, old: str, new: str
) -> None:
    edit(clone, path, old, new)
    commit_all(clone, "Change a status", "2026-05-04T09:00:00+00:00")

    _, out = validate(run_cli, clone, "--changed-since", "origin/main")

    assert findings(out, "MC971") == []


def test_published_back_to_approved_is_error(run_cli: CliRunner, clone: Path) -> None:
    edit(clone, PUBLISHED, "status: published", "status: approved")
    commit_all(clone, "Unpublish", "2026-05-04T09:00:00+00:00")

    code, out = validate(run_cli, clone, "--changed-since", "origin/main")

    assert code == 1
    assert len(findings(out, "MC971")) == 1


def test_published_rename_with_new_id(run_cli: CliRunner, clone: Path) -> None:
    new_path = "proposals/student-leader.yaml"
    git(clone, "mv", PUBLISHED, new_path)
    edit(
        clone,
        new_path,
        "id: collegewide-leadership-student-life",
        "id: student-leader",
    )
    commit_all(clone, "Rename the leadership badge", "2026-05-04T09:00:00+00:00")

    code, out = validate(run_cli, clone, "--changed-since", "origin/main")

    changed = findings(out, "MC972")
    assert code == 1
    assert len(changed) == 1
    assert changed[0].startswith(f"{new_path}:2:")
    assert (
        "from 'collegewide-leadership-student-life' to 'student-leader'" in changed[0]
    )
    assert f"(the file was {PUBLISHED})" in changed[0]


def test_published_move_keeping_id(run_cli: CliRunner, clone: Path) -> None:
    (clone / "proposals/student-life").mkdir()
    new_path = "proposals/student-life/collegewide-leadership-student-life.yaml"
    git(clone, "mv", PUBLISHED, new_path)
    commit_all(clone, "Move the leadership badge", "2026-05-04T09:00:00+00:00")

    code, out = validate(run_cli, clone, "--changed-since", "origin/main")

    assert findings(out, "MC972") == []
    assert findings(out, "MC973") == []
    assert code == 0, out


def test_removed_published_is_error(run_cli: CliRunner, clone: Path) -> None:
    git(clone, "rm", "-q", PUBLISHED)
    commit_all(clone, "Remove the leadership badge", "2026-05-04T09:00:00+00:00")

    code, out = validate(run_cli, clone, "--changed-since", "origin/main")

    removed = findings(out, "MC973")
    assert code == 1
    assert removed == [
        f"{PUBLISHED}:1:1: MC973 error: {PUBLISHED} is removed, but proposal"
        " 'collegewide-leadership-student-life' is published at the base"
        " revision; restore the file and set status: retired, then remove it in"
        " a later change"
    ]


def test_removed_retired_is_allowed(run_cli: CliRunner, clone: Path) -> None:
    edit(clone, PUBLISHED, "status: published", "status: retired")
    commit_all(clone, "Retire the leadership badge", "2026-05-04T09:00:00+00:00")
    git(clone, "rm", "-q", PUBLISHED)
    commit_all(clone, "Remove the leadership badge", "2026-06-04T09:00:00+00:00")

    code, out = validate(run_cli, clone, "--changed-since", "HEAD~1")

    # Removing it is allowed, but another proposal still refers to it, and
    # that file is reported although the change did not touch it.
    assert findings(out, "MC973") == []
    dangling = findings(out, "MC905")
    assert len(dangling) == 1
    assert dangling[0].startswith(APPROVED)
    assert code == 1


def test_history_rules_listed(run_cli: CliRunner) -> None:
    result = run_cli("rules")

    for code in ("MC705", "MC971", "MC972", "MC973"):
        assert f"{code}  " in result.out


def test_edited_email_stays_stale(run_cli: CliRunner, clone: Path) -> None:
    change_rubric(clone)
    commit_all(clone, "Tighten the tracking rubric", "2026-06-01T09:00:00+00:00")
    edit(clone, PUBLISHED, "renata.okafor@", "Renata.Okafor@")
    commit_all(clone, "Capitalise an address", "2026-06-02T09:00:00+00:00")

    _, out = validate(run_cli, clone, "--changed-since", "origin/main")

    assert len(findings(out, "MC705")) == 5


def test_redated_before_change_stays_stale(run_cli: CliRunner, clone: Path) -> None:
    change_rubric(clone)
    commit_all(clone, "Tighten the tracking rubric", "2026-06-01T09:00:00+00:00")
    for old in SIGNATURE_DATES:
        edit(clone, PUBLISHED, f'date: "{old}"', 'date: "2026-05-20"')
    commit_all(clone, "Move the dates", "2026-06-02T09:00:00+00:00")

    _, out = validate(run_cli, clone, "--changed-since", "origin/main")

    assert len(findings(out, "MC705")) == 5


def test_new_file_cannot_start_published(run_cli: CliRunner, clone: Path) -> None:
    text = (clone / PUBLISHED).read_text(encoding="utf-8")
    copy = "proposals/lead-new.yaml"
    (clone / copy).write_text(
        text.replace("id: collegewide-leadership-student-life", "id: lead-new", 1),
        encoding="utf-8",
    )
    commit_all(clone, "Add a copy", "2026-06-01T09:00:00+00:00")

    code, out = validate(run_cli, clone, "--changed-since", "origin/main")

    lifecycle = findings(out, "MC971")
    assert code == 1
    assert len(lifecycle) == 1
    assert "a new proposal cannot start as published" in lifecycle[0]


def test_publish_skips_stale_signatures(run_cli: CliRunner, clone: Path) -> None:
    change_rubric(clone)
    commit_all(clone, "Tighten the tracking rubric", "2026-05-04T09:00:00+00:00")
    state = clone.parent / "credly.json"

    result = run_cli(
        "--root",
        str(clone),
        "publish",
        "--stub-state",
        str(state),
        *DAY,
        "--format",
        "json",
    )

    assert result.code == 1
    report = json.loads(result.out)
    assert "collegewide-leadership-student-life" in report["blocked"]
