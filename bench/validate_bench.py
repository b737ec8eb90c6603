"""Measure validation time and memory on a large generated repository.

Copies the shipped proposals N times under new ids into a temporary
repository, then times `mcval validate` over it in this process and
records peak memory. Also times the loader on hostile files at the size
limit. Usage: python bench/validate_bench.py [--copies N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import resource
import shutil
import tempfile
import time
from pathlib import Path

from mcval.document import Document
from mcval.loader import LoadLimits, load_yaml_text
from mcval.settings import ValidateSettings, load_config
from mcval.validation import validate

REPO_ROOT = Path(__file__).resolve().parents[1]
PARTS = ("competency-libraries", "schemas", "templates", "images")
LIMIT = LoadLimits().max_bytes


def build_repository(target: Path, copies: int) -> None:
    for name in PARTS:
        shutil.copytree(REPO_ROOT / name, target / name)
    for name in ("approvers.yaml", "mcval.toml"):
        shutil.copy2(REPO_ROOT / name, target / name)
    proposals = target / "proposals"
    proposals.mkdir()
    sources = sorted((REPO_ROOT / "proposals").glob("*.yaml"))
    # The originals stay, so references from the copies to them resolve.
    for source in sources:
        shutil.copy2(source, proposals / source.name)
    for number in range(copies - len(sources)):
        source = sources[number % len(sources)]
        old_id = source.stem
        new_id = f"{old_id}-{number}"
        text = source.read_text(encoding="utf-8").replace(
            f"id: {old_id}\n", f"id: {new_id}\n", 1
        )
        (proposals / f"{new_id}.yaml").write_text(text, encoding="utf-8")


def time_validation(copies: int) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        build_repository(root, copies)
        settings = ValidateSettings(
            root=root, config=load_config(root), today=dt.date(2026, 12, 4)
        )
        started = time.perf_counter()
        result = validate(settings)
        elapsed = time.perf_counter() - started
    return elapsed, len(result.findings)


def hostile_inputs() -> dict[str, str]:
    row = "key{n}: value number {n}\n"
    flat = "".join(row.format(n=n) for n in range(LIMIT // 30))
    long_text = "a: " + "x" * (LIMIT - 10) + "\n"
    items = "a: [" + ", ".join(["1"] * (LIMIT // 3 - 10)) + "]\n"
    nested = "a: " + "[" * 900 + "]" * 900 + "\n"
    bomb = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    bomb += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 40)]
    return {
        "flat keys at the size limit": flat[:LIMIT],
        "one long value at the size limit": long_text,
        "a list past the node limit": items,
        "900 nested lists": nested,
        "alias bomb (3^40 expansions)": "\n".join(bomb) + "\n",
    }


def time_hostile() -> list[tuple[str, float, str]]:
    rows = []
    for name, text in hostile_inputs().items():
        started = time.perf_counter()
        document = load_yaml_text(text, Document(path="hostile.yaml"), LoadLimits())
        elapsed = time.perf_counter() - started
        codes = ",".join(sorted({f.code for f in document.findings})) or "loaded"
        rows.append((name, elapsed, codes))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, nargs="*", default=[100, 1000])
    args = parser.parse_args()
    python = f"{platform.python_implementation()} {platform.python_version()}"
    print(f"# {python}, {platform.machine()}")
    print("\n| proposals | wall time (s) | findings |")
    print("|---:|---:|---:|")
    for copies in args.copies:
        elapsed, findings = time_validation(copies)
        print(f"| {copies} | {elapsed:.2f} | {findings} |")
    print("\n| hostile input | load time (s) | outcome |")
    print("|---|---:|---|")
    for name, elapsed, codes in time_hostile():
        print(f"| {name} | {elapsed:.3f} | {codes} |")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nPeak memory of the whole run: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
