"""Authorization: tokens, 401 and 403, and reading the token from the environment."""

import base64
import http.server
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from mcval.credly import CredlyClient, token_from_environment
from mcval.credly.stub import CredlyStub
from mcval.errors import CredlyError

Payload = dict[str, Any]


def test_wrong_token_is_one_line(make_client: Callable[..., CredlyClient]) -> None:
    client = make_client(token="expired-token-0000")

    with pytest.raises(CredlyError) as caught:
        client.list_badge_templates()

    error = caught.value
    assert error.status == 401
    assert str(error) == (
        f"Credly rejected GET /organizations/{client.organization_id}"
        "/badge_templates (401): the authorization token is invalid or expired"
    )
    assert "\n" not in str(error)
    assert error.hint == "set CREDLY_TOKEN to a valid authorization token"


def test_wrong_token_not_retried(make_client: Callable[..., CredlyClient]) -> None:
    client = make_client(token="expired-token-0000")

    with pytest.raises(CredlyError):
        client.list_badge_templates()

    assert client.request_counts() == {"GET": 1}


def test_read_only_token_reads(
    stub: CredlyStub, make_client: Callable[..., CredlyClient], template: Payload
) -> None:
    reader = make_client(token=stub.read_only_token)

    assert [t["id"] for t in reader.list_badge_templates()] == [template["id"]]


def test_read_only_token_cannot_write(
    stub: CredlyStub,
    make_client: Callable[..., CredlyClient],
    template_payload: Callable[..., Payload],
) -> None:
    reader = make_client(token=stub.read_only_token)

    with pytest.raises(CredlyError) as caught:
        reader.create_badge_template(template_payload())

    error = caught.value
    assert error.status == 403
    assert str(error).endswith(
        "(403): the authorization token lacks permission (it may be read-only)"
    )
    assert error.hint == "set CREDLY_TOKEN to an authorization token with write access"


@pytest.mark.parametrize("suffix", ["", ":", "|"])
def test_basic_credential_forms(stub: CredlyStub, suffix: str) -> None:
    credential = base64.b64encode(f"{stub.token}{suffix}".encode()).decode()
    url = f"{stub.url}/organizations/{stub.organization_id}/badge_templates"

    response = httpx.get(url, headers={"Authorization": f"Basic {credential}"})

    assert response.status_code == 200


def test_missing_credentials_get_envelope(stub: CredlyStub) -> None:
    url = f"{stub.url}/organizations/{stub.organization_id}/badge_templates"

    response = httpx.get(url)

    assert response.status_code == 401
    assert response.json() == {
        "data": {"message": "Invalid or missing authorization token"},
        "metadata": None,
    }


def test_other_organization_is_404(stub: CredlyStub) -> None:
    url = f"{stub.url}/organizations/another-org/badge_templates"

    response = httpx.get(url, auth=(stub.token, ""))

    assert response.status_code == 404


def test_token_from_environment() -> None:
    assert token_from_environment({"CREDLY_TOKEN": " abc123 "}) == "abc123"


@pytest.mark.parametrize("environ", [{}, {"CREDLY_TOKEN": "  "}])
def test_token_from_environment_unset(environ: dict[str, str]) -> None:
    with pytest.raises(CredlyError) as caught:
        token_from_environment(environ)

    assert str(caught.value) == "CREDLY_TOKEN is not set"
    assert caught.value.hint == "set CREDLY_TOKEN to a valid authorization token"


def test_empty_token_rejected(stub: CredlyStub) -> None:
    with pytest.raises(CredlyError) as caught:
        CredlyClient("", stub.organization_id, base_url=stub.url)

    assert "token is empty" in str(caught.value)


def test_not_credly_server_hint(tmp_path: Path) -> None:
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    try:
        with (
            CredlyClient("t", "org-1", base_url=url, sleep=lambda _: None) as client,
            pytest.raises(CredlyError) as caught,
        ):
            client.list_badge_templates()
    finally:
        server.shutdown()
        server.server_close()

    assert caught.value.status == 404
    assert caught.value.hint is not None
    assert "did not answer like Credly" in caught.value.hint
