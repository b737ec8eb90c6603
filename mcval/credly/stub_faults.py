"""Fault injection for the Credly stand-in: latency, error statuses, dropped replies.

Settings, as JSON for the ``/_stub/faults`` endpoint:

- ``latency_ms``: delay added to every Credly request, in milliseconds.
- ``retry_after``: the Retry-After value sent with an injected 429, in seconds.
- ``rates``: probability per request of each fault kind, for example
  ``{"429": 0.1, "503": 0.05}``. The rates must add up to at most 1.
- ``next``: fault kinds for the next requests, in order, for deterministic tests.
- ``seed``: seed of the random generator behind ``rates``.

Fault kinds are "429", "500", "502", "503" and "drop". An error status is sent
instead of processing the request. "drop" applies to POST and PUT only: the
stand-in commits the write, then closes the connection without a response.
"""

import random
import threading
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

FAULT_KINDS = ("429", "500", "502", "503", "drop")
DROP_METHODS = frozenset({"POST", "PUT"})


@dataclass
class FaultSettings:
    """Fault injection settings, described field by field in the module docstring."""

    latency_ms: int = 0
    retry_after: int = 1
    rates: dict[str, float] = field(default_factory=dict)
    next: list[str] = field(default_factory=list)
    seed: int = 0

    def __post_init__(self) -> None:
        _check_settings(self)

    @classmethod
    def from_rate(cls, fault_rate: float, **changes: Any) -> "FaultSettings":
        """Spread one fault probability evenly over 429, 502 and 503."""
        share = fault_rate / 3
        return cls(rates={"429": share, "502": share, "503": share}, **changes)


class FaultInjector:
    """Thread-safe choice of the fault, if any, for each request."""

    def __init__(self, settings: FaultSettings | None = None) -> None:
        self._lock = threading.Lock()
        self._initial = settings or FaultSettings()
        self._settings = FaultSettings(**asdict(self._initial))
        self._rng = random.Random(self._settings.seed)

    def settings(self) -> dict[str, Any]:
        with self._lock:
            return asdict(self._settings)

    def configure(self, changes: Mapping[str, Any]) -> None:
        """Replace the given settings, or raise ValueError if one is invalid."""
        unknown = set(changes) - set(asdict(self._initial))
        if unknown:
            raise ValueError(f"unknown fault settings: {', '.join(sorted(unknown))}")
        with self._lock:
            merged = {**asdict(self._settings), **changes}
            self._settings = FaultSettings(**merged)
            if "seed" in changes:
                self._rng = random.Random(self._settings.seed)

    def reset(self) -> None:
        """Restore the settings given at start and reseed the generator."""
        with self._lock:
            self._settings = FaultSettings(**asdict(self._initial))
            self._rng = random.Random(self._settings.seed)

    def latency_seconds(self) -> float:
        with self._lock:
            return self._settings.latency_ms / 1000

    def retry_after(self) -> int:
        with self._lock:
            return self._settings.retry_after

    def choose(self, method: str) -> str | None:
        """Return the fault kind for this request, or None to serve it normally.

        A queued fault applies to the next request it fits. A queued "drop" waits
        for the next POST or PUT, and requests before it are served normally.
        """
        with self._lock:
            queue = self._settings.next
            if queue and _applies(queue[0], method):
                return queue.pop(0)
            draw = self._rng.random()
            for kind in FAULT_KINDS:
                draw -= self._settings.rates.get(kind, 0.0)
                if draw < 0:
                    return kind if _applies(kind, method) else None
            return None


def _applies(kind: str, method: str) -> bool:
    return kind != "drop" or method in DROP_METHODS


def _check_settings(settings: FaultSettings) -> None:
    if settings.latency_ms < 0 or settings.retry_after < 0:
        raise ValueError("latency_ms and retry_after must not be negative")
    kinds = [*settings.rates, *settings.next]
    unknown = sorted(set(kinds) - set(FAULT_KINDS))
    if unknown:
        raise ValueError(
            f"unknown fault kinds: {', '.join(unknown)} "
            f"(expected {', '.join(FAULT_KINDS)})"
        )
    rates = settings.rates.values()
    if any(rate < 0 for rate in rates) or sum(rates) > 1:
        raise ValueError("fault rates must be non-negative and add up to at most 1")
