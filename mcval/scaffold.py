"""`mcval new`: write a draft proposal from the Jinja2 template in templates/."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mcval.errors import McvalError, UsageError
from mcval.rendering import render
from mcval.repository import Repository, load_repository
from mcval.settings import Config

TEMPLATE_NAME = "proposal.yaml.j2"
_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


@dataclass(frozen=True)
class NewProposalSettings:
    """Settings of `mcval new`: the proposal's first values and the output file."""

    root: Path
    config: Config
    proposal_id: str
    title: str
    kind: str
    library_badge: str | None
    unit: str
    program: str
    area: str
    contact_name: str
    contact_email: str
    today: dt.date
    output: Path | None = None
    force: bool = False


def write_new_proposal(settings: NewProposalSettings) -> Path:
    """Render the template for a new draft proposal and write it; return its path."""
    _check_settings(settings)
    repository = load_repository(settings.root, settings.config)
    _check_references(settings, repository)
    proposals_dir = (settings.root / settings.config.proposals_dir).resolve()
    target = (
        settings.output or proposals_dir / f"{settings.proposal_id}.yaml"
    ).resolve()
    if not target.is_relative_to(proposals_dir):
        raise UsageError(
            f"{target} is outside {settings.config.proposals_dir}/, where the"
            " validator looks for proposals",
            hint=f"write it under {settings.config.proposals_dir}/",
        )
    if target.exists() and not settings.force:
        raise McvalError(
            f"{repository.display_path(target)} already exists",
            hint="choose another id, or pass --force to overwrite it",
        )
    relative = repository.display_path(target)
    text = _render(settings, relative, repository)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return Path(relative)


def _check_references(settings: NewProposalSettings, repository: Repository) -> None:
    units = repository.unit_ids()
    if settings.unit not in units:
        raise UsageError(
            f"unit '{settings.unit}' is not in {settings.config.approvers_file}",
            hint=f"use one of: {', '.join(sorted(units))}",
        )
    badges = repository.library_items()
    if settings.library_badge and settings.library_badge not in badges:
        raise UsageError(
            f"no library badge '{settings.library_badge}'"
            f" in {settings.config.libraries_dir}/",
            hint=f"choose one of: {', '.join(sorted(badges))}",
        )


def _check_settings(settings: NewProposalSettings) -> None:
    if not _SLUG.fullmatch(settings.proposal_id):
        raise UsageError(
            f"'{settings.proposal_id}' is not a valid id",
            hint="use lower-case letters and digits joined by hyphens,"
            " like basic-workday-skills",
        )
    if settings.kind == "collegewide" and not settings.library_badge:
        raise UsageError(
            "a collegewide proposal adopts a library badge",
            hint="pass --library-badge, for example --library-badge leadership",
        )
    if settings.kind == "unit" and settings.library_badge:
        raise UsageError(
            "--library-badge is only for --kind collegewide",
            hint="add --kind collegewide, or leave out --library-badge",
        )


def _render(
    settings: NewProposalSettings, relative_path: str, repository: Repository
) -> str:
    values: dict[str, Any] = {
        "id": settings.proposal_id,
        "title": settings.title,
        "kind": settings.kind,
        "library_badge": settings.library_badge
        if settings.kind == "collegewide"
        else None,
        "program": settings.program,
        "area": settings.area,
        "unit": settings.unit,
        "contact_name": settings.contact_name,
        "contact_email": settings.contact_email,
        "competencies": _starting_competencies(settings, repository),
        "review_by": (settings.today + dt.timedelta(days=730)).isoformat(),
        "path": relative_path,
    }
    return render(settings.root, TEMPLATE_NAME, values)


def _starting_competencies(
    settings: NewProposalSettings, repository: Repository
) -> list[dict[str, str]]:
    """Return the library badge's items for an adoption, else three blanks."""
    prefix = settings.proposal_id.split("-")[0][:4]
    if settings.kind != "collegewide" or settings.library_badge is None:
        return [
            {
                "id": f"{prefix}-{n}",
                "statement": f"TODO: competency {n}, starting with an observable verb",
                "library_item": "",
            }
            for n in (1, 2, 3)
        ]
    items = repository.library_items()[settings.library_badge]
    return [
        {
            "id": str(item_id),
            "statement": str(item.get("statement", "")),
            "library_item": f"{settings.library_badge}.{item_id}",
        }
        for item_id, item in items.items()
    ]
