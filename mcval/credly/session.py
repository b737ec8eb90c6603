"""The HTTP layer of the Credly client: authentication, retries, logging and counts."""

import logging
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from mcval.credly.redact import loggable_target, mask_emails_in_logger
from mcval.credly.responses import TOKEN_HINT, error_for_response, read_envelope
from mcval.credly.retry import RETRY_STATUSES, RateLimitGate, RetryPolicy
from mcval.errors import CredlyError

logger = logging.getLogger(__name__)

# The request never reached Credly, so resending it cannot create a duplicate.
NOT_SENT_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Credly may have applied the request before the exchange failed.
AMBIGUOUS_ERRORS = (
    httpx.ReadTimeout,
    httpx.WriteTimeout,
    httpx.ReadError,
    httpx.WriteError,
    httpx.RemoteProtocolError,
)
AMBIGUOUS_STATUSES = frozenset({500, 502, 503, 504})
LONG_WAIT_SECONDS = 5.0

Record = dict[str, Any]
Lookup = Callable[[], Record | None]
QueryParams = Mapping[str, str]


class CredlySession:
    """Authenticated HTTP access to one Credly base URL, with retries.

    GET and PUT are retried after connection errors, timeouts, 429, 502, 503 and
    504. A POST is resent only when it cannot have reached Credly, or when the
    caller's lookup confirms that the ambiguous attempt created nothing.
    """

    def __init__(
        self,
        token: str,
        base_url: str,
        *,
        transport: httpx.BaseTransport | None,
        timeout: httpx.Timeout,
        retry: RetryPolicy,
        max_connections: int,
        sleep: Callable[[float], None],
        clock: Callable[[], float],
        rng: random.Random,
    ) -> None:
        if not token:
            raise CredlyError(
                "The Credly authorization token is empty", hint=TOKEN_HINT
            )
        self._base = _checked_base_url(base_url)
        mask_emails_in_logger("httpx")
        self._http = httpx.Client(
            base_url=self._base,
            auth=httpx.BasicAuth(token, ""),
            headers={"Accept": "application/json"},
            timeout=timeout,
            transport=transport,
            limits=httpx.Limits(
                max_connections=max_connections,
                max_keepalive_connections=max_connections,
            ),
        )
        self._retry = retry
        self._sleep = sleep
        self._rng = rng
        self._gate = RateLimitGate(clock, sleep)
        self._counts: Counter[str] = Counter()
        self._counts_lock = threading.Lock()
        self._unreachable: CredlyError | None = None

    @property
    def base_url(self) -> str:
        return str(self._base)

    def close(self) -> None:
        self._http.close()

    def request_counts(self) -> dict[str, int]:
        """Return the number of HTTP requests sent so far, per method."""
        with self._counts_lock:
            return dict(self._counts)

    def get(self, url: str, params: QueryParams | None = None) -> Record:
        """Send a GET, retrying transient failures, and return the envelope."""
        request = self._http.build_request("GET", url, params=params)
        response = self._send_idempotent(request)
        return read_envelope("GET", self._display_path(request), response)

    def put(self, url: str, payload: Mapping[str, Any] | None = None) -> Record:
        """Send a PUT, retrying transient failures, and return the envelope."""
        request = self._http.build_request("PUT", url, json=payload)
        response = self._send_idempotent(request)
        return read_envelope("PUT", self._display_path(request), response)

    def delete(self, url: str) -> bool:
        """Send a DELETE with retries; return False when the record was gone already."""
        request = self._http.build_request("DELETE", url)
        response = self._send_idempotent(request)
        if response.status_code == 404:
            return False
        read_envelope("DELETE", self._display_path(request), response)
        return True

    def get_all(self, url: str, params: QueryParams | None = None) -> list[Record]:
        """Read every page of a list by following ``metadata.next_page_url``."""
        return self.follow_pages(self.get(url, params))

    def follow_pages(self, envelope: Record) -> list[Record]:
        """Return the items of `envelope` and of every page after it."""
        items: list[Record] = []
        visited: set[str] = set()
        while True:
            items.extend(_list_data(envelope))
            next_url = self._next_page_url(envelope)
            if next_url is None:
                return items
            if next_url in visited:
                raise CredlyError(
                    "Credly returned the same next_page_url twice while listing "
                    f"{httpx.URL(next_url).path}"
                )
            visited.add(next_url)
            envelope = self.get(next_url)

    def create(
        self, url: str, payload: Mapping[str, Any], lookup: Lookup | None
    ) -> Record:
        """Send a POST that creates a record and return the created record.

        After an ambiguous failure (a timeout or dropped connection after sending,
        or a 5xx status) the client waits one backoff delay and calls ``lookup``.
        A record it returns is taken as the one this POST created, and None means
        that it is safe to resend. Without a lookup an ambiguous failure raises
        CredlyError. If Credly rejects a resend with 409 or 422 (for example "User
        already has this badge"), the lookup runs once more before the error is
        raised.

        NOTE: if Credly needs longer than the backoff delay to finish the first
        request, the lookup can miss it and the record can be created twice.
        """
        request = self._http.build_request("POST", url, json=payload)
        attempt = 0
        ambiguous_before = False
        while True:
            attempt += 1
            response, cause = self._try_send(request)
            if response is not None and not _is_retryable_post(response):
                return self._created(request, response, ambiguous_before, lookup)
            last_attempt = attempt >= self._retry.max_attempts
            if _is_ambiguous(response, cause):
                ambiguous_before = True
                found = self._resolve(request, attempt, response, cause, lookup)
                if found is not None:
                    return found
            elif not last_attempt:
                self._pause(request, attempt, response, cause)
            if last_attempt:
                raise self._final_error(request, response, cause, attempt)

    def _send_idempotent(self, request: httpx.Request) -> httpx.Response:
        attempt = 0
        while True:
            attempt += 1
            response, cause = self._try_send(request)
            last_attempt = attempt >= self._retry.max_attempts
            if response is not None:
                if response.status_code not in RETRY_STATUSES or last_attempt:
                    return response
            elif last_attempt:
                raise self._final_error(request, response, cause, attempt)
            self._pause(request, attempt, response, cause)

    def _try_send(
        self, request: httpx.Request
    ) -> tuple[httpx.Response | None, Exception | None]:
        try:
            return self._send(request), None
        except (*NOT_SENT_ERRORS, *AMBIGUOUS_ERRORS) as exc:
            return None, exc

    def _send(self, request: httpx.Request) -> httpx.Response:
        if self._unreachable is not None:
            # Once Credly could not be reached at all, fail fast instead of
            # retrying every queued request against a dead address.
            raise self._unreachable
        self._gate.wait()
        self._count(request.method)
        started = time.perf_counter()
        try:
            response = self._http.send(request)
        except (*NOT_SENT_ERRORS, *AMBIGUOUS_ERRORS) as exc:
            self._log_request(request, type(exc).__name__, started)
            raise
        except httpx.HTTPError as exc:
            self._log_request(request, type(exc).__name__, started)
            path = self._display_path(request)
            raise CredlyError(
                f"Could not send {request.method} {path} to Credly: {exc}",
                method=request.method,
                path=path,
            ) from exc
        self._log_request(request, str(response.status_code), started)
        return response

    def _pause(
        self,
        request: httpx.Request,
        attempt: int,
        response: httpx.Response | None,
        cause: Exception | None,
    ) -> None:
        delay = self._retry.backoff(attempt, self._rng)
        rate_limited = response is not None and response.status_code == 429
        if rate_limited and response is not None:
            retry_after = self._retry.retry_after_delay(
                response.headers.get("Retry-After")
            )
            if retry_after is not None:
                delay = retry_after
        # A long wait would look like a hang, so it is shown at default verbosity.
        level = logging.WARNING if delay >= LONG_WAIT_SECONDS else logging.INFO
        logger.log(
            level,
            "Retrying %s %s after %s in %.2f s (attempt %d of %d)",
            request.method,
            self._display_path(request),
            _describe(response, cause),
            delay,
            attempt + 1,
            self._retry.max_attempts,
        )
        if rate_limited:
            self._gate.block_for(delay)
        else:
            self._sleep(delay)

    def _resolve(
        self,
        request: httpx.Request,
        attempt: int,
        response: httpx.Response | None,
        cause: Exception | None,
        lookup: Lookup | None,
    ) -> Record | None:
        path = self._display_path(request)
        reason = _describe(response, cause)
        if lookup is None:
            raise CredlyError(
                f"Credly may or may not have applied POST {path} after {reason}",
                method="POST",
                path=path,
                hint="check Credly for the record before trying again",
            )
        delay = self._retry.backoff(attempt, self._rng)
        logger.info(
            "Checking in %.2f s whether POST %s took effect after %s",
            delay,
            path,
            reason,
        )
        self._sleep(delay)
        return self._look_up(path, lookup, reason)

    def _created(
        self,
        request: httpx.Request,
        response: httpx.Response,
        ambiguous_before: bool,
        lookup: Lookup | None,
    ) -> Record:
        path = self._display_path(request)
        try:
            return _record(read_envelope("POST", path, response))
        except CredlyError:
            conflict = response.status_code in (409, 422)
            if not (ambiguous_before and conflict and lookup is not None):
                raise
            reason = f"a {response.status_code} response to the resend"
            found = self._look_up(path, lookup, reason)
            if found is None:
                raise
            return found

    def _look_up(self, path: str, lookup: Lookup, reason: str) -> Record | None:
        found = lookup()
        if found is not None:
            logger.info(
                "Found the record of POST %s after %s",
                path,
                reason,
            )
        return found

    def _final_error(
        self,
        request: httpx.Request,
        response: httpx.Response | None,
        cause: Exception | None,
        attempts: int,
    ) -> CredlyError:
        path = self._display_path(request)
        if response is not None:
            return error_for_response(request.method, path, response)
        host = (
            f"{request.url.host}:{request.url.port}"
            if request.url.port
            else request.url.host
        )
        error = CredlyError(
            f"Could not complete {request.method} {path} at {host} after {attempts}"
            f" attempts because of {_describe(response, cause)}",
            method=request.method,
            path=path,
            hint="check the network connection and the Credly base URL",
            unreachable=isinstance(cause, NOT_SENT_ERRORS),
        )
        if error.unreachable:
            self._unreachable = error
        return error

    def _next_page_url(self, envelope: Record) -> str | None:
        metadata = envelope.get("metadata") or {}
        next_url = metadata.get("next_page_url") if isinstance(metadata, dict) else None
        if not next_url:
            return None
        parsed = httpx.URL(str(next_url))
        if (parsed.scheme, parsed.host, parsed.port) != (
            self._base.scheme,
            self._base.host,
            self._base.port,
        ):
            # Following it would send the authorization token to another host.
            raise CredlyError(
                f"Credly returned a next_page_url on another host: {parsed.host}"
            )
        return str(parsed)

    def _display_path(self, request: httpx.Request) -> str:
        path = request.url.path
        prefix = self._base.path.rstrip("/")
        if prefix and path.startswith(prefix + "/"):
            return path[len(prefix) :]
        return path

    def _log_request(
        self, request: httpx.Request, outcome: str, started: float
    ) -> None:
        elapsed_ms = (time.perf_counter() - started) * 1000
        target = loggable_target(request.url.raw_path.decode("ascii"))
        logger.debug("%s %s %s %.0f ms", request.method, target, outcome, elapsed_ms)

    def _count(self, method: str) -> None:
        with self._counts_lock:
            self._counts[method] += 1


def _checked_base_url(base_url: str) -> httpx.URL:
    try:
        url = httpx.URL(base_url)
    except httpx.InvalidURL as exc:
        raise CredlyError(f"The Credly base URL is invalid: {base_url}") from exc
    if url.scheme not in ("http", "https") or not url.host:
        raise CredlyError(
            f"The Credly base URL is invalid: {base_url}",
            hint="use an absolute http or https URL such as https://api.credly.com/v1",
        )
    return url


def _is_retryable_post(response: httpx.Response) -> bool:
    return response.status_code == 429 or response.status_code in AMBIGUOUS_STATUSES


def _is_ambiguous(response: httpx.Response | None, cause: Exception | None) -> bool:
    if response is not None:
        return response.status_code in AMBIGUOUS_STATUSES
    return isinstance(cause, AMBIGUOUS_ERRORS)


def _describe(response: httpx.Response | None, cause: Exception | None) -> str:
    if response is not None:
        return f"status {response.status_code}"
    if isinstance(cause, httpx.TimeoutException):
        return "a timeout"
    if isinstance(cause, httpx.ConnectError):
        return "a connection failure"
    return "a dropped connection"


def _record(envelope: Record) -> Record:
    data = envelope["data"]
    if not isinstance(data, dict):
        raise CredlyError("Credly returned a record that is not a JSON object")
    return data


def total_pages(envelope: Record) -> int:
    """Return the page count a list response reports, or 1 when it reports none."""
    metadata = envelope.get("metadata") or {}
    count = metadata.get("total_pages") if isinstance(metadata, dict) else None
    return count if isinstance(count, int) and count > 1 else 1


def list_data(envelope: Record) -> list[Record]:
    return _list_data(envelope)


def _list_data(envelope: Record) -> list[Record]:
    data = envelope["data"]
    if not isinstance(data, list):
        raise CredlyError("Credly returned a list response whose data is not a list")
    return data
