"""`mcval overlap`: overlapping competencies, credential coverage and gaps."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from mcval.errors import UsageError
from mcval.overlap.formats import FORMATTERS, build_document
from mcval.repository import load_repository
from mcval.settings import Config


@dataclass(frozen=True)
class OverlapSettings:
    """The options of `mcval overlap`: one proposal or all, and the output format."""

    root: Path
    config: Config
    proposal_id: str | None = None
    output_format: str = "text"


def run(settings: OverlapSettings, out: TextIO) -> int:
    repository = load_repository(settings.root, settings.config)
    report = repository.overlap
    proposal = None
    if settings.proposal_id is not None:
        proposal = report.proposal(settings.proposal_id)
        if proposal is None:
            raise UsageError(
                f"no proposal has the id '{settings.proposal_id}'",
                hint="run mcval overlap without an id to see every proposal",
            )
    document = build_document(report, proposal)
    out.write(FORMATTERS[settings.output_format](document) + "\n")
    return 0
