"""Badge template endpoints, through the client and the stand-in."""

import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from mcval.credly import CredlyClient
from mcval.credly.stub import CredlyStub
from mcval.errors import CredlyError

Payload = dict[str, Any]
ISO_UTC = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"


def test_create_returns_active_template(template: Payload) -> None:
    assert template["state"] == "active"
    assert template["name"] == "Data Literacy"
    assert template["image_url"] == "https://images.example.edu/badge.png"
    assert re.fullmatch(ISO_UTC, template["created_at"])
    assert all("id" in activity for activity in template["badge_template_activities"])


def test_create_sends_location_header(
    stub: CredlyStub, template_payload: Callable[..., Payload]
) -> None:
    response = httpx.post(
        f"{stub.url}/organizations/{stub.organization_id}/badge_templates",
        json=template_payload(),
        auth=(stub.token, ""),
    )

    assert response.status_code == 201
    created = response.json()["data"]
    assert response.headers["Location"].endswith(f"/badge_templates/{created['id']}")
    assert response.headers["Location"].startswith(stub.url)


def test_get_returns_created_template(client: CredlyClient, template: Payload) -> None:
    fetched = client.get_badge_template(template["id"])

    assert fetched["id"] == template["id"]
    assert fetched["skills"] == template["skills"]
    assert fetched["badges_count"] == 0


def test_get_unknown_template_is_404(client: CredlyClient) -> None:
    with pytest.raises(CredlyError) as caught:
        client.get_badge_template("no-such-template")

    assert caught.value.status == 404
    assert "no-such-template" in str(caught.value)


def test_update_changes_fields(client: CredlyClient, template: Payload) -> None:
    updated = client.update_badge_template(
        template["id"], {"description": "Revised text.", "level": "Intermediate"}
    )

    assert updated["description"] == "Revised text."
    assert updated["level"] == "Intermediate"
    assert updated["name"] == template["name"]
    assert client.get_badge_template(template["id"])["description"] == "Revised text."


def test_update_rejects_too_few_skills(client: CredlyClient, template: Payload) -> None:
    with pytest.raises(CredlyError) as caught:
        client.update_badge_template(template["id"], {"skills": ["One", "Two"]})

    assert caught.value.status == 422
    assert client.get_badge_template(template["id"])["skills"] == template["skills"]


def test_archive_and_unarchive(client: CredlyClient, template: Payload) -> None:
    archived = client.archive_badge_template(template["id"])
    archived_again = client.archive_badge_template(template["id"])
    restored = client.unarchive_badge_template(template["id"])

    assert archived["state"] == "archived"
    assert archived_again["state"] == "archived"
    assert restored["state"] == "active"


def test_delete_returns_204(stub: CredlyStub, template: Payload) -> None:
    url = f"{stub.url}/organizations/{stub.organization_id}/badge_templates/"
    response = httpx.delete(url + template["id"], auth=(stub.token, ""))

    assert response.status_code == 204
    assert httpx.get(url + template["id"], auth=(stub.token, "")).status_code == 404


def test_trailing_slash_tolerated(stub: CredlyStub, template: Payload) -> None:
    url = f"{stub.url}/organizations/{stub.organization_id}/badge_templates/"
    response = httpx.get(url, auth=(stub.token, ""))

    assert response.status_code == 200
    assert response.json()["data"][0]["id"] == template["id"]


def test_list_reads_every_page(
    client: CredlyClient,
    stub: CredlyStub,
    template_payload: Callable[..., Payload],
) -> None:
    names = [f"Badge {number:03d}" for number in range(123)]
    client.run_batch(
        [
            lambda name=name: client.create_badge_template(template_payload(name))
            for name in names
        ]
    )
    before = client.request_counts().get("GET", 0)

    templates = client.list_badge_templates(sort="name")

    assert [t["name"] for t in templates] == names
    assert client.request_counts()["GET"] - before == 3


def test_list_page_urls_absolute(
    client: CredlyClient,
    stub: CredlyStub,
    template_payload: Callable[..., Payload],
) -> None:
    for number in range(51):
        client.create_badge_template(template_payload(f"Badge {number}"))
    url = f"{stub.url}/organizations/{stub.organization_id}/badge_templates"

    first = httpx.get(url, params={"sort": "name"}, auth=(stub.token, "")).json()
    second = httpx.get(first["metadata"]["next_page_url"], auth=(stub.token, ""))

    metadata = first["metadata"]
    assert metadata["per"] == 50
    assert metadata["count"] == 50
    assert metadata["total_count"] == 51
    assert metadata["total_pages"] == 2
    assert metadata["previous_page_url"] is None
    assert metadata["next_page_url"].startswith(url + "?")
    assert "sort=name" in metadata["next_page_url"]
    assert second.json()["metadata"]["next_page_url"] is None
    assert second.json()["metadata"]["previous_page_url"].startswith(url + "?")
    assert len(second.json()["data"]) == 1


@pytest.mark.parametrize(
    ("filter", "expected"),
    [
        ({"name": "data"}, ["Data Literacy", "Data Ethics"]),
        ({"name": '"Data Ethics"'}, ["Data Ethics"]),
        ({"query": "welding"}, ["Safe Welding"]),
        ({"state": "archived"}, ["Data Ethics"]),
        (
            {"state": ["active", "archived"]},
            ["Data Literacy", "Data Ethics", "Safe Welding"],
        ),
        ({"reporting_tags": "mcval:safe-welding"}, ["Safe Welding"]),
        ({"skills": ["Brazing", "Ethics"]}, ["Data Ethics", "Safe Welding"]),
        ("state::active|query::data", ["Data Literacy"]),
    ],
)
def test_list_filters(
    client: CredlyClient,
    template_payload: Callable[..., Payload],
    filter: Any,
    expected: list[str],
) -> None:
    client.create_badge_template(template_payload("Data Literacy"))
    ethics = client.create_badge_template(
        template_payload("Data Ethics", skills=["Ethics", "Privacy", "Law"])
    )
    client.archive_badge_template(ethics["id"])
    client.create_badge_template(
        template_payload(
            "Safe Welding",
            description="Arc welding safety.",
            skills=["Welding", "Brazing", "Safety"],
        )
    )

    templates = client.list_badge_templates(filter=filter)

    assert [t["name"] for t in templates] == expected


def test_list_sorts_by_key(
    client: CredlyClient, template_payload: Callable[..., Payload]
) -> None:
    for name in ("Beta", "Alpha", "Gamma"):
        client.create_badge_template(template_payload(name))

    by_name = client.list_badge_templates(sort="-name")
    by_creation = client.list_badge_templates(sort="created_at")

    assert [t["name"] for t in by_name] == ["Gamma", "Beta", "Alpha"]
    assert [t["name"] for t in by_creation] == ["Beta", "Alpha", "Gamma"]


def test_list_rejects_unknown_filter_key(client: CredlyClient) -> None:
    with pytest.raises(CredlyError) as caught:
        client.list_badge_templates(filter={"colour": "blue"})

    assert caught.value.status == 400
    assert "colour" in str(caught.value)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "Name can't be blank"),
        ({"description": None}, "Description can't be blank"),
        ({"image": None}, "Image can't be blank"),
        ({"skills": ["One", "Two"]}, "At least three skills are required"),
        ({"skills": ["One", "one", "Two"]}, "At least three skills are required"),
        ({"global_activity_url": ""}, "Global activity url can't be blank"),
        (
            {"badge_template_activities": []},
            "At least one badge template activity is required",
        ),
    ],
)
def test_create_validation(
    client: CredlyClient,
    template_payload: Callable[..., Payload],
    changes: Payload,
    message: str,
) -> None:
    with pytest.raises(CredlyError) as caught:
        client.create_badge_template(template_payload(**changes))

    assert caught.value.status == 422
    assert caught.value.credly_message == message
    assert str(caught.value) == (
        f"Credly rejected POST /organizations/{client.organization_id}"
        f"/badge_templates (422): {message}"
    )
    assert client.list_badge_templates() == []


def test_create_lists_every_problem(
    client: CredlyClient, template_payload: Callable[..., Payload]
) -> None:
    with pytest.raises(CredlyError) as caught:
        client.create_badge_template(template_payload(name="", skills=["One"]))

    assert caught.value.credly_message == (
        "Name can't be blank, At least three skills are required"
    )


def test_find_template_by_reporting_tag(
    client: CredlyClient, template_payload: Callable[..., Payload]
) -> None:
    client.create_badge_template(template_payload("Data Literacy"))
    wanted = client.create_badge_template(template_payload("Data Ethics"))

    found = client.find_badge_template("mcval:data-ethics")

    assert found is not None
    assert found["id"] == wanted["id"]
    assert client.find_badge_template("mcval:missing") is None


def test_list_all_reads_pages_at_once(
    client: CredlyClient,
    stub: CredlyStub,
    template_payload: Callable[..., Payload],
) -> None:
    names = [f"Badge {number:03d}" for number in range(123)]
    client.run_batch(
        [
            lambda name=name: client.create_badge_template(template_payload(name))
            for name in names
        ]
    )
    before = client.request_counts().get("GET", 0)

    templates = client.list_all_badge_templates()

    assert sorted(t["name"] for t in templates) == names
    assert len({t["id"] for t in templates}) == 123
    assert client.request_counts()["GET"] - before == 3


def test_list_all_single_page(client: CredlyClient, template: Payload) -> None:
    templates = client.list_all_badge_templates()

    assert [t["id"] for t in templates] == [template["id"]]


def test_delete_template_twice(client: CredlyClient, template: Payload) -> None:
    assert client.delete_badge_template(template["id"]) is True
    assert client.delete_badge_template(template["id"]) is False
