"""The review document of one proposal: what a dean reads before approving.

It lays the proposal out for reading, with rubric tables, the award process,
each signature's status, the proposal's findings (overlap and gap findings
included), and what changed since a base revision. The templates in
templates/review/ turn it into Markdown or HTML.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
from typing import Any

from mcval.document import Document
from mcval.errors import UsageError
from mcval.findings import Finding
from mcval.history import RepositoryHistory, load_history
from mcval.history.diff import competency_changes, other_changes
from mcval.repository import Repository, load_repository
from mcval.rules.approvals import REQUIRED_SIGNATURES, SIGNATURE_ORDER
from mcval.rules.process import AWARD_QUESTIONS
from mcval.settings import Config, ValidateSettings
from mcval.validation import validate_repository

ROLE_NAMES = {
    "program": "Program",
    "area": "Area",
    "unit": "Unit",
    "vice-president": "Vice president or designee",
    "wdce-evaluation": "WDCE evaluation",
}
# Signature findings other than MC705 (stale): missing, unauthorized, dated
# in the future or out of order.
_INVALID_SIGNATURE_CODES = frozenset({"MC702", "MC703", "MC704"})


def review_values(
    root: Any, config: Config, proposal_id: str, since: str | None, today: dt.date
) -> dict[str, Any]:
    """Load and validate the repository, and return the template values for
    the review document of proposal `proposal_id`."""
    repository = load_repository(root, config)
    history = load_history(repository, since, today)
    document = _find_proposal(repository, proposal_id)
    # Report every finding of the proposal, not only those of changed files.
    everything = dataclasses.replace(history, changed_paths=None, removed=[])
    result = validate_repository(
        repository, ValidateSettings(root, config, today=today), everything
    )
    findings = [f for f in result.findings if f.path == document.path]
    return {
        "proposal": _readable(document.data),
        "path": document.path,
        "unit_names": repository.unit_names(),
        "award_questions": AWARD_QUESTIONS,
        "signatures": _signatures(document, findings),
        "findings": [_finding_values(f) for f in findings],
        "changes": _changes(history, document, since),
        "today": today.isoformat(),
    }


def _find_proposal(repository: Repository, proposal_id: str) -> Document:
    matches = repository.proposal_ids().get(proposal_id, [])
    if matches:
        return matches[0]
    known = sorted(repository.proposal_ids())
    close = difflib.get_close_matches(proposal_id, known, n=1)
    guess = f"; did you mean '{close[0]}'?" if close else ""
    raise UsageError(
        f"there is no proposal with the id '{proposal_id}'{guess}",
        hint="the id is the proposal's file name without .yaml; run mcval validate"
        " for the list",
    )


def _signatures(document: Document, findings: list[Finding]) -> list[dict[str, Any]]:
    """Return one row per signature role in approval order, with its status:
    valid, stale, invalid, missing (required now) or not yet due."""
    status = document.get(("status",))
    required = REQUIRED_SIGNATURES.get(status if isinstance(status, str) else "", ())
    signatures = document.get(("signatures",), [])
    rows = []
    for role in SIGNATURE_ORDER:
        index = _signature_index(signatures, role)
        if index is None:
            state = "missing" if role in required else "not yet due"
            rows.append(
                {
                    "role": ROLE_NAMES[role],
                    "name": "",
                    "date": "",
                    "state": state,
                    "notes": [],
                }
            )
            continue
        own = _signature_findings(document, index, findings)
        notes = [finding.message for finding in own]
        codes = {finding.code for finding in own}
        state = "valid"
        if codes & _INVALID_SIGNATURE_CODES:
            state = "invalid"
        elif "MC705" in codes:
            state = "stale"
        signature = signatures[index]
        rows.append(
            {
                "role": ROLE_NAMES[role],
                "name": signature.get("name", ""),
                "date": signature.get("date", ""),
                "state": state,
                "notes": notes,
            }
        )
    return rows


def _signature_index(signatures: Any, role: str) -> int | None:
    if not isinstance(signatures, list):
        return None
    for index, signature in enumerate(signatures):
        if isinstance(signature, dict) and signature.get("role") == role:
            return index
    return None


def _signature_findings(
    document: Document, index: int, findings: list[Finding]
) -> list[Finding]:
    prefix = ("signatures", index)
    lines = {
        position.line
        for path, position in document.value_positions.items()
        if path[:2] == prefix
    }
    return [
        finding
        for finding in findings
        if finding.code.startswith("MC70") and finding.position.line in lines
    ]


def _finding_values(finding: Finding) -> dict[str, Any]:
    return {
        "code": finding.code,
        "severity": str(finding.severity),
        "line": finding.position.line,
        "message": finding.message,
    }


def _changes(
    history: RepositoryHistory, document: Document, since: str | None
) -> dict[str, Any] | None:
    """Return what changed since the base revision, None without --since."""
    if since is None or history.base is None:
        return None
    own = history.of(document.path)
    if history.base.sha is None:
        return {"since": since, "new": True, "reason": history.base.reason}
    if own.base_data is None:
        return {"since": since, "new": True, "reason": "the proposal is new"}
    return {
        "since": since,
        "new": False,
        "reason": "",
        "old_status": own.base_data.get("status"),
        "competencies": competency_changes(own.base_data, document.data),
        "other": other_changes(own.base_data, document.data),
    }


def _readable(data: dict[str, Any]) -> dict[str, Any]:
    """Return a copy of proposal `data` with every section the templates read,
    so a draft with missing sections still renders, showing them as not given."""
    proposal = {
        "title": "(no title)",
        "summary": "",
        "status": "draft",
        "need": {},
        "alignments": [],
        "award_process": {},
        "expiration": {},
        **data,
    }
    sponsor = data.get("sponsor")
    proposal["sponsor"] = {
        "unit": "",
        "program": "",
        **(sponsor if isinstance(sponsor, dict) else {}),
    }
    competencies = data.get("competencies")
    proposal["competencies"] = [
        {
            "statement": "(no statement)",
            **item,
            "assessment": _mapping(item.get("assessment")),
        }
        for item in (competencies if isinstance(competencies, list) else [])
        if isinstance(item, dict)
    ]
    for name in ("need", "award_process", "expiration"):
        proposal[name] = _mapping(proposal[name])
    return proposal


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
