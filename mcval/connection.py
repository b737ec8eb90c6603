"""Which Credly a command talks to: the real API, or a stand-in it was told to start."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from mcval.credly import CredlyClient, token_from_environment
from mcval.credly.stub import CredlyStub
from mcval.errors import ConfigError
from mcval.settings import Config


@dataclass(frozen=True)
class ConnectionSettings:
    """Command-line choices of where to send Credly requests; None means default."""

    config: Config
    base_url: str | None = None
    organization_id: str | None = None
    stub_state: Path | None = None


@dataclass(frozen=True)
class Connection:
    """An open Credly client and a plain description of what it talks to."""

    client: CredlyClient
    description: str


@contextlib.contextmanager
def open_connection(settings: ConnectionSettings) -> Iterator[Connection]:
    """Yield a client for the real Credly, or for a stand-in when one is asked for.

    The stand-in is never a fallback: only `stub_state` starts one.
    """
    concurrency = settings.config.credly_max_concurrency
    if settings.stub_state is not None:
        with CredlyStub(state_file=settings.stub_state) as stub:
            description = (
                f"the local Credly stand-in at {stub.url}"
                f" (records in {settings.stub_state})"
            )
            with CredlyClient(
                stub.token,
                stub.organization_id,
                base_url=stub.url,
                max_concurrency=concurrency,
            ) as client:
                yield Connection(client, description)
        return
    base_url = (
        settings.base_url
        or os.environ.get("CREDLY_BASE_URL")
        or settings.config.credly_base_url
    )
    organization_id = _organization_id(settings)
    token = token_from_environment()
    with CredlyClient(
        token, organization_id, base_url=base_url, max_concurrency=concurrency
    ) as client:
        yield Connection(client, f"Credly organization {organization_id} at {base_url}")


def _organization_id(settings: ConnectionSettings) -> str:
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
