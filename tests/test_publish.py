"""`mcval publish` against the Credly stand-in over real loopback HTTP."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mcval.commands import publish as publish_command
from mcval.credly.stub import CredlyStub
from mcval.settings import load_config
from tests.conftest import REPO_ROOT, TODAY, CliRunner

TOKEN = "stub-token-4f7a9c2e"
READ_ONLY_TOKEN = "read-only-token-81b3"
APPROVED = "collegewide-communication-health-sciences"
PUBLISHED = "collegewide-leadership-student-life"


@pytest.fixture
def stub() -> Iterator[CredlyStub]:
    with CredlyStub(token=TOKEN, read_only_token=READ_ONLY_TOKEN) as running:
        yield running


@pytest.fixture
def credly_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CREDLY_TOKEN", TOKEN)


def publish(
    run_cli: CliRunner, repo: Path, stub: CredlyStub, *options: str, code: int = 0
) -> Any:
    result = run_cli(
        "--root",
        str(repo),
        "publish",
        "--credly-url",
        stub.url,
        "--organization-id",
        stub.organization_id,
        "--format",
        "json",
        "--today",
        TODAY.isoformat(),
        *options,
    )
    assert result.code == code, result.err
    return json.loads(result.out)


def kinds(report: Any) -> dict[str, str]:
    return {change["proposal_id"]: change["kind"] for change in report["changes"]}


def templates(stub: CredlyStub) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = stub.snapshot()["badge_templates"]
    return records


def tags_per_proposal(stub: CredlyStub) -> Counter[str]:
    counts: Counter[str] = Counter()
    for template in templates(stub):
        for tag in template.get("reporting_tags") or []:
            if tag.startswith("mcval:"):
                counts[tag.removeprefix("mcval:")] += 1
    return counts


def writes(stub: CredlyStub) -> int:
    by_method: dict[str, int] = stub.stats()["by_method"]  # type: ignore[assignment]
    return sum(count for method, count in by_method.items() if method != "GET")


def edit(repo: Path, proposal_id: str, old: str, new: str) -> None:
    path = repo / "proposals" / f"{proposal_id}.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def add_copies(repo: Path, count: int) -> list[str]:
    """Add approved copies of a shipped proposal under new ids."""
    source = (repo / "proposals" / f"{APPROVED}.yaml").read_text(encoding="utf-8")
    ids = [f"copy-{number:03d}" for number in range(count)]
    for new_id in ids:
        text = source.replace(f"id: {APPROVED}\n", f"id: {new_id}\n", 1)
        (repo / "proposals" / f"{new_id}.yaml").write_text(text, encoding="utf-8")
    return ids


def test_plan_makes_no_writes(
    run_cli: CliRunner, repo: Path, stub: CredlyStub, credly_env: None
) -> None:
    report = publish(run_cli, repo, stub)

    assert kinds(report)[APPROVED] == "create"
    assert kinds(report)[PUBLISHED] == "create"
    assert kinds(report)["basic-workday-skills"] == "skip"
    assert report["applied"] is False
    assert writes(stub) == 0


def test_apply_creates_then_nothing(
    run_cli: CliRunner, repo: Path, stub: CredlyStub, credly_env: None
) -> None:
    publish(run_cli, repo, stub, "--apply")
    after_first = writes(stub)

    second = publish(run_cli, repo, stub, "--apply")

    assert after_first == 2
    assert writes(stub) == after_first
    assert set(kinds(second).values()) == {"unchanged", "skip"}
    assert tags_per_proposal(stub) == {APPROVED: 1, PUBLISHED: 1}


def test_created_template_content(
    run_cli: CliRunner, repo: Path, stub: CredlyStub, credly_env: None
) -> None:
    publish(run_cli, repo, stub, "--apply")

    template = next(
        t for t in templates(stub) if f"mcval:{PUBLISHED}" in t["reporting_tags"]
    )
    assert template["name"] == "Student Leader Badge in Leadership"
    assert template["cost"] == "Free"
    assert template["level"] == "Foundational"
    assert len(template["badge_template_activities"]) == 6
    assert template["state"] == "active"


def test_rename_updates_not_duplicates(
    run_cli: CliRunner, repo: Path, stub: CredlyStub, credly_env: None
) -> None:
    publish(run_cli, repo, stub, "--apply")
    edit(
        repo,
        PUBLISHED,
        "title: Student Leader Badge in Leadership",
        "title: Student Leader",
    )

    report = publish(run_cli, repo, stub, "--apply")

    change = next(c for c in report["changes"] if c["proposal_id"] == PUBLISHED)
    assert change["kind"] == "update"
    assert change["fields"] == ["name"]
    assert tags_per_proposal(stub)[PUBLISHED] == 1
    names = {t["name"] for t in templates(stub)}
    assert "Student Leader" in names


def test_new_image_is_sent(
    run_cli: CliRunner, repo: Path, stub: CredlyStub, credly_env: None
) -> None:
    publish(run_cli, repo, stub, "--apply")
    image = repo / "images" / f"{APPROVED}.png"
    image.write_bytes(image.read_bytes() + b"\0")

    report = publish(run_cli, repo, stub, "--apply")

    change = next(c for c in report["changes"] if c["proposal_id"] == APPROVED)
    assert change["fields"] == ["image"]


def test_retire_archives_then_unarchives(
    run_cli: CliRunner, repo: Path, stub: CredlyStub, credly_env: None
) -> None:
    publish(run_cli, repo, stub, "--apply")
    edit(repo, PUBLISHED, "status: published", "status: retired")

    retired = publish(run_cli, repo, stub, "--apply")
    edit(repo, PUBLISHED, "status: retired", "status: published")
    restored = publish(run_cli, repo, stub, "--apply")

    assert kinds(retired)[PUBLISHED] == "archive"
    assert kinds(restored)[PUBLISHED] == "unarchive"
    states = {t["state"] for t in templates(stub)}
    assert states == {"active"}


def test_removed_proposal_archived(
    run_cli: CliRunner, repo: Path, stub: CredlyStub, credly_env: None
) -> None:
    publish(run_cli, repo, stub, "--apply")
    (repo / "proposals" / f"{APPROVED}.yaml").unlink()

    report = publish(run_cli, repo, stub, "--apply")
    again = publish(run_cli, repo, stub, "--apply")

    change = next(c for c in report["changes"] if c["proposal_id"] == APPROVED)
    assert change["kind"] == "archive"
    assert change["reason"] == "proposal removed"
    assert kinds(again)[APPROVED] == "archived"
    assert writes(stub) == 3


def test_invalid_proposal_skipped(
    run_cli: CliRunner, repo: Path, stub: CredlyStub, credly_env: None
) -> None:
    edit(repo, APPROVED, "  expires: true", "  expires: maybe")

    report = publish(run_cli, repo, stub, "--apply", code=1)

    assert kinds(report)[APPROVED] == "skip"
    assert "1 validation error; run mcval validate" in next(
        c["reason"] for c in report["changes"] if c["proposal_id"] == APPROVED
    )
    assert kinds(report)[PUBLISHED] == "create"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("title:", "title: [unclosed\n  broken:"),
        (f"id: {APPROVED}", f"id: {APPROVED}-typo"),
        (f"id: {APPROVED}\n", ""),
    ],
    ids=["syntax-error", "id-typo", "id-removed"],
)
def test_broken_file_keeps_template(
    run_cli: CliRunner,
    repo: Path,
    stub: CredlyStub,
    credly_env: None,
    old: str,
    new: str,
) -> None:
    publish(run_cli, repo, stub, "--apply")
    edit(repo, APPROVED, old, new)

    report = publish(run_cli, repo, stub, "--apply", code=1)

    assert kinds(report).get(APPROVED) == "skip"
    assert report["blocked"]
    assert {t["state"] for t in templates(stub)} == {"active"}


def test_many_templates_across_pages(
    run_cli: CliRunner, repo: Path, stub: CredlyStub, credly_env: None
) -> None:
    ids = add_copies(repo, 60)

    first = publish(run_cli, repo, stub, "--apply")
    second = publish(run_cli, repo, stub, "--apply")

    assert sum(1 for kind in kinds(first).values() if kind == "create") == 62
    assert all(kinds(second)[proposal_id] == "unchanged" for proposal_id in ids)
    assert max(tags_per_proposal(stub).values()) == 1
    assert len(tags_per_proposal(stub)) == 62


def test_rate_limits_and_5xx_recovered(
    run_cli: CliRunner, repo: Path, stub: CredlyStub, credly_env: None
) -> None:
    stub.configure_faults({"retry_after": 0, "next": ["429", "503", "502", "429"]})

    publish(run_cli, repo, stub, "--apply")

    assert tags_per_proposal(stub) == {APPROVED: 1, PUBLISHED: 1}
    assert stub.stats()["faults"] == {"429": 2, "503": 1, "502": 1}


def test_lost_response_not_duplicated(
    run_cli: CliRunner, repo: Path, stub: CredlyStub, credly_env: None
) -> None:
    # Both creates are committed by Credly before the connection drops.
    stub.configure_faults({"next": ["drop", "drop"]})

    report = publish(run_cli, repo, stub, "--apply")

    assert all(outcome["ok"] for outcome in report["outcomes"])
    assert tags_per_proposal(stub) == {APPROVED: 1, PUBLISHED: 1}


def test_concurrent_runs_leave_one_each(repo: Path, stub: CredlyStub) -> None:
    add_copies(repo, 8)
    stub.configure_faults({"latency_ms": 20})
    os.environ["CREDLY_TOKEN"] = TOKEN
    settings = publish_command.PublishSettings(
        root=repo,
        config=load_config(repo),
        apply=True,
        output_format="json",
        today=TODAY,
        base_url=stub.url,
        organization_id=stub.organization_id,
    )
    codes: list[int] = []

    def run() -> None:
        codes.append(publish_command.run(settings, io.StringIO(), io.StringIO()))

    try:
        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        del os.environ["CREDLY_TOKEN"]

    assert codes == [0, 0]
    counts = tags_per_proposal(stub)
    assert len(counts) == 10
    assert set(counts.values()) == {1}


def test_faults_converge_in_three_runs(repo: Path, stub: CredlyStub) -> None:
    ids = add_copies(repo, 20)
    stub.configure_faults(
        {
            "retry_after": 0,
            "seed": 11,
            "rates": {"429": 0.05, "502": 0.05, "503": 0.05, "drop": 0.05},
        }
    )
    os.environ["CREDLY_TOKEN"] = TOKEN
    settings = publish_command.PublishSettings(
        root=repo,
        config=load_config(repo),
        apply=True,
        output_format="json",
        today=TODAY,
        base_url=stub.url,
        organization_id=stub.organization_id,
    )
    try:
        for _ in range(3):
            publish_command.run(settings, io.StringIO(), io.StringIO())
    finally:
        del os.environ["CREDLY_TOKEN"]

    counts = tags_per_proposal(stub)
    assert set(counts) == {*ids, APPROVED, PUBLISHED}
    assert set(counts.values()) == {1}


def test_token_never_printed(repo: Path, stub: CredlyStub) -> None:
    command = [
        sys.executable,
        "-m",
        "mcval",
        "-vv",
        "--root",
        str(repo),
        "publish",
        "--apply",
        "--credly-url",
        stub.url,
        "--organization-id",
        stub.organization_id,
    ]
    environment = {**os.environ, "CREDLY_TOKEN": TOKEN, "PYTHONPATH": str(REPO_ROOT)}

    completed = subprocess.run(
        command, capture_output=True, text=True, env=environment, check=False
    )

    assert completed.returncode == 0, completed.stderr
    assert "POST" in completed.stderr
    assert TOKEN not in completed.stdout + completed.stderr
    assert "c3R1Yi10b2tl" not in completed.stderr  # The token in Base64.


def test_invalid_token_one_line(
    run_cli: CliRunner, repo: Path, stub: CredlyStub, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CREDLY_TOKEN", "wrong-token")

    result = run_cli(
        "--root",
        str(repo),
        "publish",
        "--credly-url",
        stub.url,
        "--organization-id",
        stub.organization_id,
    )

    assert result.code == 1
    lines = result.err.splitlines()
    assert lines[0].startswith("Error: Credly rejected GET")
    assert "(401): the authorization token is invalid or expired" in lines[0]
    assert lines[1] == "hint: set CREDLY_TOKEN to a valid authorization token"
    assert len(lines) == 2


def test_read_only_token_one_line(
    run_cli: CliRunner, repo: Path, stub: CredlyStub, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CREDLY_TOKEN", READ_ONLY_TOKEN)

    result = run_cli(
        "--root",
        str(repo),
        "publish",
        "--apply",
        "--credly-url",
        stub.url,
        "--organization-id",
        stub.organization_id,
    )

    assert result.code == 1
    errors = [line for line in result.err.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1
    assert "(403): the authorization token lacks permission" in errors[0]
    assert templates(stub) == []


def test_missing_token(
    run_cli: CliRunner, repo: Path, stub: CredlyStub, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CREDLY_TOKEN", raising=False)

    result = run_cli(
        "--root",
        str(repo),
        "publish",
        "--credly-url",
        stub.url,
        "--organization-id",
        stub.organization_id,
    )

    assert result.code == 1
    assert "CREDLY_TOKEN" in result.err


def test_missing_organization_id(
    run_cli: CliRunner, repo: Path, credly_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CREDLY_ORGANIZATION_ID", raising=False)

    result = run_cli("--root", str(repo), "publish")

    assert result.code == 1
    assert result.err.startswith("Error: no Credly organization id is set")


def test_markdown_summary(
    run_cli: CliRunner, repo: Path, stub: CredlyStub, credly_env: None
) -> None:
    result = run_cli(
        "--root",
        str(repo),
        "publish",
        "--credly-url",
        stub.url,
        "--organization-id",
        stub.organization_id,
        "--format",
        "markdown",
    )

    assert result.code == 0
    assert result.out.startswith("## Credly publish")
    assert f"| create | `{APPROVED}` |" in result.out


def test_embedded_stub_keeps_state(
    run_cli: CliRunner, repo: Path, tmp_path: Path
) -> None:
    state = tmp_path / "credly.json"

    first = run_cli(
        "--root", str(repo), "publish", "--stub-state", str(state), "--apply"
    )
    second = run_cli("--root", str(repo), "publish", "--stub-state", str(state))

    assert first.code == 0
    assert "Applied: 2 changes made, 0 failed." in first.out
    assert "Nothing to change" in second.out


def test_review_date_respected(
    run_cli: CliRunner, repo: Path, stub: CredlyStub, credly_env: None
) -> None:
    late = (dt.date(2030, 1, 1)).isoformat()

    result = run_cli(
        "--root",
        str(repo),
        "publish",
        "--credly-url",
        stub.url,
        "--organization-id",
        stub.organization_id,
        "--format",
        "json",
        "--today",
        late,
    )

    report = json.loads(result.out)
    assert kinds(report)[APPROVED] == "skip"
    assert kinds(report)[PUBLISHED] == "skip"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "--credly-url is '', which is not a web address"),
        ("http://token:x@127.0.0.1:9/v1", "must not contain a user name"),
        ("ftp://127.0.0.1/v1", "not a web address"),
    ],
)
def test_bad_credly_url_is_usage_error(
    run_cli: CliRunner, repo: Path, credly_env: None, url: str, message: str
) -> None:
    result = run_cli(
        "--root", str(repo), "publish", "--credly-url", url, "--organization-id", "o"
    )

    assert result.code == 2
    assert message in result.err
    assert "token:x" not in result.err


def test_empty_url_variable_never_falls_back(
    run_cli: CliRunner, repo: Path, credly_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CREDLY_BASE_URL", "")

    result = run_cli("--root", str(repo), "publish", "--organization-id", "o")

    assert result.code == 2
    assert "CREDLY_BASE_URL is ''" in result.err


def test_corrupt_stub_state(run_cli: CliRunner, repo: Path, tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    state.write_text("{not json", encoding="utf-8")

    result = run_cli("--root", str(repo), "publish", "--stub-state", str(state))

    assert result.code == 1
    assert result.err.startswith("Error: cannot start the local Credly stand-in")


def test_unreachable_credly_one_error(
    run_cli: CliRunner, repo: Path, credly_env: None
) -> None:
    with CredlyStub() as stopped:
        closed_url = stopped.url

    result = run_cli(
        "--root",
        str(repo),
        "publish",
        "--credly-url",
        closed_url,
        "--organization-id",
        "o",
    )

    assert result.code == 1
    lines = result.err.splitlines()
    assert lines[0].startswith("Error: Could not complete GET")
    assert "127.0.0.1" in lines[0]
