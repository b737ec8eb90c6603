"""The Credly badge request for one award: ids, dates and expiry.

`issuer_earner_id` is derived from the credential and the learner's e-mail,
so the same award always carries the same id. Credly's own duplicate rule
then backs the check mcval makes before issuing.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
from typing import Any
from zoneinfo import ZoneInfo

from mcval.awards.model import AwardRow

EARNER_ID_PREFIX = "mcval-"
CREDLY_TIME_FORMAT = "%Y-%m-%d %H:%M:%S %z"


def earner_id(credential: str, email: str) -> str:
    """Return the stable issuer_earner_id of a learner's award of a credential.

    It is a digest, not the address, so the id reveals nothing about the
    learner to anyone who reads it.
    """
    digest = hashlib.sha256(f"{credential}\n{email.strip().lower()}".encode())
    return EARNER_ID_PREFIX + digest.hexdigest()[:32]


def issued_at(date_earned: dt.date, zone: ZoneInfo, time_of_day: dt.time) -> str:
    """Return when a badge counts as issued: the date earned at a set local time."""
    moment = dt.datetime.combine(date_earned, time_of_day, tzinfo=zone)
    return moment.strftime(CREDLY_TIME_FORMAT)


def expires_at(
    date_earned: dt.date,
    expiration: Any,
    zone: ZoneInfo,
    time_of_day: dt.time,
) -> str | None:
    """Return when the badge expires under the proposal's expiration, if it does."""
    if not isinstance(expiration, dict) or expiration.get("expires") is not True:
        return None
    valid_for = expiration.get("valid_for") or {}
    amount = int(valid_for.get("amount", 0))
    months = amount * 12 if valid_for.get("unit") == "years" else amount
    return issued_at(add_months(date_earned, months), zone, time_of_day)


def add_months(day: dt.date, months: int) -> dt.date:
    """Return the same day `months` later, or the month's last day if it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last_day))


def badge_payload(
    award: AwardRow,
    template_id: str,
    expiration: Any,
    zone: ZoneInfo,
    time_of_day: dt.time,
) -> dict[str, Any]:
    """Return the body of the Credly request that issues this award."""
    payload: dict[str, Any] = {
        "recipient_email": award.email,
        "badge_template_id": template_id,
        "issued_to_first_name": award.first_name,
        "issued_to_last_name": award.last_name,
        "issued_at": issued_at(award.date_earned, zone, time_of_day),
        "issuer_earner_id": earner_id(award.credential, award.email),
    }
    if award.middle_name:
        payload["issued_to_middle_name"] = award.middle_name
    expiry = expires_at(award.date_earned, expiration, zone, time_of_day)
    if expiry is not None:
        payload["expires_at"] = expiry
    if award.evidence_url:
        # NOTE: Credly's evidence field shape comes from client code, not from
        # Credly's documentation.
        payload["evidence"] = [
            {"type": "UrlEvidence", "name": "Evidence", "url": award.evidence_url}
        ]
    return payload
