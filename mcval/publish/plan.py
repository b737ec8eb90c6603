"""The plan: what must change in Credly to match the repository.

The plan compares the whole desired state with everything Credly holds, so a
dropped, repeated or out-of-order run changes nothing it should not.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from mcval.publish.desired import (
    ID_TAG_PREFIX,
    IMAGE_TAG_PREFIX,
    DesiredState,
    DesiredTemplate,
)

Record = dict[str, Any]

# Fields of a badge template that the repository decides; Credly's other
# fields (ids, counts, URLs, settings made in its web app) are left alone.
MANAGED_FIELDS = (
    "name",
    "description",
    "skills",
    "global_activity_url",
    "badge_template_activities",
    "alignments",
    "level",
    "time_to_earn",
    "type_category",
    "cost",
    "reporting_tags",
)
_ACTIVITY_KEYS = ("activity_type", "title", "activity_url")
_ALIGNMENT_KEYS = ("name", "url", "description")


class ChangeKind(enum.StrEnum):
    CREATE = "create"
    UPDATE = "update"
    UNARCHIVE = "unarchive"
    ARCHIVE = "archive"
    DELETE_DUPLICATE = "delete-duplicate"
    UNCHANGED = "unchanged"
    ARCHIVED = "archived"
    SKIP = "skip"


WRITES = frozenset(
    {
        ChangeKind.CREATE,
        ChangeKind.UPDATE,
        ChangeKind.UNARCHIVE,
        ChangeKind.ARCHIVE,
        ChangeKind.DELETE_DUPLICATE,
    }
)


@dataclass(frozen=True)
class Change:
    """One line of the plan: what happens to one proposal's badge template."""

    kind: ChangeKind
    proposal_id: str
    template_id: str | None = None
    fields: tuple[str, ...] = ()
    reason: str = ""
    desired: DesiredTemplate | None = None
    blocked: bool = False


@dataclass
class Plan:
    """Every change, in a stable order: by proposal id, then kind."""

    changes: list[Change] = field(default_factory=list)

    def writes(self) -> list[Change]:
        return [change for change in self.changes if change.kind in WRITES]

    def count(self, kind: ChangeKind) -> int:
        return sum(1 for change in self.changes if change.kind == kind)

    def blocked(self) -> list[Change]:
        """Return the proposals that should be in Credly but have errors."""
        return [change for change in self.changes if change.blocked]


def template_proposal_id(template: Record) -> str | None:
    """Return the proposal id in a template's reporting tags, if it has one."""
    for tag in template.get("reporting_tags") or []:
        if isinstance(tag, str) and tag.startswith(ID_TAG_PREFIX):
            return tag.removeprefix(ID_TAG_PREFIX)
    return None


def group_by_proposal(templates: Iterable[Record]) -> dict[str, list[Record]]:
    """Group the templates mcval manages by proposal id, oldest first."""
    groups: dict[str, list[Record]] = {}
    for template in templates:
        proposal_id = template_proposal_id(template)
        if proposal_id is not None:
            groups.setdefault(proposal_id, []).append(template)
    for group in groups.values():
        group.sort(key=lambda t: (str(t.get("created_at", "")), str(t.get("id", ""))))
    return groups


def make_plan(desired: DesiredState, templates: Iterable[Record]) -> Plan:
    """Compare the desired state with Credly's templates and list the changes."""
    groups = group_by_proposal(templates)
    changes: list[Change] = []
    for wanted in desired.templates:
        group = groups.pop(wanted.proposal_id, [])
        changes.extend(_changes_for(wanted, group))
    for skipped in desired.skipped:
        groups.pop(skipped.proposal_id, None)
        changes.append(
            Change(
                ChangeKind.SKIP,
                skipped.proposal_id,
                reason=skipped.reason,
                blocked=skipped.blocked,
            )
        )
    for proposal_id, group in groups.items():
        if proposal_id in desired.retired_ids:
            changes.extend(_retirements(proposal_id, group, "retired"))
        elif proposal_id in desired.present_ids:
            # The file is still there, only unreadable or misnamed: never
            # archive a badge in use because of a typo.
            reason = "its proposal file has errors, so the template is left as it is"
            change = Change(ChangeKind.SKIP, proposal_id, reason=reason, blocked=True)
            changes.append(change)
        else:
            changes.extend(_retirements(proposal_id, group, "proposal removed"))
    changes.sort(key=lambda change: change.proposal_id)
    return Plan(changes)


def _changes_for(wanted: DesiredTemplate, group: list[Record]) -> list[Change]:
    if not group:
        return [Change(ChangeKind.CREATE, wanted.proposal_id, desired=wanted)]
    kept, duplicates = group[0], group[1:]
    changes = [_duplicate(wanted.proposal_id, template) for template in duplicates]
    template_id = str(kept["id"])
    fields = changed_fields(wanted.payload, kept)
    if kept.get("state") == "archived":
        changes.append(
            Change(
                ChangeKind.UNARCHIVE,
                wanted.proposal_id,
                template_id,
                fields,
                desired=wanted,
            )
        )
    elif fields:
        changes.append(
            Change(
                ChangeKind.UPDATE,
                wanted.proposal_id,
                template_id,
                fields,
                desired=wanted,
            )
        )
    else:
        changes.append(Change(ChangeKind.UNCHANGED, wanted.proposal_id, template_id))
    return changes


def _retirements(proposal_id: str, group: list[Record], reason: str) -> list[Change]:
    changes = []
    for template in group:
        kind = (
            ChangeKind.ARCHIVED
            if template.get("state") == "archived"
            else ChangeKind.ARCHIVE
        )
        changes.append(Change(kind, proposal_id, str(template["id"]), reason=reason))
    return changes


def _duplicate(proposal_id: str, template: Record) -> Change:
    return Change(
        ChangeKind.DELETE_DUPLICATE,
        proposal_id,
        str(template["id"]),
        reason="a second template for the same proposal",
    )


def changed_fields(payload: Record, template: Record) -> tuple[str, ...]:
    """Return the managed fields whose values differ, with `image` for a new image."""
    changed = [
        name
        for name in MANAGED_FIELDS
        if _normalised(name, payload.get(name)) != _normalised(name, template.get(name))
    ]
    if _image_tag(payload) != _image_tag(template):
        changed.append("image")
        # The image digest lives in a reporting tag; name the image, not the tag.
        if _without_image_tag(payload) == _without_image_tag(template):
            changed.remove("reporting_tags")
    return tuple(changed)


def _without_image_tag(record: Record) -> list[str]:
    tags = record.get("reporting_tags") or []
    return sorted(str(tag) for tag in tags if not str(tag).startswith(IMAGE_TAG_PREFIX))


def _image_tag(record: Record) -> str | None:
    for tag in record.get("reporting_tags") or []:
        if isinstance(tag, str) and tag.startswith(IMAGE_TAG_PREFIX):
            return tag
    return None


def _normalised(name: str, value: Any) -> Any:
    """Return a field's value in a form that ignores what Credly adds or reorders."""
    if name == "skills":
        return sorted(_skill_name(skill) for skill in value or [])
    if name == "reporting_tags":
        return sorted(str(tag) for tag in value or [])
    if name == "badge_template_activities":
        return [_pick(item, _ACTIVITY_KEYS) for item in value or []]
    if name == "alignments":
        return [_pick(item, _ALIGNMENT_KEYS) for item in value or []]
    return value


def _skill_name(skill: Any) -> str:
    # Credly may return skills as objects with a name rather than as text.
    return str(skill.get("name")) if isinstance(skill, dict) else str(skill)


def _pick(item: Any, keys: tuple[str, ...]) -> tuple[Any, ...]:
    if not isinstance(item, dict):
        return (item,)
    return tuple(item.get(key) for key in keys)
