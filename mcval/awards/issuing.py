"""Planning and issuing badges for award rows, at most one badge per award.

The plan reads the badges in Credly for every template involved and issues
only the missing ones, so reading old award files again on every run issues
nothing twice. Each badge carries an issuer_earner_id, so Credly's own rule
against duplicate badges backs this. When Credly rejects a badge because the
learner already has it, a lookup confirms that and it counts as issued.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from mcval.awards.badges import badge_payload, earner_id
from mcval.awards.model import AwardRow, RevocationRow
from mcval.credly import CredlyClient
from mcval.errors import CredlyError
from mcval.progress import CompletionCounter
from mcval.publish.plan import group_by_proposal
from mcval.repository import Repository

logger = logging.getLogger(__name__)

Record = dict[str, Any]
Progress = Callable[[int, int], None]
HELD_STATES = frozenset({"pending", "accepted"})


class AwardAction(enum.StrEnum):
    ISSUE = "issue"
    ISSUED_BEFORE = "already-issued"
    REFUSE = "refuse"
    REVOKE = "revoke"
    REVOKED_BEFORE = "already-revoked"
    NOT_ISSUED = "nothing-to-revoke"
    WITHHELD = "withheld"


WRITES = frozenset({AwardAction.ISSUE, AwardAction.REVOKE})


@dataclass(frozen=True)
class AwardChange:
    """The planned action for one award or revocation row."""

    action: AwardAction
    path: str
    row: int
    credential: str
    email: str
    reason: str = ""
    template_id: str | None = None
    badge_id: str | None = None
    payload: Record | None = None


@dataclass
class AwardPlan:
    changes: list[AwardChange] = field(default_factory=list)

    def writes(self) -> list[AwardChange]:
        return [change for change in self.changes if change.action in WRITES]

    def count(self, action: AwardAction) -> int:
        return sum(1 for change in self.changes if change.action == action)


@dataclass(frozen=True)
class IssueOutcome:
    """The result of applying one change."""

    change: AwardChange
    ok: bool
    message: str = ""
    badge_id: str | None = None
    # False when Credly already held the badge, issued by a concurrent run.
    changed: bool = True


@dataclass(frozen=True)
class IssueTiming:
    """The stated time zone and local time at which a day's awards are issued."""

    zone: ZoneInfo
    time_of_day: dt.time


def plan_awards(
    client: CredlyClient,
    repository: Repository,
    awards: Iterable[AwardRow],
    revocations: Iterable[RevocationRow],
    timing: IssueTiming,
) -> AwardPlan:
    """Compare the award rows with the badges in Credly and list the changes."""
    awards = _first_of_each(awards)
    revocations = list(revocations)
    templates = _templates_by_credential(client)
    wanted = {row.credential for row in awards} | {
        row.credential for row in revocations
    }
    # Archived templates are read too: their badges still count as issued, and
    # a revocation must still reach them.
    involved = {c: t for c, t in templates.items() if c in wanted}
    held = _issued_badges(client, involved)
    revoked_keys = {(row.credential, row.email) for row in revocations}
    expirations = _expirations(repository)

    changes = [
        _award_change(row, templates, held, revoked_keys, expirations, timing)
        for row in awards
    ]
    changes += [_revocation_change(row, templates, held) for row in revocations]
    return AwardPlan(changes)


def _first_of_each(awards: Iterable[AwardRow]) -> list[AwardRow]:
    """Keep the first row of each credential and learner; the check reports repeats."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for row in awards:
        key = (row.credential, row.email)
        if key not in seen:
            seen.add(key)
            kept.append(row)
    return kept


def _templates_by_credential(client: CredlyClient) -> dict[str, Record]:
    groups = group_by_proposal(client.list_all_badge_templates())
    return {credential: group[0] for credential, group in groups.items()}


def _issued_badges(
    client: CredlyClient, templates: dict[str, Record]
) -> dict[str, list[Record]]:
    """Return every badge issued from each template, all pages, read at once."""
    credentials = sorted(templates)
    calls = [
        functools.partial(
            client.list_all_issued_badges,
            {"badge_template_id": str(templates[credential]["id"])},
        )
        for credential in credentials
    ]
    return dict(zip(credentials, client.run_batch(calls), strict=True))


def _expirations(repository: Repository) -> dict[str, Any]:
    return {
        str(document.get(("id",))): document.get(("expiration",))
        for document in repository.proposals
    }


def _find(badges: list[Record], credential: str, email: str) -> Record | None:
    """Return this learner's badge of the template: a held one first, else revoked."""
    earner = earner_id(credential, email)
    mine = [
        badge
        for badge in badges
        if badge.get("issuer_earner_id") == earner
        or str(badge.get("recipient_email", "")).lower() == email
    ]
    held = [badge for badge in mine if badge.get("state") in HELD_STATES]
    if held:
        return held[0]
    return mine[0] if mine else None


def _award_change(
    row: AwardRow,
    templates: dict[str, Record],
    held: dict[str, list[Record]],
    revoked_keys: set[tuple[str, str]],
    expirations: dict[str, Any],
    timing: IssueTiming,
) -> AwardChange:
    base = AwardChange(AwardAction.REFUSE, row.path, row.row, row.credential, row.email)
    template = templates.get(row.credential)
    if template is None:
        reason = "the credential has no badge template in Credly yet; publish it first"
        return _with(base, reason=reason)
    template_id = str(template["id"])
    badge = _find(held.get(row.credential, []), row.credential, row.email)
    if badge is not None:
        action = AwardAction.ISSUED_BEFORE
        note = "" if badge.get("state") in HELD_STATES else "revoked in Credly"
        return _with(base, action=action, reason=note, badge_id=str(badge.get("id")))
    if (row.credential, row.email) in revoked_keys:
        reason = "listed for revocation, so it is not issued"
        return _with(base, action=AwardAction.WITHHELD, reason=reason)
    if template.get("state") == "archived":
        reason = "the credential's badge template is archived in Credly"
        return _with(base, reason=reason)
    payload = badge_payload(
        row,
        template_id,
        expirations.get(row.credential),
        timing.zone,
        timing.time_of_day,
    )
    return _with(
        base, action=AwardAction.ISSUE, template_id=template_id, payload=payload
    )


def _revocation_change(
    row: RevocationRow, templates: dict[str, Record], held: dict[str, list[Record]]
) -> AwardChange:
    base = AwardChange(
        AwardAction.NOT_ISSUED, row.path, row.row, row.credential, row.email
    )
    template = templates.get(row.credential)
    badge = (
        _find(held.get(row.credential, []), row.credential, row.email)
        if template
        else None
    )
    if badge is None:
        return _with(base, reason="no badge was issued for this award")
    badge_id = str(badge.get("id"))
    if badge.get("state") not in HELD_STATES:
        return _with(base, action=AwardAction.REVOKED_BEFORE, badge_id=badge_id)
    return _with(base, action=AwardAction.REVOKE, reason=row.reason, badge_id=badge_id)


def _with(change: AwardChange, **values: Any) -> AwardChange:
    return AwardChange(**{**change.__dict__, **values})


def apply_awards(
    client: CredlyClient, plan: AwardPlan, progress: Progress | None = None
) -> list[IssueOutcome]:
    """Issue and revoke as planned; each change succeeds or fails on its own."""
    writes = plan.writes()
    done = CompletionCounter(len(writes), progress)
    return client.run_batch(
        functools.partial(_apply_counted, client, change, done) for change in writes
    )


def _apply_counted(
    client: CredlyClient, change: AwardChange, done: CompletionCounter
) -> IssueOutcome:
    try:
        return _apply_one(client, change)
    finally:
        done.step()


def _apply_one(client: CredlyClient, change: AwardChange) -> IssueOutcome:
    changed = True
    try:
        if change.action == AwardAction.REVOKE:
            badge = client.revoke_badge(str(change.badge_id), change.reason)
        else:
            badge, changed = _issue(client, change)
    except CredlyError as exc:
        if exc.stops_run:
            raise  # Every other request would fail the same way.
        logger.warning(
            "%s of %s row %d failed: %s",
            change.action,
            change.path,
            change.row,
            exc.message,
        )
        return IssueOutcome(change, ok=False, message=exc.message)
    message = "" if changed else "already issued by another run"
    badge_id = str(badge.get("id"))
    return IssueOutcome(change, True, message, badge_id, changed)


def _issue(client: CredlyClient, change: AwardChange) -> tuple[Record, bool]:
    """Issue the badge; return it and whether this call created it."""
    payload = change.payload or {}
    template_id = str(change.template_id)
    earner = str(payload.get("issuer_earner_id"))

    def lookup() -> Record | None:
        return client.find_issued_badge(template_id, earner)

    try:
        return client.issue_badge(payload, lookup=lookup), True
    except CredlyError as exc:
        # "User already has this badge": another run issued it after all.
        found = lookup() if exc.status == 422 else None
        if found is None:
            raise
        return found, False
