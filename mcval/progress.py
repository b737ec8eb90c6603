"""Progress of long runs: a bar on a terminal, periodic lines elsewhere (CI)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TextIO

BAR_WIDTH = 30
# In CI, a line at most this often keeps the log short but shows the run is alive.
LINE_INTERVAL_SECONDS = 10.0


class ProgressReporter:
    """Writes `label: done/total` to a stream as work finishes, from any thread."""

    def __init__(
        self,
        stream: TextIO,
        label: str,
        terminal: bool,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream
        self.label = label
        self.terminal = terminal
        self.clock = clock
        self.lock = threading.Lock()
        self.last_line_at = clock()
        self.finished = False

    def __call__(self, done: int, total: int) -> None:
        with self.lock:
            if self.terminal:
                self._draw_bar(done, total)
            elif (
                done == total
                or self.clock() - self.last_line_at >= LINE_INTERVAL_SECONDS
            ):
                self.stream.write(f"{self.label}: {done}/{total}\n")
                self.last_line_at = self.clock()
            self.stream.flush()

    def _draw_bar(self, done: int, total: int) -> None:
        filled = BAR_WIDTH * done // max(total, 1)
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        end = "\n" if done == total else ""
        self.stream.write(f"\r{self.label} [{bar}] {done}/{total}{end}")


class CompletionCounter:
    """Counts finished tasks across threads and passes each count to a reporter."""

    def __init__(self, total: int, report: Callable[[int, int], None] | None) -> None:
        self.total = total
        self.done = 0
        self.report = report
        self.lock = threading.Lock()

    def step(self) -> None:
        with self.lock:
            self.done += 1
            done = self.done
        if self.report is not None:
            self.report(done, self.total)
