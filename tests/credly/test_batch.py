"""Running client calls concurrently with run_batch."""

import threading
from collections.abc import Callable
from typing import Any

import pytest

from mcval.credly import CredlyClient
from mcval.credly.stub import CredlyStub
from mcval.errors import CredlyError

Payload = dict[str, Any]


def test_batch_keeps_call_order(
    client: CredlyClient, stub: CredlyStub, template_payload: Callable[..., Payload]
) -> None:
    names = [f"Badge {number}" for number in range(12)]

    created = client.run_batch(
        [
            lambda name=name: client.create_badge_template(template_payload(name))
            for name in names
        ]
    )

    assert [template["name"] for template in created] == names
    assert len(stub.snapshot()["badge_templates"]) == 12
    assert stub.stats()["by_method"] == {"POST": 12}


def test_batch_bounded_by_max_concurrency(
    make_client: Callable[..., CredlyClient],
) -> None:
    client = make_client(max_concurrency=2)
    threads: set[str] = set()

    def call() -> list[Payload]:
        threads.add(threading.current_thread().name)
        return client.list_badge_templates()

    client.run_batch([call] * 10)

    assert 1 <= len(threads) <= 2


def test_batch_raises_first_error(
    client: CredlyClient, template_payload: Callable[..., Payload]
) -> None:
    calls = [
        lambda: client.create_badge_template(template_payload("First")),
        lambda: client.create_badge_template(template_payload("Broken", skills=[])),
        lambda: client.create_badge_template(template_payload("Last")),
    ]

    with pytest.raises(CredlyError) as caught:
        client.run_batch(calls)

    assert caught.value.status == 422
    names = {template["name"] for template in client.list_badge_templates()}
    assert names == {"First", "Last"}


def test_batch_rejects_zero_concurrency(stub: CredlyStub) -> None:
    with pytest.raises(ValueError, match="max_concurrency must be at least 1"):
        CredlyClient(stub.token, stub.organization_id, max_concurrency=0)
