"""The stand-in itself: state file, admin endpoints, faults and command line."""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from mcval.credly import CredlyClient
from mcval.credly.stub import CredlyStub, main, parse_arguments, stub_from_arguments
from mcval.credly.stub_faults import FaultInjector, FaultSettings

Payload = dict[str, Any]


def test_state_file_survives_restart(
    tmp_path: Path,
    template_payload: Callable[..., Payload],
    badge_payload: Callable[..., Payload],
) -> None:
    state_file = tmp_path / "credly-state.json"
    with (
        CredlyStub(state_file=state_file) as first,
        CredlyClient(first.token, first.organization_id, base_url=first.url) as client,
    ):
        template = client.create_badge_template(template_payload())
        badge = client.issue_badge(badge_payload(template["id"]))

    with (
        CredlyStub(state_file=state_file) as second,
        CredlyClient(
            second.token, second.organization_id, base_url=second.url
        ) as client,
    ):
        templates = client.list_badge_templates()
        badges = client.list_issued_badges()

    assert [t["id"] for t in templates] == [template["id"]]
    assert [b["id"] for b in badges] == [badge["id"]]
    assert templates[0]["badges_count"] == 1
    assert list(tmp_path.iterdir()) == [state_file]
    assert json.loads(state_file.read_text())["version"] == 1


def test_state_file_unreadable(tmp_path: Path) -> None:
    state_file = tmp_path / "credly-state.json"
    state_file.write_text("{not json")

    with pytest.raises(ValueError, match="cannot read the stand-in state file"):
        CredlyStub(state_file=state_file).start()


def test_admin_state_and_reset(stub: CredlyStub, template: Payload) -> None:
    state = httpx.get(f"{stub.origin}/_stub/state").json()
    reset = httpx.post(f"{stub.origin}/_stub/reset")
    after = httpx.get(f"{stub.origin}/_stub/state").json()

    assert [t["id"] for t in state["badge_templates"]] == [template["id"]]
    assert reset.status_code == 200
    assert after["badge_templates"] == []
    assert stub.stats()["total"] == 0


def test_admin_stats_count_requests(
    stub: CredlyStub, client: CredlyClient, template: Payload
) -> None:
    client.get_badge_template(template["id"])
    client.archive_badge_template(template["id"])
    client.list_badge_templates()

    stats = httpx.get(f"{stub.origin}/_stub/stats").json()

    assert stats["total"] == 4
    assert stats["by_method"] == {"POST": 1, "GET": 2, "PUT": 1}
    assert stats["by_route"] == {
        "POST badge_templates": 1,
        "GET badge_template": 1,
        "PUT badge_template/archive": 1,
        "GET badge_templates": 1,
    }


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"next": ["418"]}, "unknown fault kinds: 418"),
        ({"rates": {"503": 0.8, "429": 0.5}}, "add up to at most 1"),
        ({"latency_ms": -1}, "must not be negative"),
        ({"colour": "red"}, "unknown fault settings: colour"),
    ],
)
def test_admin_faults_rejects_invalid(
    stub: CredlyStub, changes: Payload, message: str
) -> None:
    response = httpx.post(f"{stub.origin}/_stub/faults", json=changes)

    assert response.status_code == 400
    assert message in response.json()["error"]


def test_admin_faults_round_trip(stub: CredlyStub, client: CredlyClient) -> None:
    changes = {"latency_ms": 5, "rates": {"503": 0.25}, "retry_after": 3}

    posted = httpx.post(f"{stub.origin}/_stub/faults", json=changes).json()
    fetched = httpx.get(f"{stub.origin}/_stub/faults").json()
    templates = client.list_badge_templates()

    assert posted == fetched
    assert fetched["latency_ms"] == 5
    assert fetched["rates"] == {"503": 0.25}
    assert fetched["retry_after"] == 3
    assert templates == []


def test_fault_rates_reproducible() -> None:
    settings = FaultSettings(rates={"429": 0.2, "503": 0.2, "drop": 0.2}, seed=11)

    def draw() -> list[str | None]:
        injector = FaultInjector(settings)
        return [injector.choose("POST") for _ in range(200)]

    first = draw()
    assert first == draw()
    assert {"429", "503", "drop", None} == set(first)


def test_drop_waits_for_a_write() -> None:
    injector = FaultInjector(FaultSettings(next=["drop", "503"]))

    assert injector.choose("GET") is None
    assert injector.choose("PUT") == "drop"
    assert injector.choose("GET") == "503"
    assert injector.choose("GET") is None


def test_stub_reports_unknown_path(stub: CredlyStub) -> None:
    response = httpx.get(f"{stub.origin}/v2/organizations", auth=(stub.token, ""))

    assert response.status_code == 404
    assert response.json()["metadata"] is None


def test_stub_rejects_invalid_json(stub: CredlyStub) -> None:
    url = f"{stub.url}/organizations/{stub.organization_id}/badge_templates"

    response = httpx.post(url, content=b"{oops", auth=(stub.token, ""))

    assert response.status_code == 400
    assert response.json()["data"]["message"] == "The request body is not valid JSON"


def test_command_line_options(tmp_path: Path) -> None:
    arguments = parse_arguments(
        [
            "--port",
            "0",
            "--state-file",
            str(tmp_path / "state.json"),
            "--latency-ms",
            "20",
            "--fault-rate",
            "0.3",
            "--token",
            "cli-token",
        ]
    )

    with stub_from_arguments(arguments) as stub:
        faults = httpx.get(f"{stub.origin}/_stub/faults").json()
        assert stub.token == "cli-token"
        assert stub.url.startswith("http://127.0.0.1:")

    assert faults["latency_ms"] == 20
    assert faults["rates"] == pytest.approx({"429": 0.1, "502": 0.1, "503": 0.1})


def test_command_line_rejects_high_rate(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        parse_arguments(["--fault-rate", "1.5"])

    assert stopped.value.code == 2
    assert "1.5 is not between 0 and 1" in capsys.readouterr().err


def test_main_reports_bad_state_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state_file = tmp_path / "state.json"
    state_file.write_text("[]")

    exit_code = main(["--port", "0", "--state-file", str(state_file)])

    assert exit_code == 1
    assert capsys.readouterr().err.startswith(
        "Error: cannot start the Credly stand-in: cannot read the stand-in state file"
    )
