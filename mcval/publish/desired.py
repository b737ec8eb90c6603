"""The badge template each publishable proposal should have in Credly."""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from mcval.document import Document
from mcval.errors import McvalError
from mcval.rendering import render
from mcval.reporters import plural
from mcval.repository import Repository
from mcval.result import ValidationResult

TEMPLATE_NAME = "credly/badge-template.json.j2"
# Templates are matched to proposals by this reporting tag, never by name, so a
# renamed badge is updated rather than created again.
ID_TAG_PREFIX = "mcval:"
# Credly returns the image as a URL, so the digest of the file sent is kept in
# a second tag to notice a changed image.
IMAGE_TAG_PREFIX = "mcval-image:"
PUBLISHABLE = frozenset({"approved", "published"})


@dataclass(frozen=True)
class DesiredTemplate:
    """A proposal and the badge template it renders to."""

    proposal_id: str
    path: str
    status: str
    payload: dict[str, Any]
    image_data: str


@dataclass(frozen=True)
class SkippedProposal:
    """A proposal that is not published, and why.

    `blocked` marks one that should be published but has errors; a draft or
    submitted proposal is simply not ready.
    """

    proposal_id: str
    path: str
    status: str
    reason: str
    blocked: bool = False


@dataclass(frozen=True)
class DesiredState:
    """The badge templates Credly should contain after a publish."""

    templates: list[DesiredTemplate]
    skipped: list[SkippedProposal]
    retired_ids: frozenset[str]
    # Every id a proposal file claims, and every file's name: a template that
    # matches one of these still has its file, however broken, so it is kept.
    present_ids: frozenset[str]


def id_tag(proposal_id: str) -> str:
    return f"{ID_TAG_PREFIX}{proposal_id}"


def desired_state(repository: Repository, result: ValidationResult) -> DesiredState:
    """Render every approved or published proposal that validated without errors."""
    errors = {summary.path: summary.errors for summary in result.proposals}
    templates: list[DesiredTemplate] = []
    skipped: list[SkippedProposal] = []
    retired: set[str] = set()
    present: set[str] = set()
    for document in repository.proposals:
        stem = PurePosixPath(document.path).stem
        claimed = document.get(("id",))
        proposal_id = claimed if isinstance(claimed, str) and claimed else stem
        present.update({stem, proposal_id})
        status = document.get(("status",))
        count = errors.get(document.path, 0)
        check = f"run mcval validate {document.path}"
        if not document.loaded:
            reason = f"the file could not be read; {check}"
            skipped.append(SkippedProposal(stem, document.path, "", reason, True))
        elif status == "retired" and claimed == stem:
            retired.add(proposal_id)
        elif status not in PUBLISHABLE:
            reason = f"status is {status}; only approved or published ones go to Credly"
            skipped.append(
                SkippedProposal(proposal_id, document.path, str(status), reason)
            )
        elif count:
            reason = f"{plural(count, 'validation error')}; {check}"
            skipped.append(
                SkippedProposal(proposal_id, document.path, str(status), reason, True)
            )
        else:
            templates.append(_render(repository, document, proposal_id, str(status)))
    return DesiredState(templates, skipped, frozenset(retired), frozenset(present))


def _render(
    repository: Repository, document: Document, proposal_id: str, status: str
) -> DesiredTemplate:
    image = (repository.root / str(document.get(("image",)))).read_bytes()
    digest = hashlib.sha256(image).hexdigest()[:16]
    values = {
        "proposal": document.data,
        "unit_name": _unit_name(repository, str(document.get(("sponsor", "unit")))),
        "reporting_tags": [id_tag(proposal_id), f"{IMAGE_TAG_PREFIX}{digest}"],
    }
    text = render(repository.root, TEMPLATE_NAME, values)
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as exc:
        raise McvalError(
            f"templates/{TEMPLATE_NAME} did not render valid JSON for"
            f" {document.path}: {exc.msg} at line {exc.lineno}"
        ) from exc
    # NOTE: Credly documents Base64 image data without its exact form; a data
    # URI is what this sends, and the stand-in accepts it.
    image_data = "data:image/png;base64," + base64.b64encode(image).decode("ascii")
    return DesiredTemplate(proposal_id, document.path, status, payload, image_data)


def _unit_name(repository: Repository, unit_id: str) -> str:
    return repository.unit_names().get(unit_id, unit_id)
