"""Formats a check result as text for people, JSON, or GitHub annotations."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import asdict
from itertools import groupby

from mcval.findings import Finding, Severity
from mcval.result import AwardFileSummary, ProposalSummary, ValidationResult

JSON_FORMAT_VERSION = 1

_COLORS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}
_STATUS_WIDTH = 10


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _printable(text: str) -> str:
    """Return `text` with control characters escaped, so no value can move the
    cursor or start a new line in a terminal or a CI log."""
    return _CONTROL.sub(lambda match: repr(match.group(0))[1:-1], text)


def _paint(text: str, code: str, color: bool) -> str:
    return f"\033[{code}m{text}\033[0m" if color else text


def plural(count: int, word: str) -> str:
    """Return `count` and `word`, with an s unless the count is one."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def format_text(result: ValidationResult, color: bool = False) -> str:
    """Return findings grouped by file, an overview of the files and a summary line."""
    lines: list[str] = []
    for path, group in groupby(result.findings, key=lambda f: f.path):
        lines.append(_paint(_printable(path), "1", color))
        for finding in group:
            lines.append("  " + _colored_finding(finding, color))
        lines.append("")
    if result.proposals:
        lines.append("Proposals:")
        for summary in result.proposals:
            if summary.errors or summary.warnings:
                errors = plural(summary.errors, "error")
                state = f"{errors}, {plural(summary.warnings, 'warning')}"
            else:
                state = _paint("ok", "32", color)
            status = (summary.status or "unreadable").ljust(_STATUS_WIDTH)
            name = _printable(summary.proposal_id or "(no id)")
            lines.append(f"  {status} {name}  ({_printable(summary.path)})  {state}")
        lines.append("")
    if result.award_files:
        lines.append("Award files:")
        lines.extend(_award_file_line(summary, color) for summary in result.award_files)
        lines.append("")
    lines.append(_summary_line(result))
    return "\n".join(lines)


def _award_file_line(summary: AwardFileSummary, color: bool) -> str:
    if summary.errors or summary.warnings:
        errors = plural(summary.errors, "error")
        state = f"{errors}, {plural(summary.warnings, 'warning')}"
    else:
        state = _paint("ok", "32", color)
    kind = summary.kind.ljust(_STATUS_WIDTH + 1)
    rows = plural(summary.rows, "valid row")
    return f"  {kind} {_printable(summary.path)}  ({rows})  {state}"


def _colored_finding(finding: Finding, color: bool) -> str:
    text = _printable(finding.format())
    if not color:
        return text
    label = f"{finding.code} {finding.severity}"
    return text.replace(label, _paint(label, _COLORS[finding.severity], True), 1)


def _summary_line(result: ValidationResult) -> str:
    errors = result.count(Severity.ERROR)
    warnings = result.count(Severity.WARNING)
    checked = plural(result.files_checked, "file")
    if not errors and not warnings:
        return f"Checked {checked}: no problems found."
    return (
        f"Checked {checked}: {plural(errors, 'error')},"
        f" {plural(warnings, 'warning')}."
    )


def format_json(result: ValidationResult, color: bool = False) -> str:
    """Return the documented JSON shape (see README, "JSON output").

    An awards run has "files" in place of "proposals".
    """
    overview: dict[str, object]
    if result.award_files is None:
        overview = {"proposals": [_proposal_json(s) for s in result.proposals]}
    else:
        overview = {"files": [asdict(summary) for summary in result.award_files]}
    document = {
        "version": JSON_FORMAT_VERSION,
        "summary": {
            "files_checked": result.files_checked,
            "errors": result.count(Severity.ERROR),
            "warnings": result.count(Severity.WARNING),
        },
        **overview,
        "findings": [
            {
                "path": finding.path,
                "line": finding.position.line,
                "column": finding.position.col,
                "code": finding.code,
                "severity": str(finding.severity),
                "message": finding.message,
            }
            for finding in result.findings
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def _proposal_json(summary: ProposalSummary) -> dict[str, object]:
    return {
        "path": summary.path,
        "id": summary.proposal_id,
        "title": summary.title,
        "status": summary.status,
        "errors": summary.errors,
        "warnings": summary.warnings,
    }


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(result: ValidationResult, color: bool = False) -> str:
    """Return one GitHub workflow command per finding, then the summary line."""
    commands = {
        Severity.ERROR: "error",
        Severity.WARNING: "warning",
        Severity.INFO: "notice",
    }
    lines = []
    for finding in result.findings:
        properties = ",".join(
            [
                f"file={_escape_property(finding.path)}",
                f"line={finding.position.line}",
                f"col={finding.position.col}",
                f"title={_escape_property(finding.code)}",
            ]
        )
        message = _escape_data(f"{finding.code}: {finding.message}")
        lines.append(f"::{commands[finding.severity]} {properties}::{message}")
    lines.append(_summary_line(result))
    return "\n".join(lines)


FORMATTERS: dict[str, Callable[[ValidationResult, bool], str]] = {
    "text": format_text,
    "json": format_json,
    "github": format_github,
}
