"""The Credly a command sends requests to: the real API, or a stand-in on request."""

from __future__ import annotations

import contextlib
import os
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from mcval.credly import CredlyClient, token_from_environment
from mcval.credly.stub import CredlyStub
from mcval.errors import ConfigError, McvalError, UsageError
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
        with _started_stub(settings.stub_state) as stub:
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
    base_url = _base_url(settings)
    organization_id = _organization_id(settings)
    token = token_from_environment()
    with CredlyClient(
        token, organization_id, base_url=base_url, max_concurrency=concurrency
    ) as client:
        yield Connection(client, f"Credly organization {organization_id} at {base_url}")


@contextlib.contextmanager
def _started_stub(state_file: Path) -> Iterator[CredlyStub]:
    try:
        stub = CredlyStub(state_file=state_file).start()
    except (OSError, ValueError) as exc:
        raise McvalError(
            f"cannot start the local Credly stand-in: {exc}",
            hint="delete the state file to start with no records",
        ) from exc
    try:
        yield stub
    finally:
        stub.stop()


def _first_given(*sources: tuple[str, str | None]) -> tuple[str, str] | None:
    """Return the first setting that was given, with where it came from.

    An empty value that was given explicitly counts: it must not fall back to
    the next source, because for the URL that next source is production.
    """
    for origin, value in sources:
        if value is not None:
            return origin, value
    return None


def _base_url(settings: ConnectionSettings) -> str:
    origin, url = _first_given(
        ("--credly-url", settings.base_url),
        ("CREDLY_BASE_URL", os.environ.get("CREDLY_BASE_URL")),
    ) or ("base_url in mcval.toml", settings.config.credly_base_url)
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise UsageError(
            f"{origin} is '{url}', which is not a web address",
            hint="use https://api.credly.com/v1, https://sandbox-api.credly.com/v1,"
            " or the address mcval credly-stub printed",
        )
    if parts.username or parts.password or parts.query:
        raise UsageError(
            f"{origin} must not contain a user name, password or query",
            hint="the token is read only from the CREDLY_TOKEN environment variable",
        )
    return url.strip()


def _organization_id(settings: ConnectionSettings) -> str:
    origin, organization_id = _first_given(
        ("--organization-id", settings.organization_id),
        ("CREDLY_ORGANIZATION_ID", os.environ.get("CREDLY_ORGANIZATION_ID")),
    ) or ("organization_id in mcval.toml", settings.config.credly_organization_id)
    organization_id = organization_id.strip()
    if not organization_id:
        raise ConfigError(
            "no Credly organization id is set",
            hint="set CREDLY_ORGANIZATION_ID, organization_id in [credly] of"
            " mcval.toml, or pass --organization-id",
        )
    return organization_id
