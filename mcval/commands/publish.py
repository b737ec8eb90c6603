"""`mcval publish`: make Credly's badge templates match the repository."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from mcval.credly import CredlyClient, token_from_environment
from mcval.credly.stub import CredlyStub
from mcval.errors import ConfigError
from mcval.progress import ProgressReporter
from mcval.publish.apply import apply_plan
from mcval.publish.desired import desired_state
from mcval.publish.plan import make_plan
from mcval.publish.report import FORMATTERS, PublishReport
from mcval.repository import load_repository
from mcval.settings import Config, ValidateSettings
from mcval.validation import validate_repository


@dataclass(frozen=True)
class PublishSettings:
    """Where `mcval publish` sends requests and whether it changes anything."""

    root: Path
    config: Config
    apply: bool
    output_format: str
    today: dt.date
    base_url: str | None = None
    organization_id: str | None = None
    stub_state: Path | None = None
    terminal: bool = False


@dataclass(frozen=True)
class CredlyTarget:
    """The Credly API a run talks to, and how to authenticate."""

    base_url: str
    organization_id: str
    token: str
    description: str


def run(settings: PublishSettings, out: TextIO, err: TextIO) -> int:
    repository = load_repository(settings.root, settings.config)
    validation = validate_repository(
        repository,
        ValidateSettings(settings.root, settings.config, today=settings.today),
    )
    desired = desired_state(repository, validation)

    with _target(settings) as target, _client(settings, target) as client:
        plan = make_plan(desired, client.list_all_badge_templates())
        outcomes = []
        if settings.apply and plan.writes():
            progress = ProgressReporter(err, "Publishing", settings.terminal)
            outcomes = apply_plan(client, plan, progress)

    report = PublishReport(plan, target.description, settings.apply, outcomes)
    out.write(FORMATTERS[settings.output_format](report) + "\n")
    return 1 if report.failures() else 0


@contextlib.contextmanager
def _target(settings: PublishSettings) -> Iterator[CredlyTarget]:
    """Yield the real Credly named by settings, or a stand-in when one is asked for."""
    if settings.stub_state is not None:
        with CredlyStub(state_file=settings.stub_state) as stub:
            description = (
                f"the local Credly stand-in at {stub.url}"
                f" (records in {settings.stub_state})"
            )
            yield CredlyTarget(stub.url, stub.organization_id, stub.token, description)
        return
    base_url = (
        settings.base_url
        or os.environ.get("CREDLY_BASE_URL")
        or settings.config.credly_base_url
    )
    organization_id = _organization_id(settings)
    description = f"Credly organization {organization_id} at {base_url}"
    yield CredlyTarget(base_url, organization_id, token_from_environment(), description)


def _organization_id(settings: PublishSettings) -> str:
    organization_id = (
        settings.organization_id
        or os.environ.get("CREDLY_ORGANIZATION_ID")
        or settings.config.credly_organization_id
    )
    if not organization_id:
        raise ConfigError(
            "no Credly organization id is set",
            hint="set CREDLY_ORGANIZATION_ID, organization_id in [credly] of"
            " mcval.toml, or pass --organization-id",
        )
    return organization_id


@contextlib.contextmanager
def _client(settings: PublishSettings, target: CredlyTarget) -> Iterator[CredlyClient]:
    with CredlyClient(
        target.token,
        target.organization_id,
        base_url=target.base_url,
        max_concurrency=settings.config.credly_max_concurrency,
    ) as client:
        yield client
