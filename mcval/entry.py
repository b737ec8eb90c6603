"""The console script: loads the CLI so that Ctrl-C during loading stays clean."""

from __future__ import annotations

import signal
import sys
from types import FrameType

EXIT_INTERRUPTED = 130


def _stop(signal_number: int, frame: FrameType | None) -> None:
    # A cancelled CI job sends SIGTERM. Stopping the way Ctrl-C does cancels
    # queued Credly requests and prints that the run was interrupted.
    raise KeyboardInterrupt


def main() -> int:
    signal.signal(signal.SIGTERM, _stop)
    try:
        # Importing the CLI loads click, httpx and jsonschema, which takes a
        # moment; an interrupt then must not print a traceback either.
        from mcval.cli import main as run_cli
    except KeyboardInterrupt:
        sys.stderr.write("Interrupted.\n")
        return EXIT_INTERRUPTED
    return run_cli()
