"""Measure mcval awards issue against the Credly stand-in with per-request latency.

Builds a repository of approved credentials and an award file of N rows spread
over them, publishes the templates (not timed), then issues twice: the first
run issues every badge, the re-run must issue nothing and only read lists.
For each run it records the requests the stand-in received and the wall time
of the Credly phase (reading templates and badges, planning, issuing) next to
the latency-bound minimum: requests x latency / concurrency.

Usage: python bench/awards_bench.py [--rows 10000] [--credentials 50]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from mcval.awards.awardset import check_awards
from mcval.awards.issuing import IssueTiming, apply_awards, plan_awards
from mcval.credly import CredlyClient
from mcval.publish.apply import apply_plan
from mcval.publish.desired import desired_state
from mcval.publish.plan import make_plan
from mcval.repository import load_repository
from mcval.settings import ValidateSettings, load_config, time_of_day, time_zone
from mcval.validation import validate_repository

REPO_ROOT = Path(__file__).resolve().parents[1]
SOURCE = "collegewide-communication-health-sciences"
TODAY = dt.date(2026, 12, 4)
TOKEN = "bench-token"


def build_repository(root: Path, credentials: int, rows: int) -> None:
    for name in ("competency-libraries", "schemas", "templates", "images", "proposals"):
        shutil.copytree(REPO_ROOT / name, root / name)
    for name in ("approvers.yaml", "mcval.toml"):
        shutil.copy2(REPO_ROOT / name, root / name)
    source = (root / "proposals" / f"{SOURCE}.yaml").read_text(encoding="utf-8")
    ids = [f"bench-{number:03d}" for number in range(credentials)]
    for new_id in ids:
        text = source.replace(f"id: {SOURCE}\n", f"id: {new_id}\n", 1)
        (root / "proposals" / f"{new_id}.yaml").write_text(text, encoding="utf-8")
    (root / "awards").mkdir()
    lines = ["credential,email,first_name,last_name,date_earned"]
    for number in range(rows):
        credential = ids[number % credentials]
        lines.append(
            f"{credential},learner{number:05d}@example.edu,Ada,Lovelace,2026-11-30"
        )
    (root / "awards" / "bench.csv").write_text(
        "\n".join(lines) + "\n", encoding="utf-8"
    )


def start_stub(latency_ms: int) -> tuple[subprocess.Popen[str], dict[str, Any]]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mcval.credly.stub",
            "--port",
            "0",
            "--latency-ms",
            str(latency_ms),
            "--token",
            TOKEN,
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    return process, json.loads(process.stdout.readline())


def stub_counts(origin: str) -> dict[str, int]:
    stats: dict[str, Any] = httpx.get(f"{origin}/_stub/stats").json()
    return dict(stats["by_method"])


def set_latency(origin: str, latency_ms: int) -> None:
    httpx.post(f"{origin}/_stub/faults", json={"latency_ms": latency_ms})


def publish_templates(root: Path, target: dict[str, Any]) -> None:
    config = load_config(root)
    repository = load_repository(root, config)
    validation = validate_repository(
        repository, ValidateSettings(root, config, today=TODAY)
    )
    with CredlyClient(
        TOKEN, target["organization_id"], base_url=target["url"]
    ) as client:
        plan = make_plan(
            desired_state(repository, validation), client.list_all_badge_templates()
        )
        apply_plan(client, plan)


def issue_once(root: Path, target: dict[str, Any], concurrency: int) -> dict[str, Any]:
    config = load_config(root)
    started = time.perf_counter()
    repository = load_repository(root, config)
    awards = check_awards(repository, today=TODAY)
    local_seconds = time.perf_counter() - started
    timing = IssueTiming(
        time_zone(config.award_time_zone), time_of_day(config.award_issue_time)
    )

    started = time.perf_counter()
    with CredlyClient(
        TOKEN,
        target["organization_id"],
        base_url=target["url"],
        max_concurrency=concurrency,
    ) as client:
        plan = plan_awards(
            client, repository, awards.awards, awards.revocations, timing
        )
        outcomes = apply_awards(client, plan)
    return {
        "credly_seconds": time.perf_counter() - started,
        "local_seconds": local_seconds,
        "issued": sum(1 for outcome in outcomes if outcome.ok),
        "failed": sum(1 for outcome in outcomes if not outcome.ok),
        "rows": len(awards.awards),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--credentials", type=int, default=50)
    parser.add_argument("--latency-ms", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        build_repository(root, args.credentials, args.rows)
        process, target = start_stub(0)
        origin = target["url"].removesuffix("/v1")
        try:
            publish_templates(root, target)
            set_latency(origin, args.latency_ms)
            columns = [
                "run",
                "rows",
                "issued",
                "requests",
                "by method",
                "Credly phase (s)",
                "minimum (s)",
                "ratio",
                "read and check (s)",
            ]
            print("| " + " | ".join(columns) + " |")
            print("|---|" + "---:|" * 3 + "---|" + "---:|" * 4)
            for name in ("first run", "re-run"):
                before = stub_counts(origin)
                result = issue_once(root, target, args.concurrency)
                after = stub_counts(origin)
                by_method = {
                    m: after[m] - before.get(m, 0)
                    for m in sorted(after)
                    if after[m] - before.get(m, 0)
                }
                requests = sum(by_method.values())
                minimum = requests * args.latency_ms / 1000 / args.concurrency
                ratio = (
                    f"{result['credly_seconds'] / minimum:.2f}" if minimum else "n/a"
                )
                print(
                    f"| {name} | {result['rows']} | {result['issued']} | {requests} |"
                    f" {by_method} | {result['credly_seconds']:.2f} | {minimum:.2f} |"
                    f" {ratio} |"
                    f" {result['local_seconds']:.2f} |"
                )
                assert result["failed"] == 0
        finally:
            process.terminate()
            process.wait()


if __name__ == "__main__":
    main()
