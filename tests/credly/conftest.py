"""Fixtures: a Credly stand-in on 127.0.0.1 and a client that talks to it."""

import random
import threading
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from mcval.credly import CredlyClient
from mcval.credly.stub import CredlyStub

Payload = dict[str, Any]


@pytest.fixture
def stub() -> Iterator[CredlyStub]:
    with CredlyStub(
        token="stub-token-9c1d", read_only_token="read-only-token-5f2a"
    ) as running:
        yield running


Sleeps = list[tuple[str, float]]


@pytest.fixture
def sleeps() -> Sleeps:
    """Delays passed to the client's sleep, with the name of the sleeping thread."""
    return []


@pytest.fixture
def make_client(
    stub: CredlyStub, sleeps: Sleeps
) -> Iterator[Callable[..., CredlyClient]]:
    """Build clients for the stand-in with a stopped clock and a sleep that returns.

    Sleep only records its delay, so tests run fast. With the clock stopped, a 429
    pause never runs out, so every later request of that client sleeps first.
    """
    clients: list[CredlyClient] = []

    def sleep(seconds: float) -> None:
        sleeps.append((threading.current_thread().name, seconds))

    def build(**options: Any) -> CredlyClient:
        settings: dict[str, Any] = {
            "base_url": stub.url,
            "sleep": sleep,
            "clock": lambda: 0.0,
            "rng": random.Random(7),
        }
        settings.update(options)
        token = settings.pop("token", stub.token)
        client = CredlyClient(token, stub.organization_id, **settings)
        clients.append(client)
        return client

    yield build
    for client in clients:
        client.close()


@pytest.fixture
def client(make_client: Callable[..., CredlyClient]) -> CredlyClient:
    return make_client()


@pytest.fixture
def set_faults(stub: CredlyStub) -> Callable[[Payload], Payload]:
    """Change the stand-in's fault settings through its admin endpoint."""

    def post(changes: Payload) -> Payload:
        response = httpx.post(f"{stub.origin}/_stub/faults", json=changes)
        assert response.status_code == 200, response.text
        settings: Payload = response.json()
        return settings

    return post


@pytest.fixture
def template_payload() -> Callable[..., Payload]:
    def build(name: str = "Data Literacy", **changes: Any) -> Payload:
        slug = name.lower().replace(" ", "-")
        payload: Payload = {
            "name": name,
            "description": f"Awarded for {name}.",
            "image": {"remote_upload_url": "https://images.example.edu/badge.png"},
            "skills": ["Data analysis", "Statistics", "Visualization"],
            "global_activity_url": f"https://example.edu/badges/{slug}",
            "badge_template_activities": [
                {"activity_type": "Award", "title": "Complete the course"}
            ],
            "reporting_tags": [f"mcval:{slug}"],
        }
        payload.update(changes)
        return payload

    return build


@pytest.fixture
def badge_payload() -> Callable[..., Payload]:
    def build(
        template_id: str, email: str = "alice@example.edu", **changes: Any
    ) -> Payload:
        payload: Payload = {
            "recipient_email": email,
            "badge_template_id": template_id,
            "issued_at": "2024-05-01 09:30:00 -0500",
            "issued_to_first_name": "Alice",
            "issued_to_last_name": "Ng",
            "issuer_earner_id": "S1001",
        }
        payload.update(changes)
        return payload

    return build


@pytest.fixture
def template(client: CredlyClient, template_payload: Callable[..., Payload]) -> Payload:
    return client.create_badge_template(template_payload())
