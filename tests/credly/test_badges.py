"""Issued badge endpoints, through the client and the stand-in."""

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from mcval.credly import CredlyClient
from mcval.credly.stub import CredlyStub
from mcval.errors import CredlyError

Payload = dict[str, Any]
BadgeFactory = Callable[..., Payload]


def test_issue_returns_pending_badge(
    client: CredlyClient, template: Payload, badge_payload: BadgeFactory
) -> None:
    badge = client.issue_badge(badge_payload(template["id"]))

    assert badge["state"] == "pending"
    assert badge["recipient_email"] == "alice@example.edu"
    assert badge["issued_to"] == "Alice Ng"
    assert badge["badge_template"]["id"] == template["id"]
    assert badge["issued_at"] == "2024-05-01T14:30:00.000Z"
    assert badge["issued_at_date"] == "2024-05-01"


@pytest.mark.parametrize(
    ("issued_at", "expected"),
    [
        ("2024-05-01 09:30:00 -0500", "2024-05-01T14:30:00.000Z"),
        ("2024-05-01T23:30:00+02:00", "2024-05-01T21:30:00.000Z"),
        ("2024-05-01T14:30:00Z", "2024-05-01T14:30:00.000Z"),
        ("2024-12-31 23:00:00 -0300", "2025-01-01T02:00:00.000Z"),
    ],
)
def test_issue_accepts_date_formats(
    client: CredlyClient,
    template: Payload,
    badge_payload: BadgeFactory,
    issued_at: str,
    expected: str,
) -> None:
    badge = client.issue_badge(badge_payload(template["id"], issued_at=issued_at))

    assert badge["issued_at"] == expected
    assert badge["issued_at_date"] == expected[:10]


def test_issue_rejects_invalid_date(
    client: CredlyClient, template: Payload, badge_payload: BadgeFactory
) -> None:
    with pytest.raises(CredlyError) as caught:
        client.issue_badge(badge_payload(template["id"], issued_at="1 May 2024"))

    assert caught.value.status == 422
    assert caught.value.credly_message == "Issued at is invalid: 1 May 2024"


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("recipient_email", "Recipient email can't be blank"),
        ("issued_at", "Issued at can't be blank"),
        ("issued_to_first_name", "Issued to first name can't be blank"),
        ("issued_to_last_name", "Issued to last name can't be blank"),
        ("badge_template_id", "Invalid or missing Badge Template ID: "),
    ],
)
def test_issue_requires_field(
    client: CredlyClient,
    template: Payload,
    badge_payload: BadgeFactory,
    field: str,
    message: str,
) -> None:
    payload = badge_payload(template["id"])
    del payload[field]

    with pytest.raises(CredlyError) as caught:
        client.issue_badge(payload)

    assert caught.value.status == 422
    assert caught.value.credly_message == message


def test_issue_unknown_template(
    client: CredlyClient, badge_payload: BadgeFactory
) -> None:
    with pytest.raises(CredlyError) as caught:
        client.issue_badge(badge_payload("4b1d-unknown"))

    assert caught.value.status == 422
    assert caught.value.credly_message == (
        "Invalid or missing Badge Template ID: 4b1d-unknown"
    )


def test_issue_archived_template(
    client: CredlyClient, template: Payload, badge_payload: BadgeFactory
) -> None:
    client.archive_badge_template(template["id"])

    with pytest.raises(CredlyError) as caught:
        client.issue_badge(badge_payload(template["id"]))

    assert caught.value.status == 422
    assert "archived" in caught.value.credly_message


@pytest.mark.parametrize(
    "changes",
    [
        {"issuer_earner_id": "S2002"},
        {"recipient_email": "ALICE@Example.edu", "issuer_earner_id": "S2002"},
        {"recipient_email": "alice.ng@example.edu"},
    ],
)
def test_issue_duplicate_rejected(
    client: CredlyClient,
    template: Payload,
    badge_payload: BadgeFactory,
    changes: Payload,
) -> None:
    client.issue_badge(badge_payload(template["id"]))

    with pytest.raises(CredlyError) as caught:
        client.issue_badge(badge_payload(template["id"], **changes))

    assert caught.value.status == 422
    assert caught.value.credly_message == "User already has this badge"
    assert str(caught.value) == (
        f"Credly rejected POST /organizations/{client.organization_id}/badges (422): "
        "User already has this badge"
    )


def test_issue_other_earner_allowed(
    client: CredlyClient, template: Payload, badge_payload: BadgeFactory
) -> None:
    client.issue_badge(badge_payload(template["id"]))

    other = client.issue_badge(
        badge_payload(template["id"], "bo@example.edu", issuer_earner_id="S2002")
    )

    assert other["state"] == "pending"
    assert len(client.list_issued_badges()) == 2


def test_issue_after_revoke_allowed(
    client: CredlyClient, template: Payload, badge_payload: BadgeFactory
) -> None:
    first = client.issue_badge(badge_payload(template["id"]))
    client.revoke_badge(first["id"], "Issued in error")

    second = client.issue_badge(badge_payload(template["id"]))

    assert second["id"] != first["id"]


def test_revoke_is_idempotent(
    client: CredlyClient, template: Payload, badge_payload: BadgeFactory
) -> None:
    badge = client.issue_badge(badge_payload(template["id"]))

    revoked = client.revoke_badge(badge["id"], "Issued in error")
    again = client.revoke_badge(badge["id"], "Another reason")

    assert revoked["state"] == "revoked"
    assert revoked["revocation_reason"] == "Issued in error"
    assert again["state"] == "revoked"
    assert again["revocation_reason"] == "Issued in error"
    assert again["state_updated_at"] == revoked["state_updated_at"]


def test_revoke_unknown_badge(client: CredlyClient) -> None:
    with pytest.raises(CredlyError) as caught:
        client.revoke_badge("no-such-badge", "Issued in error")

    assert caught.value.status == 404


def test_list_badge_filters(
    client: CredlyClient,
    template_payload: Callable[..., Payload],
    badge_payload: BadgeFactory,
) -> None:
    first = client.create_badge_template(template_payload("Data Literacy"))
    second = client.create_badge_template(template_payload("Safe Welding"))
    alice = client.issue_badge(badge_payload(first["id"]))
    client.issue_badge(badge_payload(second["id"]))
    bo = client.issue_badge(
        badge_payload(first["id"], "bo@example.edu", issuer_earner_id="S2002")
    )
    client.revoke_badge(bo["id"], "Issued in error")

    def ids(filter: Any) -> list[str]:
        return [badge["id"] for badge in client.list_issued_badges(filter=filter)]

    assert len(ids({"recipient_email": "Alice@Example.edu"})) == 2
    assert ids({"badge_template_id": first["id"]}) == [alice["id"], bo["id"]]
    assert ids({"issuer_earner_id": "S2002"}) == [bo["id"]]
    assert ids({"state": "revoked"}) == [bo["id"]]
    assert len(ids({"state": ["pending", "accepted"]})) == 2
    assert ids({"badge_template_id": first["id"], "state": "pending"}) == [alice["id"]]


def test_find_issued_badge_skips_revoked(
    client: CredlyClient, template: Payload, badge_payload: BadgeFactory
) -> None:
    badge = client.issue_badge(badge_payload(template["id"]))

    assert (
        client.find_issued_badge(template["id"], "S1001")
        == client.list_issued_badges()[0]
    )
    client.revoke_badge(badge["id"], "Issued in error")
    assert client.find_issued_badge(template["id"], "S1001") is None


def test_replace_links_both_badges(
    stub: CredlyStub,
    client: CredlyClient,
    template: Payload,
    badge_payload: BadgeFactory,
) -> None:
    old = client.issue_badge(badge_payload(template["id"]))
    url = f"{stub.url}/organizations/{stub.organization_id}/badges/{old['id']}/replace"

    response = httpx.post(
        url,
        json={
            "badge_template_id": template["id"],
            "issued_at": "2024-06-01 10:00:00 +0000",
        },
        auth=(stub.token, ""),
    )

    assert response.status_code == 201
    new = response.json()["data"]
    assert new["replaces_badge_id"] == old["id"]
    assert new["recipient_email"] == old["recipient_email"]
    replaced = client.list_issued_badges({"issuer_earner_id": "S1001"})[0]
    assert replaced["replacement_badge_id"] == new["id"]


def test_delete_badge_returns_204(
    stub: CredlyStub,
    client: CredlyClient,
    template: Payload,
    badge_payload: BadgeFactory,
) -> None:
    badge = client.issue_badge(badge_payload(template["id"]))
    url = f"{stub.url}/organizations/{stub.organization_id}/badges/{badge['id']}"

    response = httpx.delete(url, auth=(stub.token, ""))

    assert response.status_code == 204
    assert client.list_issued_badges() == []
