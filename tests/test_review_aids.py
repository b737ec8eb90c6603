"""`mcval render`, `mcval codeowners` and `mcval expiring`."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT, CliRunner
from tests.gitrepo import commit_all, git_env, init

PUBLISHED_ID = "collegewide-leadership-student-life"
PUBLISHED = f"proposals/{PUBLISHED_ID}.yaml"
DAY = ("--today", "2026-12-04")
RUBRIC_LINE = "            descriptor: Keeps no record of milestones."


def edit(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    "proposal_id", [p.stem for p in (REPO_ROOT / "proposals").glob("*.yaml")]
)
def test_render_shipped_proposals(run_cli: CliRunner, proposal_id: str) -> None:
    result = run_cli("--root", str(REPO_ROOT), "render", proposal_id, *DAY)

    assert result.code == 0, result.err
    assert result.out.startswith("# ")
    assert "## Signatures" in result.out
    assert "## How the badge is awarded" in result.out
    assert "{{" not in result.out


def test_render_reads_without_yaml(run_cli: CliRunner) -> None:
    result = run_cli("--root", str(REPO_ROOT), "render", PUBLISHED_ID, *DAY)

    out = result.out
    assert "# Student Leader Badge in Leadership" in out
    assert "**Unit:** Student Affairs" in out
    assert "| Proficient (passing) | 3 |" in out
    assert "| Vice president or designee | Catherine Ames | 2026-03-30 | valid |" in out
    assert "**How students apply:**" in out
    assert "An awarded badge does not expire." in out
    for yaml_word in ("passing_level", "award_process", "descriptor:", "- role:"):
        assert yaml_word not in out


def test_render_html_escapes(run_cli: CliRunner, repo: Path) -> None:
    edit(repo, PUBLISHED, "title: Student Leader", "title: <b>Student</b> Leader")

    result = run_cli(
        "--root", str(repo), "render", PUBLISHED_ID, "--format", "html", *DAY
    )

    assert result.code == 0, result.err
    assert "<h1>&lt;b&gt;Student&lt;/b&gt; Leader" in result.out
    assert "<table>" in result.out


def test_render_markdown_cell_pipes(run_cli: CliRunner, repo: Path) -> None:
    edit(repo, PUBLISHED, RUBRIC_LINE, RUBRIC_LINE.replace("no record", "no | record"))

    result = run_cli("--root", str(repo), "render", PUBLISHED_ID, *DAY)

    assert "Keeps no \\| record of milestones." in result.out


def test_render_unknown_id(run_cli: CliRunner) -> None:
    result = run_cli("--root", str(REPO_ROOT), "render", "collegewide-leadership", *DAY)

    assert result.code == 2
    assert "no proposal with the id 'collegewide-leadership'" in result.err
    assert f"did you mean '{PUBLISHED_ID}'" in result.err


def test_render_incomplete_draft(run_cli: CliRunner, repo: Path) -> None:
    (repo / "proposals/tiny.yaml").write_text(
        "id: tiny\ntitle: Tiny\nstatus: draft\n", encoding="utf-8"
    )

    result = run_cli("--root", str(repo), "render", "tiny", *DAY)

    assert result.code == 0, result.err
    assert "| Program | — | — | not yet due |" in result.out
    assert "MC301" in result.out


def test_render_since_shows_stale_and_diff(
    run_cli: CliRunner, repo: Path, tmp_path: Path
) -> None:
    init(repo)
    edit(repo, PUBLISHED, RUBRIC_LINE, RUBRIC_LINE.replace("no record", "no list"))
    edit(
        repo,
        PUBLISHED,
        "      Assign tasks to team members",
        "      Assign tasks to members",
    )
    commit_all(repo, "Tighten the tracking rubric", "2026-05-04T09:00:00+00:00")

    result = run_cli(
        "--root", str(repo), "render", PUBLISHED_ID, "--since", "HEAD~1", *DAY
    )

    out = result.out
    assert result.code == 0, result.err
    assert "## What changed since HEAD~1" in out
    assert "**Competency lead-6 changed:**" in out
    assert (
        '  - Rubric level Beginning: "Keeps no record of milestones." →'
        ' "Keeps no list of milestones."'
    ) in out
    assert "**Competency lead-2 changed:**" in out
    assert "  - Statement was: Assign tasks to team members" in out
    assert "| Program | Renata Okafor | 2026-03-02 | stale |" in out
    assert "MC705" in out


def test_codeowners_written_and_checked(run_cli: CliRunner, repo: Path) -> None:
    written = run_cli("--root", str(repo), "codeowners")
    text = (repo / ".github/CODEOWNERS").read_text(encoding="utf-8")
    checked = run_cli("--root", str(repo), "codeowners", "--check")

    assert written.code == 0
    assert (
        "/proposals/basic-budget-skills-it-entrepreneurs.yaml"
        " @mc-badges/business-reviewers @mc-badges/it-reviewers\n"
    ) in text
    assert checked.code == 0


def test_codeowners_check_out_of_date(run_cli: CliRunner, repo: Path) -> None:
    run_cli("--root", str(repo), "codeowners")
    edit(repo, PUBLISHED, "unit: student-affairs", "unit: humanities")

    result = run_cli("--root", str(repo), "codeowners", "--check")

    assert result.code == 1
    assert "Error: .github/CODEOWNERS is out of date" in result.err
    assert "hint: run mcval codeowners" in result.err


def test_codeowners_shipped_current(run_cli: CliRunner) -> None:
    result = run_cli("--root", str(REPO_ROOT), "codeowners", "--check")

    assert result.code == 0, result.err


def test_expiring_review_date(run_cli: CliRunner, repo: Path) -> None:
    edit(repo, PUBLISHED, 'review_by: "2028-06-30"', 'review_by: "2027-01-15"')

    result = run_cli("--root", str(repo), "expiring", "--within", "90d", *DAY)

    assert result.code == 1
    assert (
        f"{PUBLISHED}: published '{PUBLISHED_ID}': the workgroup review is due"
        " on 2027-01-15" in result.out
    )


def test_expiring_badges(run_cli: CliRunner) -> None:
    result = run_cli(
        "--root", str(REPO_ROOT), "expiring", "--within", "52w", "--today", "2029-06-01"
    )

    assert result.code == 1
    assert "3 awarded badges expire between 2029-11-20 and 2029-12-02" in result.out


def test_expiring_nothing_due(run_cli: CliRunner) -> None:
    result = run_cli("--root", str(REPO_ROOT), "expiring", "--format", "markdown", *DAY)

    assert result.code == 0
    assert "Nothing is due." in result.out


def test_expiring_bad_window(run_cli: CliRunner) -> None:
    result = run_cli("--root", str(REPO_ROOT), "expiring", "--within", "3 months", *DAY)

    assert result.code == 2
    assert "is not a number of days or weeks" in result.err


def test_shipped_clone_validates(run_cli: CliRunner, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", REPO_ROOT.as_uri(), str(clone)],
        env=git_env(),
        check=True,
        capture_output=True,
    )

    result = run_cli(
        "--root", str(clone), "validate", *DAY, "--changed-since", "HEAD~1"
    )

    assert result.code == 0, result.out + result.err
