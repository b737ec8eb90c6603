"""The console script: loads the CLI so that Ctrl-C during loading stays clean."""

from __future__ import annotations

import sys

EXIT_INTERRUPTED = 130


def main() -> int:
    try:
        # Importing the CLI loads click, httpx and jsonschema, which takes a
        # moment; an interrupt then must not print a traceback either.
        from mcval.cli import main as run_cli
    except KeyboardInterrupt:
        sys.stderr.write("Interrupted.\n")
        return EXIT_INTERRUPTED
    return run_cli()
