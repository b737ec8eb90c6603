"""`mcval publish`: make Credly's badge templates match the repository."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from mcval.connection import ConnectionSettings, open_connection
from mcval.history import load_history
from mcval.progress import ProgressReporter
from mcval.publish.apply import Outcome, apply_plan
from mcval.publish.desired import desired_state
from mcval.publish.plan import make_plan
from mcval.publish.report import FORMATTERS, PublishReport
from mcval.repository import load_repository
from mcval.settings import Config, ValidateSettings
from mcval.validation import validate_repository


@dataclass(frozen=True)
class PublishSettings:
    """Settings of `mcval publish`: the Credly target and whether to apply."""

    root: Path
    config: Config
    apply: bool
    output_format: str
    today: dt.date
    base_url: str | None = None
    organization_id: str | None = None
    stub_state: Path | None = None
    terminal: bool = False


def run(settings: PublishSettings, out: TextIO, err: TextIO) -> int:
    repository = load_repository(settings.root, settings.config)
    # With the git history, a proposal whose signatures predate a change to
    # its substance has errors and is not published.
    history = load_history(repository, None, settings.today)
    validation = validate_repository(
        repository,
        ValidateSettings(settings.root, settings.config, today=settings.today),
        history,
    )
    desired = desired_state(repository, validation)
    connection_settings = ConnectionSettings(
        settings.config,
        settings.base_url,
        settings.organization_id,
        settings.stub_state,
    )

    with open_connection(connection_settings) as connection:
        client = connection.client
        plan = make_plan(desired, client.list_all_badge_templates())
        outcomes: list[Outcome] = []
        if settings.apply and plan.writes():
            progress = ProgressReporter(err, "Publishing", settings.terminal)
            outcomes = apply_plan(client, plan, progress)

    report = PublishReport(plan, connection.description, settings.apply, outcomes)
    out.write(FORMATTERS[settings.output_format](report) + "\n")
    return 1 if report.failures() or plan.blocked() else 0
