"""Retry timing for Credly requests: backoff delays and the shared 429 pause."""

import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

RETRY_STATUSES = frozenset({429, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    """Limits for retrying a failed request. Delays are in seconds."""

    max_attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 30.0
    max_retry_after: float = 300.0

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError(
                f"max_attempts must be at least 1, not {self.max_attempts}"
            )

    def backoff(self, attempt: int, rng: random.Random) -> float:
        """Return the delay before the retry that follows failed attempt ``attempt``.

        The delay is drawn uniformly from zero to a ceiling that doubles with each
        attempt up to ``max_delay`` ("full jitter"), so that clients that failed
        together do not retry together.
        """
        ceiling = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        return rng.uniform(0.0, ceiling)

    def retry_after_delay(self, header: str | None) -> float | None:
        """Return the Retry-After delay capped at ``max_retry_after``, if given."""
        seconds = parse_retry_after(header)
        if seconds is None:
            return None
        return min(seconds, self.max_retry_after)


def parse_retry_after(header: str | None) -> float | None:
    """Parse a Retry-After value given in seconds or as an HTTP date."""
    if header is None or not header.strip():
        return None
    value = header.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class RateLimitGate:
    """Pause shared by every thread of one client after Credly responds with 429.

    Any thread that receives 429 moves the resume time forward. Every thread calls
    ``wait`` before it sends a request, so all of them hold back until that time.
    """

    def __init__(
        self, clock: Callable[[], float], sleep: Callable[[float], None]
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._resume_at = float("-inf")

    def block_for(self, seconds: float) -> None:
        """Hold back all requests for at least ``seconds`` from now."""
        with self._lock:
            self._resume_at = max(self._resume_at, self._clock() + seconds)

    def wait(self) -> float:
        """Sleep until the resume time and return the seconds slept.

        It sleeps once for the remaining time and does not re-check the clock
        afterwards, so an injected sleep that does not advance the clock cannot
        make it spin. A pause extended meanwhile shows up as another 429.
        """
        with self._lock:
            remaining = self._resume_at - self._clock()
        if remaining <= 0:
            return 0.0
        self._sleep(remaining)
        return remaining
