"""Formats an award plan and its outcomes as text, JSON or Markdown.

Learners' addresses are masked (a***@college.edu) unless the caller asks to
show them, and Markdown, which goes to CI job summaries, never names a
learner at all: rows are identified by file and row number.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from mcval.awards.issuing import AwardAction, AwardChange, AwardPlan, IssueOutcome
from mcval.awards.privacy import mask_email
from mcval.reporters import plural

JSON_FORMAT_VERSION = 1
_SUMMARY_ORDER = (
    (AwardAction.ISSUE, "to issue"),
    (AwardAction.REVOKE, "to revoke"),
    (AwardAction.ISSUED_BEFORE, "already issued"),
    (AwardAction.REVOKED_BEFORE, "already revoked"),
    (AwardAction.NOT_ISSUED, "to revoke but never issued"),
    (AwardAction.WITHHELD, "withheld for revocation"),
    (AwardAction.REFUSE, "refused"),
)
# Listed one per line; the rest are only counted, so a re-run stays short.
_LISTED = frozenset(
    {
        AwardAction.ISSUE,
        AwardAction.REVOKE,
        AwardAction.REFUSE,
        AwardAction.NOT_ISSUED,
        AwardAction.WITHHELD,
    }
)


@dataclass(frozen=True)
class AwardReport:
    """A plan, where it applies, its outcomes, and whether to show addresses."""

    plan: AwardPlan
    target: str
    applied: bool
    outcomes: list[IssueOutcome]
    show_personal_data: bool = False

    def failures(self) -> list[IssueOutcome]:
        return [outcome for outcome in self.outcomes if not outcome.ok]

    def email(self, change: AwardChange) -> str:
        return change.email if self.show_personal_data else mask_email(change.email)

    def reason(self, change: AwardChange) -> str:
        """Return the reason, leaving out a revocation's own words unless asked.

        Staff write those words, and they may name the learner.
        """
        if change.action == AwardAction.REVOKE and not self.show_personal_data:
            return "reason given in the revocation file"
        return change.reason


def _where(change: AwardChange) -> str:
    return f"{change.path}:{change.row}"


def _summary(plan: AwardPlan) -> str:
    counts = [
        f"{plan.count(action)} {label}"
        for action, label in _SUMMARY_ORDER
        if plan.count(action)
    ]
    return (", ".join(counts) or "no award rows") + "."


def _outcome_line(report: AwardReport) -> str:
    refused = report.plan.count(AwardAction.REFUSE)
    if not report.plan.writes():
        if refused:
            return f"Nothing to issue: {plural(refused, 'row')} refused, listed above."
        return "Nothing to issue or revoke: Credly already holds every award."
    if not report.applied:
        return "This is the plan only; run again with --apply to issue and revoke."
    failed = len(report.failures())
    done = sum(1 for outcome in report.outcomes if outcome.ok and outcome.changed)
    return f"Applied: {done} done, {failed} failed."


def format_text(report: AwardReport) -> str:
    lines = [f"Award plan for {report.target}:"]
    for change in report.plan.changes:
        if change.action not in _LISTED:
            continue
        reason = f"  ({report.reason(change)})" if change.reason else ""
        lines.append(
            f"  {change.action:<18}{_where(change)}  {change.credential}"
            f"  {report.email(change)}{reason}"
        )
    lines += ["", "Summary: " + _summary(report.plan), _outcome_line(report)]
    for outcome in report.failures():
        change = outcome.change
        lines.append(f"  failed: {change.action} {_where(change)}: {outcome.message}")
    return "\n".join(lines)


def format_markdown(report: AwardReport) -> str:
    lines = [
        "## Credly awards",
        "",
        f"Target: {report.target}",
        "",
        "| change | row | credential | details |",
        "|---|---|---|---|",
    ]
    for change in report.plan.changes:
        if change.action in _LISTED:
            reason = report.reason(change).replace("|", "\\|")
            lines.append(
                f"| {change.action} | `{_where(change)}` | `{change.credential}`"
                f" | {reason} |"
            )
    lines += ["", f"**Summary:** {_summary(report.plan)}", "", _outcome_line(report)]
    for outcome in report.failures():
        message = outcome.message.replace("|", "\\|")
        lines.append(
            f"- failed: {outcome.change.action} `{_where(outcome.change)}`: {message}"
        )
    return "\n".join(lines)


def format_json(report: AwardReport) -> str:
    outcomes = {id(outcome.change): outcome for outcome in report.outcomes}
    changes = []
    for change in report.plan.changes:
        outcome = outcomes.get(id(change))
        changes.append(
            {
                "action": str(change.action),
                "path": change.path,
                "row": change.row,
                "credential": change.credential,
                "email": report.email(change),
                "reason": report.reason(change),
                "badge_id": outcome.badge_id if outcome else change.badge_id,
                "ok": outcome.ok if outcome else None,
                "message": outcome.message if outcome else "",
            }
        )
    document = {
        "version": JSON_FORMAT_VERSION,
        "target": report.target,
        "applied": report.applied,
        "summary": {str(a): report.plan.count(a) for a, _ in _SUMMARY_ORDER},
        "failed": len(report.failures()),
        "changes": changes,
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


FORMATTERS: dict[str, Callable[[AwardReport], str]] = {
    "text": format_text,
    "json": format_json,
    "markdown": format_markdown,
}
