"""Badge template and issued badge records of the Credly stand-in.

Records are plain JSON objects shaped like Credly's responses, so the state
file and the HTTP bodies use the same form. Credly's exact validation texts are
mostly undocumented, so the messages here are modelled on its Rails-style errors.
The exceptions are "Invalid or missing Badge Template ID: <id>" and "User
already has this badge", which appear in public client code and fixtures.
"""

import re
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

Record = dict[str, Any]

MIN_SKILLS = 3
ISSUED_AT_FORMAT = "%Y-%m-%d %H:%M:%S %z"
TEMPLATE_FIELDS = (
    "name",
    "description",
    "skills",
    "global_activity_url",
    "badge_template_activities",
    "alignments",
    "recommendations",
    "reporting_tags",
    "cost",
    "level",
    "time_to_earn",
    "type_category",
    "translatable",
    "lock_badge_state",
    "allow_duplicate_badges",
    "linkedin_share_default_message",
)
BADGE_REQUIRED_FIELDS = (
    "recipient_email",
    "issued_to_first_name",
    "issued_to_last_name",
    "issued_at",
)
BADGE_OPTIONAL_FIELDS = (
    "issued_to_middle_name",
    "issuer_earner_id",
    "suppress_badge_notification_email",
    "country_name",
    "state_or_province",
    "evidence",
)


class StubError(Exception):
    """A request that the stand-in rejects with ``status`` and Credly's message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def iso_utc(moment: datetime) -> str:
    """Format a time as Credly does: ISO-8601 UTC with milliseconds and a Z."""
    utc = moment.astimezone(UTC)
    return f"{utc:%Y-%m-%dT%H:%M:%S}.{utc.microsecond // 1000:03d}Z"


def parse_time(value: object, field: str) -> datetime:
    """Parse ``YYYY-MM-DD HH:MM:SS ±ZZZZ`` or ISO-8601 into an aware datetime.

    A time without a zone is read as UTC.
    """
    if not isinstance(value, str) or not value.strip():
        raise StubError(422, f"{_label(field)} can't be blank")
    text = value.strip()
    try:
        moment = datetime.strptime(text, ISSUED_AT_FORMAT)
    except ValueError:
        moment = _parse_iso(text, field)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def new_template(payload: Mapping[str, Any], now: datetime, base_url: str) -> Record:
    """Build and validate a badge template record from a create request."""
    template_id = str(uuid.uuid4())
    stamp = iso_utc(now)
    record: Record = {
        "id": template_id,
        "state": "active",
        "public": True,
        "visibility": "public",
        "recipient_type": "User",
        "allow_duplicate_badges": False,
        "skills": [],
        "reporting_tags": [],
        "alignments": [],
        "recommendations": [],
        "url": f"{base_url}/badges/{template_id}",
        "created_at": stamp,
        "updated_at": stamp,
        "state_updated_at": stamp,
    }
    return update_template(record, payload, now)


def update_template(
    record: Record, payload: Mapping[str, Any], now: datetime
) -> Record:
    """Return a validated copy of the template with the request's fields applied."""
    updated = dict(record)
    for field in TEMPLATE_FIELDS:
        if field in payload:
            updated[field] = payload[field]
    if "image" in payload:
        updated.update(_image_fields(payload["image"], str(record["id"])))
    updated["criteria_url"] = updated.get("global_activity_url")
    updated["vanity_slug"] = _slug(str(updated.get("name") or ""))
    _number_items(updated, "badge_template_activities")
    _number_items(updated, "alignments")
    validate_template(updated)
    updated["updated_at"] = iso_utc(now)
    return updated


def validate_template(record: Mapping[str, Any]) -> None:
    """Raise StubError 422 listing every rule the template breaks."""
    problems = [
        *_blank_problems(record, ("name", "description", "global_activity_url")),
        *_image_problems(record),
        *_skill_problems(record.get("skills")),
        *_activity_problems(record.get("badge_template_activities")),
    ]
    if problems:
        raise StubError(422, ", ".join(problems))


def new_badge(
    payload: Mapping[str, Any], template: Record, now: datetime, base_url: str
) -> Record:
    """Build an issued badge record in state ``pending`` from a valid request."""
    issued_at = parse_time(payload.get("issued_at"), "issued_at")
    badge_id = str(uuid.uuid4())
    stamp = iso_utc(now)
    first = str(payload["issued_to_first_name"])
    last = str(payload["issued_to_last_name"])
    record: Record = {field: payload.get(field) for field in BADGE_OPTIONAL_FIELDS}
    record.update(
        {
            "id": badge_id,
            "state": "pending",
            "badge_template_id": template["id"],
            "recipient_email": str(payload["recipient_email"]),
            "issued_to_first_name": first,
            "issued_to_last_name": last,
            "issued_to": f"{first} {last}",
            "locale": payload.get("locale") or "en",
            "public": False,
            "revocation_reason": None,
            "replaces_badge_id": None,
            "replacement_badge_id": None,
            "image_url": template.get("image_url"),
            "badge_url": f"{base_url}/badges/{badge_id}",
            "accept_badge_url": f"{base_url}/badges/{badge_id}/accept",
            "issued_at": iso_utc(issued_at),
            "issued_at_date": f"{issued_at.astimezone(UTC):%Y-%m-%d}",
            "created_at": stamp,
            "updated_at": stamp,
            "state_updated_at": stamp,
        }
    )
    record.update(_expiry_fields(payload.get("expires_at")))
    return record


def check_badge_fields(payload: Mapping[str, Any]) -> None:
    """Raise StubError 422 when a required field of an issue request is blank."""
    problems = _blank_problems(payload, BADGE_REQUIRED_FIELDS)
    if problems:
        raise StubError(422, ", ".join(problems))
    if "@" not in str(payload["recipient_email"]):
        raise StubError(422, "Recipient email is invalid")
    parse_time(payload["issued_at"], "issued_at")


def revoke(record: Record, reason: object, now: datetime) -> Record:
    """Return a revoked copy of the badge, or the badge itself if already revoked."""
    if record["state"] == "revoked":
        return record
    if not isinstance(reason, str) or not reason.strip():
        raise StubError(422, "Reason can't be blank")
    stamp = iso_utc(now)
    return {
        **record,
        "state": "revoked",
        "revocation_reason": reason,
        "updated_at": stamp,
        "state_updated_at": stamp,
    }


def set_template_state(record: Record, state: str, now: datetime) -> Record:
    """Return a copy of the template in ``state``, or the template if already there."""
    if record["state"] == state:
        return record
    stamp = iso_utc(now)
    return {**record, "state": state, "updated_at": stamp, "state_updated_at": stamp}


def _parse_iso(text: str, field: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise StubError(422, f"{_label(field)} is invalid: {text}") from None


def _expiry_fields(value: object) -> Record:
    # None means the template default (the stand-in has none), False means never.
    if value is None or value is False:
        return {"expires_at": None, "expires_at_date": None}
    expires = parse_time(value, "expires_at")
    return {
        "expires_at": iso_utc(expires),
        "expires_at_date": f"{expires.astimezone(UTC):%Y-%m-%d}",
    }


def _image_fields(image: object, template_id: str) -> Record:
    if isinstance(image, Mapping):
        url = image.get("remote_upload_url")
    else:
        url = f"https://images.example.invalid/{template_id}.png" if image else None
    if not url:
        return {"image": None, "image_url": None}
    return {"image": {"id": template_id, "url": url}, "image_url": url}


def _blank_problems(record: Mapping[str, Any], fields: tuple[str, ...]) -> list[str]:
    return [
        f"{_label(field)} can't be blank"
        for field in fields
        if not isinstance(record.get(field), str) or not record[field].strip()
    ]


def _image_problems(record: Mapping[str, Any]) -> list[str]:
    return [] if record.get("image_url") else ["Image can't be blank"]


def _skill_problems(skills: object) -> list[str]:
    if not isinstance(skills, list) or not all(isinstance(s, str) for s in skills):
        return ["Skills must be a list of names"]
    distinct = {skill.strip().lower() for skill in skills if skill.strip()}
    if len(distinct) < MIN_SKILLS:
        return ["At least three skills are required"]
    return []


def _activity_problems(activities: object) -> list[str]:
    if not isinstance(activities, list) or not activities:
        return ["At least one badge template activity is required"]
    if not all(isinstance(activity, dict) for activity in activities):
        return ["Badge template activities must be objects"]
    return []


def _number_items(record: Record, field: str) -> None:
    items = record.get(field)
    if not isinstance(items, list):
        return
    record[field] = [
        {**item, "id": item.get("id") or str(uuid.uuid4())}
        if isinstance(item, dict)
        else item
        for item in items
    ]


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _label(field: str) -> str:
    return field.replace("_", " ").capitalize()
