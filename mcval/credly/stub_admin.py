"""The stand-in's admin endpoints under /_stub/, which need no Credly token.

- ``GET /_stub/state``: every badge template and issued badge.
- ``POST /_stub/reset``: delete all records, restore the start-up fault
  settings and clear the statistics.
- ``GET /_stub/faults`` and ``POST /_stub/faults``: read or change the fault
  settings (see ``stub_faults``). The POST body contains the fields to change.
- ``GET /_stub/stats``: request counts per method and route, and faults sent.
"""

from typing import Any

from mcval.credly.stub_faults import FaultInjector
from mcval.credly.stub_routes import StubResponse
from mcval.credly.stub_state import StubState
from mcval.credly.stub_stats import StubStats


def handle_admin(
    method: str,
    path: str,
    body: Any,
    parts: tuple[StubState, FaultInjector, StubStats],
) -> StubResponse:
    """Serve one admin request, whose ``path`` has no trailing slash."""
    state, faults, stats = parts
    endpoint = (method, path)
    if endpoint == ("GET", "/_stub/state"):
        return StubResponse(200, state.snapshot())
    if endpoint == ("POST", "/_stub/reset"):
        state.reset()
        faults.reset()
        stats.reset()
        return StubResponse(200, {"reset": True})
    if endpoint == ("GET", "/_stub/faults"):
        return StubResponse(200, faults.settings())
    if endpoint == ("POST", "/_stub/faults"):
        return _configure_faults(faults, body)
    if endpoint == ("GET", "/_stub/stats"):
        return StubResponse(200, stats.snapshot())
    return StubResponse(404, {"error": f"unknown admin endpoint: {method} {path}"})


def _configure_faults(faults: FaultInjector, body: Any) -> StubResponse:
    if not isinstance(body, dict):
        return StubResponse(400, {"error": "the body must be a JSON object"})
    try:
        faults.configure(body)
    except (TypeError, ValueError) as exc:
        return StubResponse(400, {"error": str(exc)})
    return StubResponse(200, faults.settings())
