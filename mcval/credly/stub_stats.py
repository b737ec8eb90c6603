"""Counts of the requests the Credly stand-in received, for benchmarks."""

import threading
from collections import Counter


class StubStats:
    """Thread-safe request counts per method and route, and injected faults."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: Counter[str] = Counter()
        self._methods: Counter[str] = Counter()
        self._faults: Counter[str] = Counter()

    def record(self, method: str, route: str, fault: str | None) -> None:
        with self._lock:
            self._requests[f"{method} {route}"] += 1
            self._methods[method] += 1
            if fault is not None:
                self._faults[fault] += 1

    def snapshot(self) -> dict[str, object]:
        with self._lock:
            return {
                "total": sum(self._methods.values()),
                "by_method": dict(self._methods),
                "by_route": dict(self._requests),
                "faults": dict(self._faults),
            }

    def reset(self) -> None:
        with self._lock:
            self._requests.clear()
            self._methods.clear()
            self._faults.clear()
