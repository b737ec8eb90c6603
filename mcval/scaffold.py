"""`mcval new`: write a draft proposal from the Jinja2 template in templates/."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mcval.errors import McvalError
from mcval.rendering import render
from mcval.repository import load_repository
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
    target = (
        settings.output
        or settings.root
        / settings.config.proposals_dir
        / f"{settings.proposal_id}.yaml"
    )
    if target.exists() and not settings.force:
        raise McvalError(
            f"{target} already exists",
            hint="choose another id, or pass --force to overwrite it",
        )
    text = _render(settings, target)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


def _check_settings(settings: NewProposalSettings) -> None:
    if not _SLUG.fullmatch(settings.proposal_id):
        raise McvalError(
            f"'{settings.proposal_id}' is not a valid id",
            hint="use lower-case letters and digits joined by hyphens,"
            " like basic-workday-skills",
        )
    if settings.kind == "collegewide" and not settings.library_badge:
        raise McvalError(
            "a collegewide proposal adopts a library badge",
            hint="pass --library-badge, for example --library-badge leadership",
        )


def _render(settings: NewProposalSettings, target: Path) -> str:
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
        "competencies": _starting_competencies(settings),
        "review_by": (settings.today + dt.timedelta(days=730)).isoformat(),
        "path": target.name,
    }
    return render(settings.root, TEMPLATE_NAME, values)


def _starting_competencies(settings: NewProposalSettings) -> list[dict[str, str]]:
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
    items = load_repository(settings.root, settings.config).library_items()
    if settings.library_badge not in items:
        raise McvalError(
            f"no library badge '{settings.library_badge}'"
            f" in {settings.config.libraries_dir}/",
            hint=f"choose one of: {', '.join(sorted(items))}",
        )
    return [
        {
            "id": str(item_id),
            "statement": str(item.get("statement", "")),
            "library_item": f"{settings.library_badge}.{item_id}",
        }
        for item_id, item in items[settings.library_badge].items()
    ]
