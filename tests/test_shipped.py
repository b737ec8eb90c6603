"""The repository's own proposals, libraries and roster pass validation."""

from __future__ import annotations

import json

from tests.conftest import REPO_ROOT, CliRunner


def shipped_report(run_cli: CliRunner) -> dict[str, object]:
    result = run_cli(
        "--root",
        str(REPO_ROOT),
        "validate",
        "--format",
        "json",
        "--today",
        "2026-12-04",
    )
    assert result.code == 0, result.out
    report: dict[str, object] = json.loads(result.out)
    return report


def test_shipped_repository_is_clean(run_cli: CliRunner) -> None:
    report = shipped_report(run_cli)

    findings = report["findings"]
    assert isinstance(findings, list)
    # Overlaps that a proposal acknowledges are reported as info.
    assert [f for f in findings if f["severity"] != "info"] == []
    assert {f["code"] for f in findings} <= {"MC311", "MC312", "MC313", "MC314"}
    assert all(
        f["message"].endswith("acknowledged in overlap_review") for f in findings
    )


def test_shipped_statuses_cover_lifecycle(run_cli: CliRunner) -> None:
    report = shipped_report(run_cli)

    proposals = report["proposals"]
    assert isinstance(proposals, list)
    statuses = {proposal["status"] for proposal in proposals}
    assert statuses >= {"draft", "submitted", "approved", "published"}


def test_shipped_titles(run_cli: CliRunner) -> None:
    report = shipped_report(run_cli)

    proposals = report["proposals"]
    assert isinstance(proposals, list)
    titles = {proposal["title"] for proposal in proposals}
    assert "Basic Workday Skills for New Employees" in titles
    assert "Basic Budget Skills for IT Entrepreneurs" in titles


def test_libraries_cover_soft_skills() -> None:
    folder = REPO_ROOT / "competency-libraries" / "collegewide"
    names = {path.stem for path in folder.glob("*.yaml")}

    assert names == {
        "collaboration",
        "communication",
        "critical-thinking",
        "globalism",
        "interculturalism",
        "leadership",
        "problem-solving",
        "professionalism",
    }
