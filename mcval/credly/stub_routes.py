"""Routes of the Credly stand-in's API under /v1, mapped to state operations."""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from mcval.credly.stub_records import Record, StubError
from mcval.credly.stub_state import StubState


@dataclass(frozen=True)
class RouteRequest:
    """A parsed request: path parameters, query, JSON body and the list URL."""

    params: Mapping[str, str]
    query: Mapping[str, str]
    body: Any
    page_url: str


@dataclass(frozen=True)
class StubResponse:
    """A response to send. A ``body`` of None sends no body."""

    status: int
    body: Any = None
    headers: Mapping[str, str] = field(default_factory=dict)


Action = Callable[[StubState, RouteRequest], StubResponse]


@dataclass(frozen=True)
class Route:
    """One API route. ``kind`` names it in the request statistics."""

    method: str
    pattern: re.Pattern[str]
    kind: str
    action: Action


def single(record: Record | None, status: int = 200) -> StubResponse:
    return StubResponse(status, {"data": record, "metadata": {}})


def error(status: int, message: str) -> StubResponse:
    return StubResponse(status, {"data": {"message": message}, "metadata": None})


def _object(body: Any) -> Mapping[str, Any]:
    if not isinstance(body, dict):
        raise StubError(400, "The request body must be a JSON object")
    return body


def _create_template(state: StubState, request: RouteRequest) -> StubResponse:
    record = state.create_template(_object(request.body))
    location = f"{request.page_url}/{record['id']}"
    return StubResponse(201, {"data": record, "metadata": {}}, {"Location": location})


def _delete_template(state: StubState, request: RouteRequest) -> StubResponse:
    state.delete_template(request.params["id"])
    return StubResponse(204)


def _revoke_badge(state: StubState, request: RouteRequest) -> StubResponse:
    # Some clients send the reason as a query parameter instead of in the body.
    body = request.body if isinstance(request.body, dict) else {}
    reason = body.get("reason", request.query.get("reason"))
    return single(state.revoke_badge(request.params["id"], reason))


def _delete_badge(state: StubState, request: RouteRequest) -> StubResponse:
    state.delete_badge(request.params["id"])
    return StubResponse(204)


def _replace_badge(state: StubState, request: RouteRequest) -> StubResponse:
    record = state.replace_badge(request.params["id"], _object(request.body))
    return single(record, 201)


_ORG = r"/organizations/(?P<org>[^/]+)"
_TEMPLATES = _ORG + "/badge_templates"
_TEMPLATE = _TEMPLATES + "/(?P<id>[^/]+)"
_BADGES = _ORG + "/badges"
_BADGE = _BADGES + "/(?P<id>[^/]+)"

_TABLE: list[tuple[str, str, str, Action]] = [
    (
        "GET",
        _TEMPLATES,
        "badge_templates",
        lambda s, r: StubResponse(200, s.list_templates(r.query, r.page_url)),
    ),
    ("POST", _TEMPLATES, "badge_templates", _create_template),
    (
        "GET",
        _TEMPLATE,
        "badge_template",
        lambda s, r: single(s.get_template(r.params["id"])),
    ),
    (
        "PUT",
        _TEMPLATE,
        "badge_template",
        lambda s, r: single(s.update_template(r.params["id"], _object(r.body))),
    ),
    ("DELETE", _TEMPLATE, "badge_template", _delete_template),
    (
        "PUT",
        _TEMPLATE + "/archive",
        "badge_template/archive",
        lambda s, r: single(s.set_template_state(r.params["id"], "archived")),
    ),
    (
        "PUT",
        _TEMPLATE + "/unarchive",
        "badge_template/unarchive",
        lambda s, r: single(s.set_template_state(r.params["id"], "active")),
    ),
    (
        "GET",
        _BADGES,
        "badges",
        lambda s, r: StubResponse(200, s.list_badges(r.query, r.page_url)),
    ),
    (
        "POST",
        _BADGES,
        "badges",
        lambda s, r: single(s.issue_badge(_object(r.body)), 201),
    ),
    ("GET", _BADGE, "badge", lambda s, r: single(s.get_badge(r.params["id"]))),
    ("DELETE", _BADGE, "badge", _delete_badge),
    ("PUT", _BADGE + "/revoke", "badge/revoke", _revoke_badge),
    ("POST", _BADGE + "/replace", "badge/replace", _replace_badge),
]

ROUTES = [
    Route(method, re.compile(pattern), kind, action)
    for method, pattern, kind, action in _TABLE
]


def match_route(method: str, path: str) -> tuple[Route, dict[str, str]]:
    """Find the route for a path below /v1, or raise StubError 404 or 405."""
    path_found = False
    for route in ROUTES:
        match = route.pattern.fullmatch(path)
        if match is None:
            continue
        if route.method == method:
            return route, match.groupdict()
        path_found = True
    if path_found:
        raise StubError(405, f"Method not allowed: {method} {path}")
    raise StubError(404, f"Not found: {path}")
