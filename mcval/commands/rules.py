"""`mcval rules`: list every finding code with its explanation and an example fix."""

from __future__ import annotations

import json
import textwrap
from typing import TextIO

from mcval.awards.codes import AWARD_CODES
from mcval.errors import UsageError
from mcval.loader_codes import LOADER_CODES
from mcval.rules import RULES


def _entries() -> list[dict[str, str]]:
    entries = [
        {
            "code": code,
            "name": name,
            "summary": summary,
            "explanation": explanation,
            "example_fix": fix,
            "severity": "error at every status",
        }
        for code, (name, summary, explanation, fix) in LOADER_CODES.items()
    ]
    for rule in RULES.values():
        entries.append(
            {
                "code": rule.code,
                "name": rule.name,
                "summary": rule.summary,
                "explanation": rule.explanation,
                "example_fix": rule.example_fix,
                "severity": (
                    "warning for a draft, error once submitted"
                    if rule.scaled
                    else "error at every status"
                ),
            }
        )
    for code, award_code in AWARD_CODES.items():
        entries.append(
            {
                "code": code,
                "name": award_code.name,
                "summary": award_code.summary,
                "explanation": award_code.explanation,
                "example_fix": award_code.example_fix,
                "severity": award_code.severity,
            }
        )
    return entries


def _code_order(entry: dict[str, str]) -> tuple[int, str]:
    # Reading order: file problems (Y), the schema (S), the guidelines (MC), then
    # award files (A).
    prefix_rank = {"Y": 0, "S": 1, "M": 2, "A": 3}[entry["code"][0]]
    return prefix_rank, entry["code"]


def run(output_format: str, code: str | None, out: TextIO) -> int:
    entries = sorted(_entries(), key=_code_order)
    if code is not None:
        entries = [entry for entry in entries if entry["code"] == code.upper()]
        if not entries:
            raise UsageError(
                f"there is no finding code '{code}'",
                hint="run mcval rules for the list of codes",
            )
    if output_format == "json":
        out.write(json.dumps(entries, indent=2) + "\n")
        return 0
    for entry in entries:
        out.write(f"{entry['code']}  {entry['name']}: {entry['summary']}\n")
        out.write(
            textwrap.indent(textwrap.fill(entry["explanation"], 76), "    ") + "\n"
        )
        out.write(f"    Severity: {entry['severity']}.\n")
        out.write("    Example fix:\n")
        out.write(textwrap.indent(entry["example_fix"], "        ") + "\n\n")
    return 0
