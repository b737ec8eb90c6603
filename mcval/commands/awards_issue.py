"""`mcval awards issue`: issue each award's missing badge in Credly."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from mcval.awards.awardset import check_awards
from mcval.awards.issue_report import FORMATTERS, AwardReport
from mcval.awards.issuing import (
    AwardAction,
    IssueOutcome,
    IssueTiming,
    apply_awards,
    plan_awards,
)
from mcval.connection import ConnectionSettings, open_connection
from mcval.findings import Severity
from mcval.progress import ProgressReporter
from mcval.repository import load_repository
from mcval.settings import Config, time_of_day, time_zone


@dataclass(frozen=True)
class AwardsIssueSettings:
    """Settings of `mcval awards issue`: the Credly target and what it may show."""

    root: Path
    config: Config
    apply: bool
    output_format: str
    today: dt.date
    show_personal_data: bool = False
    base_url: str | None = None
    organization_id: str | None = None
    stub_state: Path | None = None
    terminal: bool = False


def run(settings: AwardsIssueSettings, out: TextIO, err: TextIO) -> int:
    repository = load_repository(settings.root, settings.config)
    awards = check_awards(
        repository, today=settings.today, show_personal_data=settings.show_personal_data
    )
    timing = IssueTiming(
        time_zone(settings.config.award_time_zone),
        time_of_day(settings.config.award_issue_time),
    )
    connection_settings = ConnectionSettings(
        settings.config,
        settings.base_url,
        settings.organization_id,
        settings.stub_state,
    )

    with open_connection(connection_settings) as connection:
        client = connection.client
        plan = plan_awards(
            client, repository, awards.awards, awards.revocations, timing
        )
        outcomes: list[IssueOutcome] = []
        if settings.apply and plan.writes():
            progress = ProgressReporter(err, "Issuing", settings.terminal)
            outcomes = apply_awards(client, plan, progress)

    report = AwardReport(
        plan,
        connection.description,
        settings.apply,
        outcomes,
        settings.show_personal_data,
    )
    out.write(FORMATTERS[settings.output_format](report) + "\n")
    errors = sum(1 for f in awards.findings if f.severity == Severity.ERROR)
    if errors:
        err.write(
            f"{errors} {'problem' if errors == 1 else 'problems'} in award files"
            " kept some rows from being issued;"
            " run mcval awards check for the details\n"
        )
    refused = plan.count(AwardAction.REFUSE)
    return 1 if report.failures() or refused or errors else 0
