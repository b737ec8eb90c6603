"""HTTP server and request handler of the Credly stand-in."""

import json
import logging
import sys
import time
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from mcval.credly.redact import loggable_target, mask_emails
from mcval.credly.stub_admin import handle_admin
from mcval.credly.stub_auth import Access, check_access
from mcval.credly.stub_faults import FaultInjector
from mcval.credly.stub_records import StubError
from mcval.credly.stub_routes import RouteRequest, StubResponse, error, match_route
from mcval.credly.stub_state import StubState
from mcval.credly.stub_stats import StubStats

logger = logging.getLogger(__name__)

API_PREFIX = "/v1"
ADMIN_PREFIX = "/_stub"
HOST = "127.0.0.1"


@dataclass(frozen=True)
class StubIdentity:
    """The organization and tokens the stand-in accepts."""

    organization_id: str
    token: str
    read_only_token: str | None = None


class StubServer(ThreadingHTTPServer):
    """Threaded HTTP server on 127.0.0.1 that owns the stand-in's parts."""

    daemon_threads = True

    def __init__(
        self,
        port: int,
        identity: StubIdentity,
        state: StubState,
        faults: FaultInjector,
    ) -> None:
        super().__init__((HOST, port), StubHandler)
        self.identity = identity
        self.state = state
        self.faults = faults
        self.stats = StubStats()
        self.origin = f"http://{HOST}:{self.server_address[1]}"
        state.base_url = self.origin

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that goes away mid-response (killed, timed out) is normal
        # here, so it gets a debug line rather than a traceback on stderr.
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError):
            logger.debug("client %s went away: %s", client_address, error)
            return
        super().handle_error(request, client_address)


class StubHandler(BaseHTTPRequestHandler):
    """Serves the Credly API under /v1 and the admin endpoints under /_stub."""

    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes. With Nagle's algorithm on, the
    # body can wait for the client's delayed ACK, adding tens of ms per request.
    disable_nagle_algorithm = True
    # Idle keep-alive connections are closed after this many seconds.
    timeout = 30
    server: StubServer

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Leave request logging to ``_handle``, which masks e-mail addresses."""

    def log_message(self, format: str, *args: Any) -> None:
        logger.info("%s", mask_emails(format % args))

    def _handle(self, method: str) -> None:
        started = time.perf_counter()
        try:
            response = self._respond(method)
        except Exception:
            # Keeps the server up after a bug in the stand-in, and shows it to the
            # client as a 500 rather than as a dropped connection.
            logger.exception("Credly stand-in failed on %s", loggable_target(self.path))
            response = error(500, "Internal error in the Credly stand-in")
            self.close_connection = True
        if response is None:
            # An injected "drop": the write is committed but no response is sent.
            self.close_connection = True
            self._log(method, "dropped", started)
            return
        self._write(response)
        self._log(method, str(response.status), started)

    def _respond(self, method: str) -> StubResponse | None:
        target = urlsplit(self.path)
        path = target.path.rstrip("/") or "/"
        query = dict(parse_qsl(target.query, keep_blank_values=True))
        length = self.headers.get("Content-Length") or "0"
        if not length.isdigit():
            self.close_connection = True
            return error(400, f"Invalid Content-Length: {length}")
        body = self.rfile.read(int(length))
        if path == ADMIN_PREFIX or path.startswith(ADMIN_PREFIX + "/"):
            return self._admin(method, path, body)
        return self._api(method, path, query, body)

    def _admin(self, method: str, path: str, body: bytes) -> StubResponse:
        try:
            parsed = _parse_json(body)
        except StubError as exc:
            return StubResponse(exc.status, {"error": exc.message})
        parts = (self.server.state, self.server.faults, self.server.stats)
        return handle_admin(method, path, parsed, parts)

    def _api(
        self, method: str, path: str, query: dict[str, str], body: bytes
    ) -> StubResponse | None:
        time.sleep(self.server.faults.latency_seconds())
        fault = None
        kind = "unknown"
        try:
            route, params = match_route(method, _below_prefix(path))
            kind = route.kind
            self._authorize(method, params["org"])
            fault = self.server.faults.choose(method)
            if fault is not None and fault != "drop":
                return self._fault_response(fault)
            request = RouteRequest(
                params, query, _parse_json(body), self.server.origin + path
            )
            response = route.action(self.server.state, request)
        except StubError as exc:
            response = error(exc.status, exc.message)
        finally:
            self.server.stats.record(method, kind, fault)
        return None if fault == "drop" else response

    def _authorize(self, method: str, organization_id: str) -> None:
        identity = self.server.identity
        access = check_access(
            self.headers.get("Authorization"), identity.token, identity.read_only_token
        )
        if access is Access.NONE:
            raise StubError(401, "Invalid or missing authorization token")
        if method != "GET" and access is Access.READ:
            raise StubError(403, "This authorization token does not allow writes")
        if organization_id != identity.organization_id:
            raise StubError(404, f"Organization not found: {organization_id}")

    def _fault_response(self, fault: str) -> StubResponse:
        status = int(fault)
        if status != 429:
            return error(status, "Injected server error")
        retry_after = str(self.server.faults.retry_after())
        return replace(
            error(429, "Too many requests"), headers={"Retry-After": retry_after}
        )

    def _write(self, response: StubResponse) -> None:
        payload = b"" if response.body is None else json.dumps(response.body).encode()
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        if response.status != 204:
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _log(self, method: str, outcome: str, started: float) -> None:
        elapsed_ms = (time.perf_counter() - started) * 1000
        target = loggable_target(self.path)
        logger.debug("%s %s %s %.0f ms", method, target, outcome, elapsed_ms)


def _below_prefix(path: str) -> str:
    if path != API_PREFIX and not path.startswith(API_PREFIX + "/"):
        raise StubError(404, f"Not found: {path} (the API is under {API_PREFIX})")
    return path[len(API_PREFIX) :]


def _parse_json(body: bytes) -> Any:
    if not body.strip():
        return None
    try:
        return json.loads(body)
    except ValueError:
        raise StubError(400, "The request body is not valid JSON") from None
