"""Carrying out a plan against Credly, on several threads at once.

Each change succeeds or fails on its own, so one rejected template does not
stop the others. After new templates are created the list is read again, and
if a concurrent run created the same template too, the newer copies go.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mcval.credly import CredlyClient
from mcval.errors import CredlyError
from mcval.progress import CompletionCounter
from mcval.publish.desired import ID_TAG_PREFIX, DesiredTemplate, id_tag
from mcval.publish.plan import Change, ChangeKind, Plan, group_by_proposal

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
DUPLICATE_TAG_PREFIX = "mcval-duplicate:"


@dataclass(frozen=True)
class Outcome:
    """The result of applying one change."""

    change: Change
    ok: bool
    template_id: str | None = None
    message: str = ""
    # False when Credly already was as planned, such as a duplicate that a
    # concurrent run had deleted first.
    changed: bool = True


def apply_plan(
    client: CredlyClient, plan: Plan, progress: Progress | None = None
) -> list[Outcome]:
    """Apply every write in the plan and return one outcome per write."""
    writes = plan.writes()
    counter = CompletionCounter(len(writes), progress)
    calls = [
        functools.partial(_apply_counted, client, change, counter) for change in writes
    ]
    outcomes = client.run_batch(calls)
    if any(o.ok and o.change.kind == ChangeKind.CREATE for o in outcomes):
        outcomes += remove_duplicates(client)
    return outcomes


def _apply_counted(
    client: CredlyClient, change: Change, counter: CompletionCounter
) -> Outcome:
    try:
        return _apply_one(client, change)
    finally:
        counter.step()


def _apply_one(client: CredlyClient, change: Change) -> Outcome:
    try:
        template_id, changed = _ACTIONS[change.kind](client, change)
    except CredlyError as exc:
        if exc.stops_run:
            raise  # Every other change would fail the same way.
        logger.warning(
            "%s of %s failed: %s", change.kind, change.proposal_id, exc.message
        )
        return Outcome(
            change, ok=False, template_id=change.template_id, message=exc.message
        )
    message = "" if changed else "already done by another run"
    return Outcome(
        change, ok=True, template_id=template_id, message=message, changed=changed
    )


def _create(client: CredlyClient, change: Change) -> tuple[str, bool]:
    desired = _desired(change)
    payload = {**desired.payload, "image": desired.image_data}
    tag = id_tag(change.proposal_id)
    created = client.create_badge_template(
        payload, lookup=lambda: client.find_badge_template(tag)
    )
    return str(created["id"]), True


def _update(client: CredlyClient, change: Change) -> tuple[str, bool]:
    template_id = _template_id(change)
    client.update_badge_template(template_id, _update_payload(change))
    return template_id, True


def _unarchive(client: CredlyClient, change: Change) -> tuple[str, bool]:
    template_id = _template_id(change)
    client.unarchive_badge_template(template_id)
    if change.fields:
        client.update_badge_template(template_id, _update_payload(change))
    return template_id, True


def _archive(client: CredlyClient, change: Change) -> tuple[str, bool]:
    template_id = _template_id(change)
    client.archive_badge_template(template_id)
    return template_id, True


def _delete_duplicate(client: CredlyClient, change: Change) -> tuple[str, bool]:
    template_id = _template_id(change)
    try:
        deleted = client.delete_badge_template(template_id)
    except CredlyError as exc:
        if exc.status != 422:
            raise
        # Credly keeps a template that has issued badges: archive it and drop
        # its proposal tag, so no later run counts it again.
        _retire_duplicate(client, template_id)
        return template_id, True
    return template_id, deleted


def _retire_duplicate(client: CredlyClient, template_id: str) -> None:
    template = client.get_badge_template(template_id)
    tags = [
        tag.replace(ID_TAG_PREFIX, DUPLICATE_TAG_PREFIX, 1)
        for tag in template.get("reporting_tags") or []
    ]
    client.update_badge_template(template_id, {"reporting_tags": tags})
    if template.get("state") != "archived":
        client.archive_badge_template(template_id)


def _update_payload(change: Change) -> dict[str, Any]:
    desired = _desired(change)
    payload = dict(desired.payload)
    if "image" in change.fields:
        payload["image"] = desired.image_data
    return payload


def _desired(change: Change) -> DesiredTemplate:
    if change.desired is None:
        raise ValueError(
            f"{change.kind} of {change.proposal_id} has no desired template"
        )
    return change.desired


def _template_id(change: Change) -> str:
    if change.template_id is None:
        raise ValueError(f"{change.kind} of {change.proposal_id} names no template")
    return change.template_id


_ACTIONS: dict[ChangeKind, Callable[[CredlyClient, Change], tuple[str, bool]]] = {
    ChangeKind.CREATE: _create,
    ChangeKind.UPDATE: _update,
    ChangeKind.UNARCHIVE: _unarchive,
    ChangeKind.ARCHIVE: _archive,
    ChangeKind.DELETE_DUPLICATE: _delete_duplicate,
}


def remove_duplicates(client: CredlyClient) -> list[Outcome]:
    """Delete all but the oldest template of each proposal.

    Two runs that start together both see no template and both create one.
    Each run reads the list again after its own creates, so the later of the
    two finds both copies and removes the newer. Both runs keep the same one.
    """
    try:
        groups = group_by_proposal(client.list_all_badge_templates())
    except CredlyError as exc:
        if exc.stops_run:
            raise
        # The creates are done; a later run finds any duplicate in its plan.
        check = Change(ChangeKind.DELETE_DUPLICATE, "(all proposals)", reason="check")
        message = f"could not check for duplicate templates: {exc.message}"
        return [Outcome(check, ok=False, message=message, changed=False)]
    changes = [
        Change(
            ChangeKind.DELETE_DUPLICATE,
            proposal_id,
            str(template["id"]),
            reason="created twice by runs at the same time",
        )
        for proposal_id, group in groups.items()
        for template in group[1:]
    ]
    return client.run_batch(
        functools.partial(_apply_one, client, change) for change in changes
    )
