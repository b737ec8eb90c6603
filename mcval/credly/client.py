"""Client for the Credly Web Service API: badge templates and issued badges.

The caller supplies the authorization token, normally read with
``token_from_environment``. It is sent as HTTP Basic credentials (token as the
user name, blank password) and never written to logs, messages or reprs.
"""

import functools
import os
import random
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from types import TracebackType
from typing import Any, Self, TypeVar
from urllib.parse import quote

import httpx

from mcval.credly.responses import TOKEN_HINT
from mcval.credly.retry import RetryPolicy
from mcval.credly.session import CredlySession, Lookup, Record, list_data, total_pages
from mcval.errors import CredlyError

PRODUCTION_URL = "https://api.credly.com/v1"
SANDBOX_URL = "https://sandbox-api.credly.com/v1"
TOKEN_VARIABLE = "CREDLY_TOKEN"
DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=30.0, write=30.0, pool=60.0)
DEFAULT_MAX_CONCURRENCY = 4
# States of an issued badge that the earner still holds. A revoked badge is not held.
HELD_BADGE_STATES = ("pending", "accepted")

Filter = Mapping[str, str | Sequence[str]] | str | None
T = TypeVar("T")


def token_from_environment(environ: Mapping[str, str] | None = None) -> str:
    """Return the authorization token from CREDLY_TOKEN or raise CredlyError."""
    values = os.environ if environ is None else environ
    token = values.get(TOKEN_VARIABLE, "").strip()
    if not token:
        raise CredlyError(f"{TOKEN_VARIABLE} is not set", hint=TOKEN_HINT)
    return token


def format_filter(filter: Filter) -> str | None:
    """Build Credly's ``key::value|key::value`` filter from a mapping.

    A sequence value becomes a comma-separated list, and a string passes unchanged.
    """
    if filter is None or isinstance(filter, str):
        return filter or None
    parts = []
    for key, value in filter.items():
        text = value if isinstance(value, str) else ",".join(value)
        parts.append(f"{key}::{text}")
    return "|".join(parts) or None


class CredlyClient:
    """Badge templates and issued badges of one Credly organization.

    Requests may run on several threads at once (see ``run_batch``). A 429 from
    Credly pauses every thread of this client until its Retry-After time.
    """

    def __init__(
        self,
        token: str,
        organization_id: str,
        *,
        base_url: str = PRODUCTION_URL,
        transport: httpx.BaseTransport | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
    ) -> None:
        if max_concurrency < 1:
            raise ValueError(
                f"max_concurrency must be at least 1, not {max_concurrency}"
            )
        if not organization_id:
            raise CredlyError("The Credly organization id is empty")
        self.organization_id = organization_id
        self.max_concurrency = max_concurrency
        self._session = CredlySession(
            token,
            base_url,
            transport=transport,
            timeout=timeout,
            retry=retry or RetryPolicy(),
            max_connections=max_concurrency,
            sleep=sleep,
            clock=clock,
            rng=rng or random.Random(),
        )
        self._root = f"/organizations/{quote(organization_id, safe='')}"

    def __repr__(self) -> str:
        return (
            f"CredlyClient(base_url={self._session.base_url!r}, "
            f"organization_id={self.organization_id!r})"
        )

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._session.close()

    def request_counts(self) -> dict[str, int]:
        """Return the number of HTTP requests sent so far, per method."""
        return self._session.request_counts()

    def run_batch(self, calls: Iterable[Callable[[], T]]) -> list[T]:
        """Run the calls on at most ``max_concurrency`` threads and return the results.

        Results come in call order. Every call runs to completion, and then the
        first exception, in call order, is raised.
        """
        pool = ThreadPoolExecutor(self.max_concurrency, "credly")
        try:
            futures = [pool.submit(call) for call in calls]
            wait(futures)
        except BaseException:
            # Interrupted (Ctrl-C): let running calls finish, start no others.
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        pool.shutdown(wait=True)
        return [future.result() for future in futures]

    def list_badge_templates(
        self, filter: Filter = None, sort: str | None = None
    ) -> list[Record]:
        """Return every badge template matching the filter, reading all pages."""
        return self._session.get_all(self._templates(), _list_params(filter, sort))

    def list_all_badge_templates(self) -> list[Record]:
        """Return every badge template, reading the pages after the first at once.

        Page 1 reports the page count, so pages 2 to N are requested together on
        the batch threads. The last page's next_page_url is still followed, so a
        page added meanwhile is read too, and a template that moved between
        pages while they were read appears once.
        """
        return self._read_all_pages(self._templates(), {})

    def list_all_issued_badges(self, filter: Filter = None) -> list[Record]:
        """Return every issued badge matching the filter, reading pages at once."""
        return self._read_all_pages(self._badges(), _list_params(filter, None))

    def _read_all_pages(self, url: str, params: dict[str, str]) -> list[Record]:
        first = self._session.get(url, params)
        pages = [first]
        count = total_pages(first)
        if count > 1:
            pages += self.run_batch(
                functools.partial(self._session.get, url, {**params, "page": str(n)})
                for n in range(2, count + 1)
            )
        items = [item for page in pages[:-1] for item in list_data(page)]
        items += self._session.follow_pages(pages[-1])
        unique: dict[str, Record] = {}
        for item in items:
            unique.setdefault(str(item.get("id")), item)
        return list(unique.values())

    def get_badge_template(self, template_id: str) -> Record:
        return _data(self._session.get(self._templates(template_id)))

    def find_badge_template(self, reporting_tag: str) -> Record | None:
        """Return the first badge template that carries exactly this reporting tag."""
        candidates = self.list_badge_templates({"reporting_tags": reporting_tag})
        for template in candidates:
            if reporting_tag in (template.get("reporting_tags") or []):
                return template
        return None

    def create_badge_template(
        self, payload: Mapping[str, Any], lookup: Lookup | None = None
    ) -> Record:
        """Create a badge template, using ``lookup`` as ``CredlySession.create`` does.

        A suitable lookup is ``lambda: client.find_badge_template(tag)`` with a
        reporting tag unique to this template.
        """
        return self._session.create(self._templates(), payload, lookup)

    def update_badge_template(
        self, template_id: str, payload: Mapping[str, Any]
    ) -> Record:
        return _data(self._session.put(self._templates(template_id), payload))

    def delete_badge_template(self, template_id: str) -> bool:
        """Delete a badge template; return False when it did not exist."""
        return self._session.delete(self._templates(template_id))

    def archive_badge_template(self, template_id: str) -> Record:
        return _data(self._session.put(self._templates(template_id, "archive")))

    def unarchive_badge_template(self, template_id: str) -> Record:
        return _data(self._session.put(self._templates(template_id, "unarchive")))

    def list_issued_badges(
        self, filter: Filter = None, sort: str | None = None
    ) -> list[Record]:
        """Return every issued badge matching the filter, reading all pages."""
        return self._session.get_all(self._badges(), _list_params(filter, sort))

    def find_issued_badge(
        self, badge_template_id: str, issuer_earner_id: str
    ) -> Record | None:
        """Return the pending or accepted badge of this template for this earner."""
        badges = self.list_issued_badges(
            {
                "badge_template_id": badge_template_id,
                "issuer_earner_id": issuer_earner_id,
                "state": HELD_BADGE_STATES,
            }
        )
        return badges[0] if badges else None

    def issue_badge(
        self, payload: Mapping[str, Any], lookup: Lookup | None = None
    ) -> Record:
        """Issue a badge, using ``lookup`` as ``CredlySession.create`` does.

        A suitable lookup is ``lambda: client.find_issued_badge(template_id,
        earner_id)`` when the payload carries an ``issuer_earner_id``.
        """
        return self._session.create(self._badges(), payload, lookup)

    def revoke_badge(
        self, badge_id: str, reason: str, *, suppress_notification: bool = False
    ) -> Record:
        """Revoke an issued badge. Revoking a revoked badge returns it unchanged."""
        payload = {
            "reason": reason,
            "suppress_revoke_notification_email": suppress_notification,
        }
        return _data(self._session.put(self._badges(badge_id, "revoke"), payload))

    def _templates(self, *parts: str) -> str:
        return _join(f"{self._root}/badge_templates", parts)

    def _badges(self, *parts: str) -> str:
        return _join(f"{self._root}/badges", parts)


def _join(collection: str, parts: Sequence[str]) -> str:
    return "/".join([collection, *(quote(part, safe="") for part in parts)])


def _list_params(filter: Filter, sort: str | None) -> dict[str, str]:
    params = {}
    text = format_filter(filter)
    if text:
        params["filter"] = text
    if sort:
        params["sort"] = sort
    return params


def _data(envelope: Record) -> Record:
    data = envelope["data"]
    if not isinstance(data, dict):
        raise CredlyError("Credly returned a record that is not a JSON object")
    return data
