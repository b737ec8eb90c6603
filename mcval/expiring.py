"""Proposals that need attention soon: a review date that is near or past,
or awarded badges whose validity ends within the window."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from mcval.awards.awardset import check_awards
from mcval.awards.badges import add_months
from mcval.repository import Repository
from mcval.rules.base import parse_date

# Statuses whose proposals are in use, so their dates matter.
ACTIVE_STATUSES = frozenset({"approved", "published"})


@dataclass(frozen=True)
class Attention:
    """One reason a proposal needs attention by a date."""

    proposal_id: str
    path: str
    status: str
    due: dt.date
    reason: str


# Ten years: long enough for any review cycle, short enough for date arithmetic.
MAX_WINDOW_DAYS = 3650


def parse_window(text: str) -> dt.timedelta:
    """Return the window `text` names: days (`90d` or `90`) or weeks (`12w`)."""
    value = text.strip().lower()
    unit = value[-1] if value and value[-1] in "dw" else "d"
    number = value[:-1] if value and value[-1] in "dw" else value
    if not number.isdigit():
        raise ValueError(
            f"'{text}' is not a number of days or weeks, such as 90d or 12w"
        )
    days = int(number) * (7 if unit == "w" else 1)
    if days > MAX_WINDOW_DAYS:
        raise ValueError(f"'{text}' is more than {MAX_WINDOW_DAYS} days ahead")
    return dt.timedelta(days=days)


def find_attention(
    repository: Repository, today: dt.date, window: dt.timedelta
) -> list[Attention]:
    """Return every review date and badge expiry due by `today + window`,
    soonest first. Review dates already past are included."""
    end = today + window
    items: list[Attention] = []
    for document in repository.proposals:
        status = document.get(("status",))
        proposal_id = document.get(("id",))
        if status not in ACTIVE_STATUSES or not isinstance(proposal_id, str):
            continue
        review_by = parse_date(document.get(("review_by",)))
        if review_by is not None and review_by <= end:
            state = "was due" if review_by < today else "is due"
            items.append(
                Attention(
                    proposal_id,
                    document.path,
                    str(status),
                    review_by,
                    f"the workgroup review {state} on {review_by}",
                )
            )
    items.extend(_expiring_badges(repository, today, end))
    return sorted(items, key=lambda item: (item.due, item.proposal_id))


def _expiring_badges(
    repository: Repository, today: dt.date, end: dt.date
) -> list[Attention]:
    """Return, per proposal, the awarded badges whose validity ends in the window."""
    months = _valid_months(repository)
    awards = check_awards(repository, today=today)
    revoked = {(row.credential, row.email) for row in awards.revocations}
    ending: dict[str, list[dt.date]] = {}
    for row in awards.awards:
        if row.credential not in months or (row.credential, row.email) in revoked:
            continue
        expires = add_months(row.date_earned, months[row.credential])
        if today <= expires <= end:
            ending.setdefault(row.credential, []).append(expires)
    paths = {
        str(document.get(("id",))): (document.path, str(document.get(("status",))))
        for document in repository.proposals
    }
    items = []
    for credential, dates in ending.items():
        path, status = paths[credential]
        count = len(dates)
        items.append(
            Attention(
                credential,
                path,
                status,
                min(dates),
                f"{count} awarded badge{'' if count == 1 else 's'} expire"
                f"{'s' if count == 1 else ''} between {min(dates)} and {max(dates)}",
            )
        )
    return items


def _valid_months(repository: Repository) -> dict[str, int]:
    """Return how many months a badge of each expiring proposal stays valid."""
    months: dict[str, int] = {}
    for document in repository.proposals:
        expiration = document.get(("expiration",))
        proposal_id = document.get(("id",))
        if not isinstance(expiration, dict) or expiration.get("expires") is not True:
            continue
        valid_for = expiration.get("valid_for") or {}
        amount = valid_for.get("amount") if isinstance(valid_for, dict) else None
        if isinstance(proposal_id, str) and isinstance(amount, int):
            unit = valid_for.get("unit")
            months[proposal_id] = amount * 12 if unit == "years" else amount
    return months


def format_attention(items: list[Attention], window: str, markdown: bool) -> str:
    """Return the list as text for a terminal, or as Markdown for a job summary."""
    if markdown:
        lines = [f"## Proposals that need attention within {window}", ""]
        if not items:
            return "\n".join([*lines, "Nothing is due."])
        lines += ["| Due | Proposal | Status | What |", "|---|---|---|---|"]
        lines += [
            f"| {i.due} | `{i.proposal_id}` | {i.status} | {i.reason} |" for i in items
        ]
        return "\n".join(lines)
    if not items:
        return f"Nothing is due within {window}."
    lines = [f"{i.path}: {i.status} '{i.proposal_id}': {i.reason}" for i in items]
    lines.append(f"{len(items)} item{'' if len(items) == 1 else 's'} need attention.")
    return "\n".join(lines)
