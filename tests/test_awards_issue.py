"""`mcval awards issue` against the Credly stand-in over real loopback HTTP."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from mcval.commands import awards_issue as awards_issue_command
from mcval.commands import publish as publish_command
from mcval.credly import CredlyClient
from mcval.credly.stub import CredlyStub
from mcval.settings import load_config
from tests.conftest import REPO_ROOT, TODAY, CliRunner

TOKEN = "stub-token-awards-73e1"
LEADERSHIP = "collegewide-leadership-student-life"
COMMUNICATION = "collegewide-communication-health-sciences"
CASES = Path(__file__).parent / "data" / "csv"
SAMPLE_ROWS = 8
HEADER = "credential,email,first_name,last_name,date_earned\n"


@pytest.fixture
def stub() -> Iterator[CredlyStub]:
    with CredlyStub(token=TOKEN) as running:
        yield running


@pytest.fixture
def credly_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CREDLY_TOKEN", TOKEN)


def target(stub: CredlyStub) -> tuple[str, ...]:
    return ("--credly-url", stub.url, "--organization-id", stub.organization_id)


def publish_templates(run_cli: CliRunner, repo: Path, stub: CredlyStub) -> None:
    result = run_cli("--root", str(repo), "publish", "--apply", *target(stub))
    assert result.code == 0, result.err


def issue(
    run_cli: CliRunner, repo: Path, stub: CredlyStub, *options: str, code: int = 0
) -> Any:
    result = run_cli(
        "--root",
        str(repo),
        "awards",
        "issue",
        "--format",
        "json",
        "--today",
        TODAY.isoformat(),
        *target(stub),
        *options,
    )
    assert result.code == code, result.out + result.err
    return json.loads(result.out)


def badges(stub: CredlyStub) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = stub.snapshot()["badges"]
    return records


def held(stub: CredlyStub) -> Counter[tuple[str, str]]:
    """Count badges that are not revoked per (template, e-mail)."""
    return Counter(
        (b["badge_template_id"], b["recipient_email"].lower())
        for b in badges(stub)
        if b["state"] != "revoked"
    )


def posts(stub: CredlyStub) -> int:
    by_method: dict[str, int] = stub.stats()["by_method"]  # type: ignore[assignment]
    return by_method.get("POST", 0) + by_method.get("PUT", 0)


def actions(report: Any) -> Counter[str]:
    return Counter(change["action"] for change in report["changes"])


def write_awards(repo: Path, name: str, rows: list[str]) -> Path:
    path = repo / "awards" / name
    path.write_text(HEADER + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


def test_sample_issued_once(
    run_cli: CliRunner, repo: Path, stub: CredlyStub, credly_env: None
) -> None:
    publish_templates(run_cli, repo, stub)

    plan = issue(run_cli, repo, stub)
    first = issue(run_cli, repo, stub, "--apply")
    writes_after_first = posts(stub)
    second = issue(run_cli, repo, stub, "--apply")

    assert actions(plan) == {"issue": SAMPLE_ROWS}
    assert all(change["ok"] for change in first["changes"])
    assert len(badges(stub)) == SAMPLE_ROWS
    assert actions(second) == {"already-issued": SAMPLE_ROWS}
    assert posts(stub) == writes_after_first


def test_badge_dates_and_ids(
    run_cli: CliRunner, repo: Path, stub: CredlyStub, credly_env: None
) -> None:
    publish_templates(run_cli, repo, stub)

    issue(run_cli, repo, stub, "--apply")

    by_email = {b["recipient_email"]: b for b in badges(stub)}
    leader = by_email["priya.raman@example.edu"]
    assert leader["issued_at"] == "2026-05-08T16:00:00.000Z"
    assert leader["expires_at"] is None
    nurse = by_email["grace.obrien@example.edu"]
    assert nurse["issued_at"] == "2026-11-20T17:00:00.000Z"
    assert nurse["expires_at_date"] == "2029-11-20"
    assert nurse["issuer_earner_id"].startswith("mcval-")
    assert "grace" not in nurse["issuer_earner_id"]


def test_output_masks_learners(
    run_cli: CliRunner, repo: Path, stub: CredlyStub, credly_env: None
) -> None:
    publish_templates(run_cli, repo, stub)

    text = run_cli("--root", str(repo), "awards", "issue", *target(stub))
    markdown = run_cli(
        "--root", str(repo), "awards", "issue", "--format", "markdown", *target(stub)
    )
    shown = run_cli(
        "--root", str(repo), "awards", "issue", "--show-personal-data", *target(stub)
    )

    assert "p***@example.edu" in text.out
    assert "priya.raman@example.edu" not in text.out + text.err
    assert "Priya" not in text.out
    assert "@" not in markdown.out
    assert "Raman" not in markdown.out
    assert "priya.raman@example.edu" in shown.out


@pytest.mark.parametrize(
    "case",
    [
        "utf8-bom-and-spaces.csv",
        "semicolon.csv",
        "utf16-excel-unicode-text.csv",
        "same-person-twice.csv",
        "sep-line.csv",
        "tab-delimited.csv",
    ],
)
def test_csv_case_issued(
    run_cli: CliRunner, repo: Path, stub: CredlyStub, credly_env: None, case: str
) -> None:
    publish_templates(run_cli, repo, stub)
    (repo / "awards" / "2026-fall-sample.csv").unlink()
    raw = (CASES / case).read_bytes()
    encoding = "utf-16" if raw.startswith(b"\xff\xfe") else "utf-8-sig"
    text = raw.decode(encoding).replace("workday-skills", LEADERSHIP)
    (repo / "awards" / case).write_bytes(text.encode(encoding))
    expected = {
        line.split(",")[0].split(";")[0].split("\t")[0].strip().strip('"').lower()
        for line in text.splitlines()[1:]
        if "@" in line
    }

    first = issue(run_cli, repo, stub, "--apply", code=1 if "twice" in case else 0)
    second = issue(run_cli, repo, stub, "--apply", code=1 if "twice" in case else 0)

    assert actions(first)["issue"] >= 1
    assert set(held(stub).values()) == {1}
    assert actions(second)["issue"] == 0
    assert len(held(stub)) <= len(expected) or not expected


def test_unpublished_credential_refused(
    run_cli: CliRunner, repo: Path, stub: CredlyStub, credly_env: None
) -> None:
    report = issue(run_cli, repo, stub, code=1)

    reasons = {change["reason"] for change in report["changes"]}
    assert reasons == {
        "the credential has no badge template in Credly yet; publish it first"
    }


def test_archived_template_refused(
    run_cli: CliRunner, repo: Path, stub: CredlyStub, credly_env: None
) -> None:
    publish_templates(run_cli, repo, stub)
    with CredlyClient(TOKEN, stub.organization_id, base_url=stub.url) as client:
        template = client.find_badge_template(f"mcval:{LEADERSHIP}")
        assert template is not None
        client.archive_badge_template(template["id"])

    report = issue(run_cli, repo, stub, "--apply", code=1)

    refused = [c for c in report["changes"] if c["action"] == "refuse"]
    assert len(refused) == 5
    assert {c["reason"] for c in refused} == {
        "the credential's badge template is archived in Credly"
    }
    assert len(badges(stub)) == SAMPLE_ROWS - 5


def test_revocation_idempotent(
    run_cli: CliRunner, repo: Path, stub: CredlyStub, credly_env: None
) -> None:
    publish_templates(run_cli, repo, stub)
    issue(run_cli, repo, stub, "--apply")
    (repo / "awards" / "revocations.csv").write_text(
        "credential,email,reason\n"
        f"{LEADERSHIP},priya.raman@example.edu,Awarded in error\n",
        encoding="utf-8",
    )

    first = issue(run_cli, repo, stub, "--apply")
    writes = posts(stub)
    second = issue(run_cli, repo, stub, "--apply")

    assert actions(first)["revoke"] == 1
    assert actions(second)["already-revoked"] == 1
    assert posts(stub) == writes
    revoked = [b for b in badges(stub) if b["state"] == "revoked"]
    assert [b["recipient_email"] for b in revoked] == ["priya.raman@example.edu"]


def test_lost_response_not_issued_twice(
    run_cli: CliRunner, repo: Path, stub: CredlyStub, credly_env: None
) -> None:
    publish_templates(run_cli, repo, stub)
    stub.configure_faults({"next": ["drop", "drop", "drop"]})

    report = issue(run_cli, repo, stub, "--apply")

    assert all(change["ok"] for change in report["changes"])
    assert set(held(stub).values()) == {1}
    assert len(held(stub)) == SAMPLE_ROWS


def test_rate_limits_and_5xx_recovered(
    run_cli: CliRunner, repo: Path, stub: CredlyStub, credly_env: None
) -> None:
    publish_templates(run_cli, repo, stub)
    stub.configure_faults({"retry_after": 0, "next": ["429", "502", "503", "429"]})

    issue(run_cli, repo, stub, "--apply")

    assert len(held(stub)) == SAMPLE_ROWS
    assert set(held(stub).values()) == {1}


def many_awards(repo: Path, count: int) -> None:
    rows = [
        f"{LEADERSHIP},learner{number:04d}@example.edu,Ada,Lovelace,2026-10-01"
        for number in range(count)
    ]
    write_awards(repo, "many.csv", rows)


def run_settings(
    repo: Path, stub: CredlyStub
) -> awards_issue_command.AwardsIssueSettings:
    return awards_issue_command.AwardsIssueSettings(
        root=repo,
        config=load_config(repo),
        apply=True,
        output_format="json",
        today=TODAY,
        base_url=stub.url,
        organization_id=stub.organization_id,
    )


def test_concurrent_runs_issue_once(repo: Path, stub: CredlyStub) -> None:
    many_awards(repo, 40)
    os.environ["CREDLY_TOKEN"] = TOKEN
    try:
        publish_settings = publish_command.PublishSettings(
            root=repo,
            config=load_config(repo),
            apply=True,
            output_format="json",
            today=TODAY,
            base_url=stub.url,
            organization_id=stub.organization_id,
        )
        publish_command.run(publish_settings, io.StringIO(), io.StringIO())
        stub.configure_faults({"latency_ms": 10})
        codes: list[int] = []

        def run() -> None:
            settings = run_settings(repo, stub)
            codes.append(
                awards_issue_command.run(settings, io.StringIO(), io.StringIO())
            )

        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        del os.environ["CREDLY_TOKEN"]

    assert codes == [0, 0]
    assert len(held(stub)) == 40 + SAMPLE_ROWS
    assert set(held(stub).values()) == {1}


def test_faults_converge_in_three_runs(repo: Path, stub: CredlyStub) -> None:
    many_awards(repo, 60)
    os.environ["CREDLY_TOKEN"] = TOKEN
    try:
        publish_settings = publish_command.PublishSettings(
            root=repo,
            config=load_config(repo),
            apply=True,
            output_format="json",
            today=TODAY,
            base_url=stub.url,
            organization_id=stub.organization_id,
        )
        publish_command.run(publish_settings, io.StringIO(), io.StringIO())
        stub.configure_faults(
            {
                "retry_after": 0,
                "seed": 5,
                "rates": {"429": 0.05, "502": 0.05, "503": 0.05, "drop": 0.05},
            }
        )
        for _ in range(3):
            awards_issue_command.run(
                run_settings(repo, stub), io.StringIO(), io.StringIO()
            )
    finally:
        del os.environ["CREDLY_TOKEN"]

    assert len(held(stub)) == 60 + SAMPLE_ROWS
    assert set(held(stub).values()) == {1}


def test_killed_run_completes_once(repo: Path, tmp_path: Path) -> None:
    many_awards(repo, 150)
    state = tmp_path / "credly.json"
    environment = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    base = [sys.executable, "-m", "mcval", "--root", str(repo)]
    with CredlyStub(token=TOKEN, state_file=state) as stub:
        environment["CREDLY_TOKEN"] = TOKEN
        connect = ["--credly-url", stub.url, "--organization-id", stub.organization_id]
        subprocess.run(
            [*base, "publish", "--apply", *connect],
            env=environment,
            check=True,
            capture_output=True,
        )
        stub.configure_faults({"latency_ms": 30})
        process = subprocess.Popen(
            [*base, "awards", "issue", "--apply", *connect],
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while len(badges(stub)) < 20 and time.monotonic() < deadline:
            time.sleep(0.05)
        process.kill()
        process.wait()
        interrupted_at = len(badges(stub))
        stub.configure_faults({"latency_ms": 0})

        finished = subprocess.run(
            [*base, "awards", "issue", "--apply", *connect],
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )

        assert 20 <= interrupted_at < 150 + SAMPLE_ROWS
        assert finished.returncode == 0, finished.stderr
        assert len(held(stub)) == 150 + SAMPLE_ROWS
        assert set(held(stub).values()) == {1}
        assert httpx.get(f"{stub.origin}/_stub/stats").status_code == 200


def test_archived_template_keeps_history(
    run_cli: CliRunner, repo: Path, stub: CredlyStub, credly_env: None
) -> None:
    publish_templates(run_cli, repo, stub)
    issue(run_cli, repo, stub, "--apply")
    with CredlyClient(TOKEN, stub.organization_id, base_url=stub.url) as client:
        template = client.find_badge_template(f"mcval:{COMMUNICATION}")
        assert template is not None
        client.archive_badge_template(template["id"])
    (repo / "awards" / "revocations.csv").write_text(
        "credential,email,reason\n"
        f"{COMMUNICATION},grace.obrien@example.edu,Awarded in error\n",
        encoding="utf-8",
    )

    report = issue(run_cli, repo, stub, "--apply")

    assert actions(report) == {"already-issued": SAMPLE_ROWS, "revoke": 1}
    revoked = [b["recipient_email"] for b in badges(stub) if b["state"] == "revoked"]
    assert revoked == ["grace.obrien@example.edu"]


def test_reports_hide_personal_words(
    run_cli: CliRunner, repo: Path, stub: CredlyStub, credly_env: None
) -> None:
    publish_templates(run_cli, repo, stub)
    write_awards(
        repo, "odd.csv", [f"{LEADERSHIP},mary.ann&jones@example.edu,M,J,2026-10-01"]
    )
    first = run_cli("--root", str(repo), "awards", "issue", "--apply", *target(stub))
    (repo / "awards" / "revocations.csv").write_text(
        "credential,email,reason\n"
        f"{LEADERSHIP},priya.raman@example.edu,Ask Dana Day at dana.day@example.edu\n",
        encoding="utf-8",
    )

    text = run_cli("--root", str(repo), "awards", "issue", *target(stub))
    markdown = run_cli(
        "--root", str(repo), "awards", "issue", "--format", "markdown", *target(stub)
    )

    assert "m***@example.edu" in first.out
    assert "ann&j" not in first.out
    assert "Dana Day" not in text.out + markdown.out
    assert "dana.day" not in text.out + markdown.out
    assert "@" not in markdown.out


def test_withheld_row_listed(
    run_cli: CliRunner, repo: Path, stub: CredlyStub, credly_env: None
) -> None:
    publish_templates(run_cli, repo, stub)
    (repo / "awards" / "revocations.csv").write_text(
        "credential,email,reason\n"
        f"{LEADERSHIP},priya.raman@example.edu,Awarded in error\n",
        encoding="utf-8",
    )

    result = run_cli("--root", str(repo), "awards", "issue", *target(stub))

    withheld = [line for line in result.out.splitlines() if "withheld  " in line]
    assert len(withheld) == 1
    assert "awards/2026-fall-sample.csv:3" in withheld[0]


def test_all_refused_says_so(
    run_cli: CliRunner, repo: Path, stub: CredlyStub, credly_env: None
) -> None:
    result = run_cli("--root", str(repo), "awards", "issue", *target(stub))

    assert result.code == 1
    assert "Nothing to issue: 8 rows refused, listed above." in result.out
