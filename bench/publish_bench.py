"""Measure mcval publish against the Credly stand-in with per-request latency.

Generates a repository of N approved proposals, starts the stand-in in its
own process with the given latency, and runs the publish twice: the first
run creates every template, the second must only read the list pages. For
each run it records the requests the stand-in received and the wall time of
the Credly phase (list, plan, apply) next to the latency-bound minimum:
requests x latency / concurrency.

Usage: python bench/publish_bench.py [--proposals 1000] [--latency-ms 20]
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

from mcval.credly import CredlyClient
from mcval.publish.apply import apply_plan
from mcval.publish.desired import desired_state
from mcval.publish.plan import make_plan
from mcval.repository import load_repository
from mcval.settings import ValidateSettings, load_config
from mcval.validation import validate_repository

REPO_ROOT = Path(__file__).resolve().parents[1]
SOURCE = "collegewide-communication-health-sciences"
TODAY = dt.date(2026, 12, 4)


def build_repository(root: Path, count: int) -> None:
    for name in ("competency-libraries", "schemas", "templates", "images"):
        shutil.copytree(REPO_ROOT / name, root / name)
    for name in ("approvers.yaml", "mcval.toml"):
        shutil.copy2(REPO_ROOT / name, root / name)
    proposals = root / "proposals"
    shutil.copytree(REPO_ROOT / "proposals", proposals)
    source = (proposals / f"{SOURCE}.yaml").read_text(encoding="utf-8")
    for number in range(count - 2):
        new_id = f"bench-{number:05d}"
        text = source.replace(f"id: {SOURCE}\n", f"id: {new_id}\n", 1)
        (proposals / f"{new_id}.yaml").write_text(text, encoding="utf-8")


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
            "bench-token",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    return process, json.loads(process.stdout.readline())


def stub_counts(origin: str) -> dict[str, int]:
    """Return the requests the stand-in has received so far, per method."""
    stats: dict[str, Any] = httpx.get(f"{origin}/_stub/stats").json()
    return dict(stats["by_method"])


def difference(after: dict[str, int], before: dict[str, int]) -> dict[str, int]:
    return {
        method: after[method] - before.get(method, 0)
        for method in sorted(after)
        if after[method] - before.get(method, 0)
    }


def publish_once(
    root: Path, target: dict[str, Any], concurrency: int
) -> dict[str, Any]:
    config = load_config(root)
    started = time.perf_counter()
    repository = load_repository(root, config)
    validation = validate_repository(
        repository, ValidateSettings(root, config, today=TODAY)
    )
    desired = desired_state(repository, validation)
    local_seconds = time.perf_counter() - started

    started = time.perf_counter()
    with CredlyClient(
        "bench-token",
        target["organization_id"],
        base_url=target["url"],
        max_concurrency=concurrency,
    ) as client:
        plan = make_plan(desired, client.list_all_badge_templates())
        outcomes = apply_plan(client, plan)
    credly_seconds = time.perf_counter() - started
    return {
        "local_seconds": local_seconds,
        "credly_seconds": credly_seconds,
        "writes": len(plan.writes()),
        "failed": sum(1 for outcome in outcomes if not outcome.ok),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--proposals", type=int, default=1000)
    parser.add_argument("--latency-ms", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    latency = args.latency_ms / 1000

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        build_repository(root, args.proposals)
        process, target = start_stub(args.latency_ms)
        origin = target["url"].removesuffix("/v1")
        try:
            columns = [
                "run",
                "requests",
                "by method",
                "Credly phase (s)",
                "minimum (s)",
                "ratio",
                "validate and render (s)",
            ]
            print("| " + " | ".join(columns) + " |")
            print("|---|---:|---|---:|---:|---:|---:|")
            for name in ("first run", "no-op re-run"):
                before = stub_counts(origin)
                result = publish_once(root, target, args.concurrency)
                by_method = difference(stub_counts(origin), before)
                requests = sum(by_method.values())
                minimum = requests * latency / args.concurrency
                ratio = result["credly_seconds"] / minimum if minimum else float("nan")
                print(
                    f"| {name} | {requests} | {by_method} |"
                    f" {result['credly_seconds']:.2f} | {minimum:.2f} | {ratio:.2f} |"
                    f" {result['local_seconds']:.2f} |"
                )
                assert result["failed"] == 0
        finally:
            process.terminate()
            process.wait()


if __name__ == "__main__":
    main()
