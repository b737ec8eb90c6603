"""Overlap and gap detection through `mcval validate` and `mcval overlap`."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO_ROOT, TODAY, CliRunner

WORKDAY = "basic-workday-skills"
LEADERSHIP = "collegewide-leadership-student-life"
COMMUNICATION = "collegewide-communication-health-sciences"

# The workday badge's competencies, reworded as a workgroup might: synonyms,
# clauses moved, a few words added or dropped.
REWORDED_WORKDAY = [
    "Record hours worked, breaks and leave requests in an electronic"
    " time-keeping system so that the boss approves the timesheet with no"
    " corrections",
    "Following the employer's privacy rules, draft workplace e-mails and chat"
    " messages that give the request or update within the first two sentences",
    "Schedule a work week using a prioritized task list and a shared calendar,"
    " and report the progress of each task to the supervisor when agreed",
    "Apply the company's attendance, safety, harassment-prevention and"
    " data-security policies to everyday workplace situations",
]
# Statements that use everyday work words but ask for other competencies.
COMMON_WORDS_ONLY = [
    "Inspect a forklift before each shift with the manufacturer's checklist"
    " and tag it out of service when a brake fault is found",
    "Write a recipe cost card for a banquet menu item from supplier prices and"
    " portion sizes",
    "Calibrate a digital caliper against gauge blocks and record the readings"
    " in the quality log",
]


def load(name: str) -> dict[str, Any]:
    path = REPO_ROOT / "proposals" / f"{name}.yaml"
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def save(repo: Path, data: dict[str, Any]) -> Path:
    path = repo / "proposals" / f"{data['id']}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def new_proposal(
    repo: Path, proposal_id: str, statements: list[str], status: str = "draft"
) -> Path:
    """Write a proposal built on the workday badge with its own competencies."""
    data = load(WORKDAY)
    data["id"] = proposal_id
    data["status"] = status
    template = data["competencies"][0]
    data["competencies"] = [
        {**copy.deepcopy(template), "id": f"new-{number}", "statement": statement}
        for number, statement in enumerate(statements, start=1)
    ]
    return save(repo, data)


def findings(run_cli: CliRunner, repo: Path, path: Path) -> list[dict[str, Any]]:
    result = run_cli(
        "--root",
        str(repo),
        "validate",
        "--format",
        "json",
        "--today",
        TODAY.isoformat(),
        str(path),
    )
    assert result.err == ""
    found: list[dict[str, Any]] = json.loads(result.out)["findings"]
    return found


def coded(found: list[dict[str, Any]], code: str) -> list[dict[str, Any]]:
    return [finding for finding in found if finding["code"] == code]


def overlap_json(run_cli: CliRunner, repo: Path, *args: str) -> dict[str, Any]:
    result = run_cli("--root", str(repo), "overlap", "--format", "json", *args)
    assert result.code == 0, result.err
    document: dict[str, Any] = json.loads(result.out)
    return document


def test_reworded_copy_flagged(run_cli: CliRunner, repo: Path) -> None:
    path = new_proposal(repo, "workday-retail", REWORDED_WORKDAY)

    found = findings(run_cli, repo, path)

    competency = coded(found, "MC311")
    assert len(competency) == 4
    assert all(f["severity"] == "warning" for f in competency)
    assert "of proposal 'basic-workday-skills'" in competency[0]["message"]
    assert "shared terms:" in competency[0]["message"]
    credential = coded(found, "MC312")
    assert len(credential) == 1
    assert "4 of 4 competencies (100%)" in credential[0]["message"]


def test_synonym_shown_in_terms(run_cli: CliRunner, repo: Path) -> None:
    path = new_proposal(repo, "workday-retail", REWORDED_WORKDAY)

    found = findings(run_cli, repo, path)

    messages = " ".join(f["message"] for f in coded(found, "MC311"))
    assert "boss ≈ supervisor" in messages


def test_common_words_not_flagged(run_cli: CliRunner, repo: Path) -> None:
    path = new_proposal(repo, "mixed-trades", COMMON_WORDS_ONLY)

    found = findings(run_cli, repo, path)

    assert coded(found, "MC311") == []
    assert coded(found, "MC312") == []


def test_subset_badge_asymmetry(run_cli: CliRunner, repo: Path) -> None:
    leadership = load(LEADERSHIP)["competencies"]
    statements = [
        leadership[1]["statement"],
        leadership[5]["statement"],
        COMMON_WORDS_ONLY[0],
    ]
    path = new_proposal(repo, "club-officer-basics", statements)

    found = coded(findings(run_cli, repo, path), "MC312")
    report = overlap_json(run_cli, repo, "club-officer-basics")

    assert len(found) == 1
    assert "2 of 3 competencies (67%)" in found[0]["message"]
    assert "2 of its 6 (33%)" in found[0]["message"]
    pair = report["credential_overlaps"][0]
    assert pair["other"] == LEADERSHIP
    assert pair["coverage"] == 0.67
    assert pair["other_coverage"] == 0.33
    assert pair["score"] == 0.67


def test_later_status_not_blamed(run_cli: CliRunner, repo: Path) -> None:
    leadership = load(LEADERSHIP)["competencies"]
    statements = [item["statement"] for item in leadership[:3]]
    new_proposal(repo, "club-officer-basics", statements)

    found = findings(run_cli, repo, repo / "proposals" / f"{LEADERSHIP}.yaml")

    assert coded(found, "MC311") == []
    assert coded(found, "MC312") == []


def test_restated_library_item(run_cli: CliRunner, repo: Path) -> None:
    statement = (
        "Restate a speaker's main points and ask clarifying questions before"
        " responding in a workplace conversation"
    )
    path = new_proposal(repo, "listening", [statement, *COMMON_WORDS_ONLY[1:]])

    found = coded(findings(run_cli, repo, path), "MC313")

    assert len(found) == 1
    assert "restates library item communication.cm-3" in found[0]["message"]
    assert "reference it with library_item: communication.cm-3" in found[0]["message"]


def test_certification_overlap(run_cli: CliRunner, repo: Path) -> None:
    statement = (
        "Gather the information needed and create a new QuickBooks company file"
        " with its customer and vendor lists"
    )
    path = new_proposal(repo, "bookkeeping", [statement, *COMMON_WORDS_ONLY[1:]])

    found = coded(findings(run_cli, repo, path), "MC314")

    assert len(found) >= 1
    assert (
        "'QuickBooks Setup' of certification 'quickbooks-certified-user'"
        in (found[0]["message"])
    )
    assert found[0]["severity"] == "warning"


def test_library_gap(run_cli: CliRunner, repo: Path) -> None:
    data = load(COMMUNICATION)
    del data["competencies"][4]
    path = save(repo, data)

    found = coded(findings(run_cli, repo, path), "MC315")

    assert len(found) == 1
    assert (
        "dimension 'Visual communication' (communication.cm-5)" in (found[0]["message"])
    )
    assert found[0]["severity"] == "error"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert found[0]["line"] == lines.index("library_badge: communication") + 1


def test_stacking_gap(run_cli: CliRunner, repo: Path) -> None:
    workday = load(WORKDAY)["competencies"]
    statements = [item["statement"] for item in workday[:3]]
    path = new_proposal(repo, "workday-part-one", statements)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["stacks_into"] = [{"type": "micro-credential", "proposal": WORKDAY}]
    data["overlap_review"]["acknowledged"] = [
        {"ref": WORKDAY, "justification": "This is the first part of it."}
    ]
    save(repo, data)

    found = coded(findings(run_cli, repo, path), "MC316")
    report = overlap_json(run_cli, repo, "workday-part-one")

    assert len(found) == 1
    assert "2 of 5 competencies of 'basic-workday-skills'" in found[0]["message"]
    assert "'bws-4'" in found[0]["message"]
    assert "'bws-5'" in found[0]["message"]
    assert found[0]["severity"] == "info"
    gap = report["stacking_gaps"][0]
    assert [item["competency"] for item in gap["missing"]] == ["bws-4", "bws-5"]


def test_acknowledged_is_info(run_cli: CliRunner, repo: Path) -> None:
    path = new_proposal(repo, "workday-retail", REWORDED_WORKDAY)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["overlap_review"]["acknowledged"].append(
        {"ref": WORKDAY, "justification": "A retail version of the same badge."}
    )
    save(repo, data)

    found = findings(run_cli, repo, path)
    overlaps = coded(found, "MC311") + coded(found, "MC312")

    assert len(overlaps) == 5
    assert {f["severity"] for f in overlaps} == {"info"}
    assert all(
        f["message"].endswith("acknowledged in overlap_review") for f in overlaps
    )


@pytest.mark.parametrize(
    ("status", "severity"),
    [("draft", "warning"), ("submitted", "error")],
)
def test_severity_by_status(
    run_cli: CliRunner, repo: Path, status: str, severity: str
) -> None:
    path = new_proposal(repo, "workday-retail", REWORDED_WORKDAY, status=status)

    found = findings(run_cli, repo, path)

    assert {f["severity"] for f in coded(found, "MC311")} == {severity}


def test_overlap_text(run_cli: CliRunner, repo: Path) -> None:
    new_proposal(repo, "workday-retail", REWORDED_WORKDAY)

    result = run_cli("--root", str(repo), "overlap", "workday-retail")

    assert result.code == 0
    assert "workday-retail (4 of 4, 100%) <-> basic-workday-skills" in result.out
    assert "shared terms:" in result.out


def test_overlap_markdown(run_cli: CliRunner, repo: Path) -> None:
    new_proposal(repo, "workday-retail", REWORDED_WORKDAY)

    result = run_cli("--root", str(repo), "overlap", "--format", "markdown")

    assert result.code == 0
    assert result.out.startswith("## Overlap and gaps")
    assert "### basic-workday-skills and workday-retail" in result.out


def test_overlap_json_all(run_cli: CliRunner, repo: Path) -> None:
    new_proposal(repo, "workday-retail", REWORDED_WORKDAY)

    report = overlap_json(run_cli, repo)

    assert report["version"] == 1
    pair = report["credential_overlaps"][0]
    assert {pair["proposal"], pair["other"]} == {WORKDAY, "workday-retail"}
    assert len(pair["matches"]) == 4
    acknowledged = report["certification_matches"][0]
    assert acknowledged["source"] == "quickbooks-certified-user"
    assert acknowledged["name"] == "Sales"
    assert acknowledged["acknowledged"] is True


def test_overlap_unknown_id(run_cli: CliRunner, repo: Path) -> None:
    result = run_cli("--root", str(repo), "overlap", "no-such-badge")

    assert result.code == 2
    assert "no proposal has the id 'no-such-badge'" in result.err


def test_rules_lists_overlap_codes(run_cli: CliRunner) -> None:
    result = run_cli("rules", "MC312")

    assert result.code == 0
    assert "credential-overlap" in result.out


def test_threshold_setting(run_cli: CliRunner, repo: Path) -> None:
    config = repo / "mcval.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("competency_threshold = 0.5", "competency_threshold = 0.99"),
        encoding="utf-8",
    )
    path = new_proposal(repo, "workday-retail", REWORDED_WORKDAY)

    assert coded(findings(run_cli, repo, path), "MC311") == []


def test_threshold_out_of_range(run_cli: CliRunner, repo: Path) -> None:
    config = repo / "mcval.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("credential_threshold = 0.5", "credential_threshold = 2"),
        encoding="utf-8",
    )

    result = run_cli("--root", str(repo), "validate")

    assert result.code == 1
    assert "credential_threshold must be above 0 and at most 1" in result.err


def test_stacking_part_not_overlap(run_cli: CliRunner, repo: Path) -> None:
    workday = load(WORKDAY)["competencies"]
    statements = [item["statement"] for item in workday[:3]]
    path = new_proposal(repo, "workday-part-two", statements)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["stacks_into"] = [{"type": "micro-credential", "proposal": WORKDAY}]
    save(repo, data)

    codes = {finding["code"] for finding in findings(run_cli, repo, path)}

    assert "MC316" in codes
    assert "MC311" not in codes
    assert "MC312" not in codes


def test_identical_common_words_found(run_cli: CliRunner, repo: Path) -> None:
    statements = [
        "Report any problem to the lead",
        "Work with the team on the task",
        "Tell the lead about the work",
    ]
    first = new_proposal(repo, "common-words-a", statements)
    new_proposal(repo, "common-words-b", statements)

    codes = {finding["code"] for finding in findings(run_cli, repo, first)}

    assert "MC312" in codes
