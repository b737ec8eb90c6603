"""A local stand-in for the Credly Web Service API, for tests and benchmarks.

It serves the badge template and issued badge endpoints under /v1 on
127.0.0.1 with Credly's envelope, pagination, filters, validation and
duplicate rules, and it can inject latency, 429s, 5xx and dropped responses.
"""

import argparse
import json
import logging
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TypeVar

from mcval.credly.stub_faults import FaultInjector, FaultSettings
from mcval.credly.stub_handler import HOST, StubIdentity, StubServer
from mcval.credly.stub_state import StubState

logger = logging.getLogger(__name__)

DEFAULT_TOKEN = "stub-token"
DEFAULT_ORGANIZATION_ID = "00000000-0000-4000-8000-000000000001"


class CredlyStub:
    """The Credly stand-in server, run on a background thread.

    ``port=0`` picks a free port. Use it as a context manager, or call
    ``start`` and ``stop``.
    """

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        read_only_token: str | None = None,
        organization_id: str = DEFAULT_ORGANIZATION_ID,
        port: int = 0,
        state_file: Path | None = None,
        faults: FaultSettings | None = None,
    ) -> None:
        self.token = token
        self.read_only_token = read_only_token
        self.organization_id = organization_id
        self._port = port
        self._state_file = state_file
        self._faults = FaultInjector(faults)
        self._server: StubServer | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> Self:
        """Bind the port, load the state file if any, and serve on a thread."""
        if self._server is not None:
            raise RuntimeError("the Credly stand-in is already running")
        identity = StubIdentity(self.organization_id, self.token, self.read_only_token)
        state = StubState(self._state_file)
        self._server = StubServer(self._port, identity, state, self._faults)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="credly-stub",
            daemon=True,
        )
        self._thread.start()
        logger.info("Credly stand-in started at %s", self.url)
        return self

    def stop(self) -> None:
        """Stop serving and close the socket. A stopped stand-in can start again."""
        if self._server is None or self._thread is None:
            return
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
        self._server.state.flush()
        logger.info("Credly stand-in at %s stopped", self.url)
        self._server = None
        self._thread = None

    @property
    def port(self) -> int:
        return self._running().server_address[1]

    @property
    def origin(self) -> str:
        """The scheme, host and port, where the /_stub admin endpoints live."""
        return self._running().origin

    @property
    def url(self) -> str:
        """The API base URL to give the Credly client."""
        return f"{self.origin}/v1"

    def configure_faults(self, changes: Mapping[str, Any]) -> None:
        """Change fault settings, as ``POST /_stub/faults`` does."""
        self._faults.configure(changes)

    def stats(self) -> dict[str, object]:
        """Return the request counts, as ``GET /_stub/stats`` does."""
        return self._running().stats.snapshot()

    def snapshot(self) -> dict[str, Any]:
        """Return all records, as ``GET /_stub/state`` does."""
        return self._running().state.snapshot()

    def _running(self) -> StubServer:
        if self._server is None:
            raise RuntimeError("the Credly stand-in is not running")
        return self._server


Number = TypeVar("Number", int, float)


def parse_arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="mcval credly-stub",
        description=f"Serve a local Credly stand-in on {HOST}.",
    )
    parser.add_argument(
        "--port",
        type=_bounded(int, 0, 65535),
        default=8765,
        help="TCP port to listen on, or 0 for any free port (default: 8765)",
    )
    parser.add_argument(
        "--state-file", type=Path, help="JSON file that keeps records across restarts"
    )
    parser.add_argument(
        "--latency-ms",
        type=_bounded(int, 0, 60_000),
        default=0,
        help="delay added to each request, in ms",
    )
    parser.add_argument(
        "--fault-rate",
        type=_bounded(float, 0, 1),
        default=0.0,
        help="probability (0 to 1) that a request gets an injected 429, 502 or 503",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed for injected faults")
    parser.add_argument(
        "--token",
        default=DEFAULT_TOKEN,
        help=f"authorization token to accept (default: {DEFAULT_TOKEN});"
        " set CREDLY_TOKEN to it",
    )
    parser.add_argument(
        "--read-only-token", help="extra token that may only read (writes get 403)"
    )
    parser.add_argument(
        "--organization-id",
        default=DEFAULT_ORGANIZATION_ID,
        help="the one organization id the stand-in serves",
    )
    return parser.parse_args(argv)


def _bounded(
    kind: Callable[[str], Number], low: Number, high: Number
) -> Callable[[str], Number]:
    """Return an argparse type that reads a number between `low` and `high`."""

    def read(text: str) -> Number:
        try:
            value = kind(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(f"'{text}' is not a number") from exc
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text} is not between {low} and {high}")
        return value

    return read


def stub_from_arguments(arguments: argparse.Namespace) -> CredlyStub:
    """Build a stand-in, not yet started, from parsed command-line arguments."""
    faults = FaultSettings.from_rate(
        arguments.fault_rate, latency_ms=arguments.latency_ms, seed=arguments.seed
    )
    return CredlyStub(
        token=arguments.token,
        read_only_token=arguments.read_only_token,
        organization_id=arguments.organization_id,
        port=arguments.port,
        state_file=arguments.state_file,
        faults=faults,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the stand-in in the foreground until interrupted and return the exit code."""
    arguments = parse_arguments(argv)
    try:
        stub = stub_from_arguments(arguments).start()
    except (OSError, ValueError) as exc:
        print(f"Error: cannot start the Credly stand-in: {exc}", file=sys.stderr)
        return 1
    try:
        summary = {
            "url": stub.url,
            "organization_id": stub.organization_id,
            "token": stub.token,
        }
        print(json.dumps(summary), flush=True)
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        stub.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
