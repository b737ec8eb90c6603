"""Translation of Credly responses into data or a CredlyError."""

from typing import Any

import httpx

from mcval.errors import CredlyError

TOKEN_HINT = "set CREDLY_TOKEN to a valid authorization token"
WRITE_TOKEN_HINT = "set CREDLY_TOKEN to an authorization token with write access"


def read_envelope(method: str, path: str, response: httpx.Response) -> dict[str, Any]:
    """Return the ``{"data", "metadata"}`` body of a successful response.

    Raises CredlyError for an error status or a body that is not the envelope.
    A 204 response has no body and yields ``{"data": None, "metadata": {}}``.
    """
    if response.is_error:
        raise error_for_response(method, path, response)
    if response.status_code == 204:
        return {"data": None, "metadata": {}}
    body = _json_body(method, path, response)
    if not isinstance(body, dict) or "data" not in body:
        raise CredlyError(
            f"Credly returned an unexpected body for {method} {path}: no data field",
            method=method,
            path=path,
            status=response.status_code,
            hint=URL_HINT,
        )
    return body


def error_for_response(method: str, path: str, response: httpx.Response) -> CredlyError:
    """Build the CredlyError for an error response, in one plain line."""
    status = response.status_code
    credly_message = _credly_message(response)
    verb = "rejected" if status < 500 else "failed on"
    reason, hint = _explain(status, credly_message or response.reason_phrase)
    return CredlyError(
        f"Credly {verb} {method} {path} ({status}): {reason}",
        method=method,
        path=path,
        status=status,
        credly_message=credly_message,
        hint=hint,
    )


URL_HINT = (
    "check --credly-url (or CREDLY_BASE_URL) and the organization id: the server"
    " did not answer like Credly's API"
)


def _explain(status: int, message: str) -> tuple[str, str | None]:
    if status == 404:
        return message, URL_HINT
    if status == 401:
        return "the authorization token is invalid or expired", TOKEN_HINT
    if status == 403:
        reason = "the authorization token lacks permission (it may be read-only)"
        return reason, WRITE_TOKEN_HINT
    if status >= 500:
        return message, "try again later"
    return message, None


def _credly_message(response: httpx.Response) -> str | None:
    try:
        body = response.json()
    except ValueError:
        return None
    data = body.get("data") if isinstance(body, dict) else None
    message = data.get("message") if isinstance(data, dict) else None
    return message if isinstance(message, str) else None


def _json_body(method: str, path: str, response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError as exc:
        raise CredlyError(
            f"Credly returned a body that is not JSON for {method} {path}",
            method=method,
            path=path,
            status=response.status_code,
            hint=URL_HINT,
        ) from exc
