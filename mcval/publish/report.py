"""Formats a publish plan and its outcomes as text, JSON or Markdown."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from mcval.publish.apply import Outcome
from mcval.publish.plan import Change, ChangeKind, Plan
from mcval.reporters import plural

JSON_FORMAT_VERSION = 1
_SUMMARY_ORDER = (
    (ChangeKind.CREATE, "to create"),
    (ChangeKind.UPDATE, "to update"),
    (ChangeKind.UNARCHIVE, "to unarchive"),
    (ChangeKind.ARCHIVE, "to archive"),
    (ChangeKind.DELETE_DUPLICATE, "duplicates to delete"),
    (ChangeKind.UNCHANGED, "unchanged"),
    (ChangeKind.ARCHIVED, "archived before"),
    (ChangeKind.SKIP, "skipped"),
)


@dataclass(frozen=True)
class PublishReport:
    """A plan, where it applies, and the outcomes when it was applied."""

    plan: Plan
    target: str
    applied: bool
    outcomes: list[Outcome]

    def failures(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if not outcome.ok]


def _details(change: Change) -> str:
    parts = []
    if change.fields:
        parts.append("changes " + ", ".join(change.fields))
    if change.reason:
        parts.append(change.reason)
    return "; ".join(parts)


def _summary(plan: Plan) -> str:
    counts = [
        f"{plan.count(kind)} {label}"
        for kind, label in _SUMMARY_ORDER
        if plan.count(kind)
    ]
    return (", ".join(counts) or "no proposals to publish") + "."


def _outcome_line(report: PublishReport) -> str:
    if not report.plan.writes():
        return "Nothing to change: Credly already matches the repository."
    if not report.applied:
        return "This is the plan only; run again with --apply to make these changes."
    failed = len(report.failures())
    made = sum(1 for outcome in report.outcomes if outcome.ok and outcome.changed)
    return f"Applied: {plural(made, 'change')} made, {failed} failed."


def _extra_lines(report: PublishReport) -> list[str]:
    """List the duplicates removed after the plan, which the plan could not show."""
    planned = {id(change) for change in report.plan.changes}
    lines = []
    for outcome in report.outcomes:
        change = outcome.change
        if id(change) in planned or not outcome.ok:
            continue
        note = f"; {outcome.message}" if outcome.message else ""
        lines.append(
            f"  {change.kind:<17}{change.proposal_id}  ({change.reason}{note})"
        )
    return lines


def _blocked_line(report: PublishReport) -> list[str]:
    blocked = report.plan.blocked()
    if not blocked:
        return []
    count = len(blocked)
    noun = "proposal is" if count == 1 else "proposals are"
    return [f"{count} {noun} not published because of errors; fix them and run again."]


def format_text(report: PublishReport) -> str:
    lines = [f"Plan for {report.target}:"]
    for change in report.plan.changes:
        details = _details(change)
        suffix = f"  ({details})" if details else ""
        lines.append(f"  {change.kind:<17}{change.proposal_id}{suffix}")
    lines += ["", "Summary: " + _summary(report.plan), _outcome_line(report)]
    lines += _extra_lines(report)
    lines += _blocked_line(report)
    for outcome in report.failures():
        change = outcome.change
        lines.append(f"  failed: {change.kind} {change.proposal_id}: {outcome.message}")
    return "\n".join(lines)


def format_markdown(report: PublishReport) -> str:
    lines = [
        "## Credly publish",
        "",
        f"Target: {report.target}",
        "",
        "| change | proposal | details |",
        "|---|---|---|",
    ]
    for change in report.plan.changes:
        details = _details(change).replace("|", "\\|")
        lines.append(f"| {change.kind} | `{change.proposal_id}` | {details} |")
        lines += [
            "",
            f"**Summary:** {_summary(report.plan)}",
            "",
            _outcome_line(report),
        ]
    lines += _blocked_line(report)
    for outcome in report.failures():
        message = outcome.message.replace("|", "\\|")
        lines.append(
            f"- failed: {outcome.change.kind} `{outcome.change.proposal_id}`: {message}"
        )
    return "\n".join(lines)


def format_json(report: PublishReport) -> str:
    document = {
        "version": JSON_FORMAT_VERSION,
        "target": report.target,
        "applied": report.applied,
        "summary": {str(kind): report.plan.count(kind) for kind, _ in _SUMMARY_ORDER},
        "blocked": [change.proposal_id for change in report.plan.blocked()],
        "changes": [
            {
                "kind": str(change.kind),
                "proposal_id": change.proposal_id,
                "template_id": change.template_id,
                "fields": list(change.fields),
                "reason": change.reason,
            }
            for change in report.plan.changes
        ],
        "outcomes": [
            {
                "kind": str(outcome.change.kind),
                "proposal_id": outcome.change.proposal_id,
                "template_id": outcome.template_id,
                "ok": outcome.ok,
                "message": outcome.message,
            }
            for outcome in report.outcomes
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


FORMATTERS: dict[str, Callable[[PublishReport], str]] = {
    "text": format_text,
    "json": format_json,
    "markdown": format_markdown,
}
