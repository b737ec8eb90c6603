"""Request logging: one line per request, no token and no full e-mail address."""

import base64
import logging
from collections.abc import Callable
from typing import Any

import pytest

from mcval.credly import CredlyClient
from mcval.credly.stub import CredlyStub
from mcval.errors import CredlyError

Payload = dict[str, Any]
Faults = Callable[[Payload], Payload]


def _secret_forms(token: str) -> list[str]:
    """The token as written and as it appears in a Basic Authorization header."""
    return [
        token,
        base64.b64encode(f"{token}:".encode()).decode(),
        base64.b64encode(token.encode()).decode(),
    ]


def test_token_never_logged(
    caplog: pytest.LogCaptureFixture,
    stub: CredlyStub,
    make_client: Callable[..., CredlyClient],
    template_payload: Callable[..., Payload],
    badge_payload: Callable[..., Payload],
    set_faults: Faults,
) -> None:
    caplog.set_level(logging.DEBUG)
    client = make_client()
    wrong = make_client(token="wrong-token-7e3b")
    reader = make_client(token=stub.read_only_token)
    errors: list[CredlyError] = []

    set_faults({"next": ["429", "503", "drop"]})
    template = client.create_badge_template(
        template_payload(),
        lookup=lambda: client.find_badge_template("mcval:data-literacy"),
    )
    client.issue_badge(
        badge_payload(template["id"]),
        lookup=lambda: client.find_issued_badge(template["id"], "S1001"),
    )
    for failing in (
        wrong.list_badge_templates,
        lambda: reader.create_badge_template(template_payload("Other")),
        lambda: client.create_badge_template(template_payload("Third", skills=[])),
    ):
        with pytest.raises(CredlyError) as caught:
            failing()
        errors.append(caught.value)

    assert caplog.records
    texts = [caplog.text, *(str(e) for e in errors), *(repr(e) for e in errors)]
    texts += [repr(client), repr(wrong), repr(reader)]
    for secret in [
        *_secret_forms(stub.token),
        *_secret_forms("wrong-token-7e3b"),
        *_secret_forms(str(stub.read_only_token)),
    ]:
        assert all(secret not in text for text in texts), secret


def test_email_masked_in_logs(
    caplog: pytest.LogCaptureFixture,
    client: CredlyClient,
    template: Payload,
    badge_payload: Callable[..., Payload],
) -> None:
    client.issue_badge(badge_payload(template["id"]))
    caplog.set_level(logging.DEBUG)

    badges = client.list_issued_badges({"recipient_email": "alice@example.edu"})

    assert len(badges) == 1
    assert "alice@example.edu" not in caplog.text
    assert "alice%40example.edu" not in caplog.text
    assert "recipient_email::a***@example.edu" in caplog.text


def test_one_line_per_request(
    caplog: pytest.LogCaptureFixture, client: CredlyClient, set_faults: Faults
) -> None:
    set_faults({"next": ["503"]})
    caplog.set_level(logging.DEBUG, logger="mcval.credly.session")

    client.list_badge_templates(filter={"state": "active"})

    request_lines = [
        record.getMessage()
        for record in caplog.records
        if record.name == "mcval.credly.session" and record.levelno == logging.DEBUG
    ]
    path = f"/v1/organizations/{client.organization_id}/badge_templates"
    assert len(request_lines) == 2
    assert request_lines[0].startswith(f"GET {path}?filter=state::active 503 ")
    assert request_lines[1].startswith(f"GET {path}?filter=state::active 200 ")
    assert all(line.endswith(" ms") for line in request_lines)


def test_retry_logged(
    caplog: pytest.LogCaptureFixture, client: CredlyClient, set_faults: Faults
) -> None:
    set_faults({"next": ["502"]})
    caplog.set_level(logging.INFO, logger="mcval.credly.session")

    client.list_badge_templates()

    retries = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
    assert len(retries) == 1
    assert retries[0].startswith(
        f"Retrying GET /organizations/{client.organization_id}/badge_templates "
        "after status 502 in "
    )
    assert retries[0].endswith("(attempt 2 of 5)")


def test_client_repr(client: CredlyClient, stub: CredlyStub) -> None:
    assert repr(client) == (
        f"CredlyClient(base_url='{stub.url}', "
        f"organization_id='{stub.organization_id}')"
    )
