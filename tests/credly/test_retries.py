"""Retries, the shared 429 pause, and POSTs whose outcome is unknown."""

import random
from collections.abc import Callable
from typing import Any

import pytest

from mcval.credly import CredlyClient, RetryPolicy
from mcval.credly.retry import RateLimitGate, parse_retry_after
from mcval.credly.stub import CredlyStub
from mcval.errors import CredlyError

Payload = dict[str, Any]
Faults = Callable[[Payload], Payload]
Sleeps = list[tuple[str, float]]
TemplateFactory = Callable[..., Payload]
BadgeFactory = Callable[..., Payload]


def test_429_waits_retry_after(
    client: CredlyClient, sleeps: Sleeps, set_faults: Faults, stub: CredlyStub
) -> None:
    set_faults({"next": ["429"], "retry_after": 7})

    templates = client.list_badge_templates()

    assert templates == []
    assert [delay for _, delay in sleeps] == [7.0]
    assert client.request_counts() == {"GET": 2}
    assert stub.stats()["faults"] == {"429": 1}


def test_429_pauses_all_workers(
    client: CredlyClient, sleeps: Sleeps, set_faults: Faults, stub: CredlyStub
) -> None:
    set_faults({"next": ["429"], "retry_after": 7})
    client.list_badge_templates()

    results = client.run_batch([client.list_badge_templates] * 4)

    assert results == [[], [], [], []]
    worker_sleeps = sleeps[1:]
    assert len(worker_sleeps) == 4
    assert all(name.startswith("credly") for name, _ in worker_sleeps)
    assert all(delay == 7.0 for _, delay in worker_sleeps)
    assert stub.stats()["faults"] == {"429": 1}
    assert client.request_counts() == {"GET": 6}


def test_429_retry_after_zero(
    client: CredlyClient, sleeps: Sleeps, set_faults: Faults
) -> None:
    set_faults({"next": ["429"], "retry_after": 0})

    client.list_badge_templates()

    assert sleeps == []
    assert client.request_counts() == {"GET": 2}


def test_gate_waits_until_resume_time() -> None:
    now = [100.0]
    slept: list[float] = []
    gate = RateLimitGate(lambda: now[0], slept.append)

    gate.block_for(5.0)
    gate.block_for(1.0)
    now[0] = 102.0
    waited = gate.wait()
    now[0] = 105.0
    waited_after = gate.wait()

    assert waited == 3.0
    assert slept == [3.0]
    assert waited_after == 0.0


def test_get_retries_5xx(
    client: CredlyClient, sleeps: Sleeps, set_faults: Faults
) -> None:
    set_faults({"next": ["503", "502", "503"]})

    assert client.list_badge_templates() == []

    assert client.request_counts() == {"GET": 4}
    delays = [delay for _, delay in sleeps]
    assert len(delays) == 3
    assert all(0.0 <= delay <= 0.5 * 2**attempt for attempt, delay in enumerate(delays))


def test_get_500_not_retried(client: CredlyClient, set_faults: Faults) -> None:
    set_faults({"next": ["500"]})

    with pytest.raises(CredlyError) as caught:
        client.list_badge_templates()

    assert caught.value.status == 500
    assert client.request_counts() == {"GET": 1}


def test_put_retries_5xx(
    client: CredlyClient, template: Payload, set_faults: Faults
) -> None:
    set_faults({"next": ["503"]})

    updated = client.update_badge_template(template["id"], {"level": "Advanced"})

    assert updated["level"] == "Advanced"
    assert client.request_counts()["PUT"] == 2


def test_put_dropped_after_commit_retried(
    client: CredlyClient,
    template: Payload,
    badge_payload: BadgeFactory,
    set_faults: Faults,
) -> None:
    badge = client.issue_badge(badge_payload(template["id"]))
    set_faults({"next": ["drop"]})

    revoked = client.revoke_badge(badge["id"], "Issued in error")

    assert revoked["state"] == "revoked"
    assert client.request_counts()["PUT"] == 2


def test_retries_exhausted(
    make_client: Callable[..., CredlyClient], set_faults: Faults
) -> None:
    client = make_client(retry=RetryPolicy(max_attempts=3))
    set_faults({"next": ["503", "503", "503"]})

    with pytest.raises(CredlyError) as caught:
        client.list_badge_templates()

    assert str(caught.value) == (
        f"Credly failed on GET /organizations/{client.organization_id}"
        "/badge_templates (503): Injected server error"
    )
    assert client.request_counts() == {"GET": 3}


def test_connection_refused(stub: CredlyStub) -> None:
    with CredlyStub() as stopped:
        closed_url = stopped.url
    client = CredlyClient(
        "any-token",
        "org-1",
        base_url=closed_url,
        retry=RetryPolicy(max_attempts=2),
        sleep=lambda seconds: None,
    )

    with client, pytest.raises(CredlyError) as caught:
        client.list_badge_templates()

    port = closed_url.split(":")[2].split("/")[0]
    assert str(caught.value) == (
        f"Could not complete GET /organizations/org-1/badge_templates at 127.0.0.1:"
        f"{port} after 2 attempts because of a connection failure"
    )
    assert caught.value.unreachable
    assert client.request_counts() == {"GET": 2}


def test_unreachable_fails_fast(stub: CredlyStub) -> None:
    with CredlyStub() as stopped:
        closed_url = stopped.url
    client = CredlyClient(
        "any-token",
        "org-1",
        base_url=closed_url,
        retry=RetryPolicy(max_attempts=2),
        sleep=lambda seconds: None,
    )

    with client:
        with pytest.raises(CredlyError):
            client.list_badge_templates()
        with pytest.raises(CredlyError) as second:
            client.get_badge_template("t-1")

    assert second.value.unreachable
    assert client.request_counts() == {"GET": 2}


def test_create_drop_resolved_by_lookup(
    client: CredlyClient,
    stub: CredlyStub,
    template_payload: TemplateFactory,
    set_faults: Faults,
) -> None:
    set_faults({"next": ["drop"]})

    created = client.create_badge_template(
        template_payload(),
        lookup=lambda: client.find_badge_template("mcval:data-literacy"),
    )

    stored = stub.snapshot()["badge_templates"]
    assert [template["id"] for template in stored] == [created["id"]]
    assert client.request_counts()["POST"] == 1
    assert stub.stats()["faults"] == {"drop": 1}


def test_issue_drop_resolved_by_lookup(
    client: CredlyClient,
    stub: CredlyStub,
    template: Payload,
    badge_payload: BadgeFactory,
    set_faults: Faults,
) -> None:
    set_faults({"next": ["drop"]})

    badge = client.issue_badge(
        badge_payload(template["id"]),
        lookup=lambda: client.find_issued_badge(template["id"], "S1001"),
    )

    assert [b["id"] for b in stub.snapshot()["badges"]] == [badge["id"]]
    assert badge["state"] == "pending"
    assert client.request_counts()["POST"] == 2


def test_create_503_resent_after_lookup(
    client: CredlyClient,
    stub: CredlyStub,
    template_payload: TemplateFactory,
    set_faults: Faults,
) -> None:
    set_faults({"next": ["503"]})
    lookups: list[Payload | None] = []

    def lookup() -> Payload | None:
        found = client.find_badge_template("mcval:data-literacy")
        lookups.append(found)
        return found

    created = client.create_badge_template(template_payload(), lookup=lookup)

    assert lookups == [None]
    assert [t["id"] for t in stub.snapshot()["badge_templates"]] == [created["id"]]
    assert client.request_counts()["POST"] == 2


def test_create_drop_without_lookup(
    client: CredlyClient,
    stub: CredlyStub,
    template_payload: TemplateFactory,
    set_faults: Faults,
) -> None:
    set_faults({"next": ["drop"]})

    with pytest.raises(CredlyError) as caught:
        client.create_badge_template(template_payload())

    assert str(caught.value) == (
        f"Credly may or may not have applied POST /organizations/"
        f"{client.organization_id}/badge_templates after a dropped connection"
    )
    assert caught.value.hint == "check Credly for the record before trying again"
    assert len(stub.snapshot()["badge_templates"]) == 1
    assert client.request_counts() == {"POST": 1}


def test_create_429_resent_without_lookup(
    client: CredlyClient,
    template_payload: TemplateFactory,
    set_faults: Faults,
) -> None:
    set_faults({"next": ["429"], "retry_after": 2})

    created = client.create_badge_template(template_payload())

    assert created["name"] == "Data Literacy"
    assert client.request_counts() == {"POST": 2}


def test_issue_wrong_lookup_hits_duplicate(
    client: CredlyClient,
    template: Payload,
    badge_payload: BadgeFactory,
    set_faults: Faults,
) -> None:
    set_faults({"next": ["drop"]})

    with pytest.raises(CredlyError) as caught:
        client.issue_badge(badge_payload(template["id"]), lookup=lambda: None)

    assert caught.value.credly_message == "User already has this badge"
    assert len(client.list_issued_badges()) == 1


def test_backoff_full_jitter() -> None:
    policy = RetryPolicy(base_delay=1.0, max_delay=8.0)
    rng = random.Random(3)

    for attempt in range(1, 9):
        ceiling = min(8.0, 2.0 ** (attempt - 1))
        delays = [policy.backoff(attempt, rng) for _ in range(200)]
        assert all(0.0 <= delay <= ceiling for delay in delays)
        assert max(delays) > ceiling / 2


def test_retry_policy_rejects_zero_attempts() -> None:
    with pytest.raises(ValueError, match="max_attempts must be at least 1"):
        RetryPolicy(max_attempts=0)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("5", 5.0),
        ("0", 0.0),
        ("1.5", 1.5),
        ("", None),
        (None, None),
        ("soon", None),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),
    ],
)
def test_parse_retry_after(header: str | None, expected: float | None) -> None:
    assert parse_retry_after(header) == expected


def test_retry_after_capped() -> None:
    policy = RetryPolicy(max_retry_after=60.0)

    assert policy.retry_after_delay("3600") == 60.0


def test_issue_duplicate_after_missed_lookup(
    client: CredlyClient,
    stub: CredlyStub,
    template: Payload,
    badge_payload: BadgeFactory,
    set_faults: Faults,
) -> None:
    set_faults({"next": ["drop"]})
    lookups: list[Payload | None] = []

    def lookup() -> Payload | None:
        # The first lookup misses, as if Credly were still processing the request.
        found = (
            None if not lookups else client.find_issued_badge(template["id"], "S1001")
        )
        lookups.append(found)
        return found

    badge = client.issue_badge(badge_payload(template["id"]), lookup=lookup)

    assert lookups[0] is None
    assert lookups[1] == badge
    assert [b["id"] for b in stub.snapshot()["badges"]] == [badge["id"]]
