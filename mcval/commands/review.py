"""Reviewer aids: `mcval render`, `mcval codeowners` and `mcval expiring`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from mcval.codeowners import CODEOWNERS_PATH, write_codeowners
from mcval.errors import McvalError, UsageError
from mcval.expiring import find_attention, format_attention, parse_window
from mcval.rendering import render
from mcval.repository import load_repository
from mcval.review import review_values
from mcval.settings import Config

EXIT_OK = 0
EXIT_ATTENTION = 1
TEMPLATES = {"markdown": "review/review.md.j2", "html": "review/review.html.j2"}


@dataclass(frozen=True)
class RenderSettings:
    """The options of `mcval render`: proposal id, format, base revision, output."""

    root: Path
    config: Config
    proposal_id: str
    output_format: str
    since: str | None
    output: Path | None
    today: dt.date


def run_render(settings: RenderSettings, out: TextIO) -> int:
    values = review_values(
        settings.root,
        settings.config,
        settings.proposal_id,
        settings.since,
        settings.today,
    )
    text = render(settings.root, TEMPLATES[settings.output_format], values)
    if settings.output is None:
        out.write(text)
    else:
        try:
            settings.output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise McvalError(
                f"cannot write {settings.output}: {exc.strerror}",
                hint="check that the folder exists and can be written to",
            ) from exc
    return EXIT_OK


def run_codeowners(root: Path, config: Config, check: bool, out: TextIO) -> int:
    repository = load_repository(root, config)
    path = write_codeowners(repository, check)
    verb = "is up to date" if check else "written"
    out.write(f"{repository.display_path(path)} {verb}.\n")
    return EXIT_OK


def run_expiring(
    root: Path, config: Config, within: str, markdown: bool, today: dt.date, out: TextIO
) -> int:
    try:
        window = parse_window(within)
    except ValueError as exc:
        raise UsageError(str(exc), hint="write --within 90d or --within 12w") from exc
    repository = load_repository(root, config)
    items = find_attention(repository, today, window)
    out.write(format_attention(items, within, markdown) + "\n")
    return EXIT_ATTENTION if items else EXIT_OK


__all__ = [
    "CODEOWNERS_PATH",
    "RenderSettings",
    "run_codeowners",
    "run_expiring",
    "run_render",
]
