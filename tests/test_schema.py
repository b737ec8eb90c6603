"""The JSON Schemas: valid against their metaschema, documented, strict."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.conftest import REPO_ROOT, CliRunner

SCHEMAS = sorted((REPO_ROOT / "schemas").glob("*.schema.json"))
CASES = Path(__file__).parent / "data" / "yaml"


def load_schema(path: Path) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema


def resolve(root: dict[str, Any], node: dict[str, Any]) -> Any:
    """Follow a local `$ref` such as #/$defs/rubric to the schema it names."""
    target: Any = root
    for step in str(node["$ref"]).removeprefix("#/").split("/"):
        target = target[step]
    return target


def properties(root: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield every named property in the schema, with its $ref resolved."""
    stack: list[tuple[str, Any]] = [("", root)]
    while stack:
        where, node = stack.pop()
        if isinstance(node, list):
            stack.extend((where, item) for item in node)
            continue
        if not isinstance(node, dict):
            continue
        for name, child in node.get("properties", {}).items():
            if isinstance(child, dict):
                yield (
                    f"{where}.{name}",
                    resolve(root, child) if "$ref" in child else child,
                )
        for key, child in node.items():
            if key in {"if", "not"}:
                continue  # Conditions name properties; they do not define them.
            if key in {"properties", "$defs"} and isinstance(child, dict):
                stack.extend((f"{where}.{name}", sub) for name, sub in child.items())
            elif isinstance(child, dict | list):
                stack.append((where, child))


def object_schemas(root: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    stack: list[tuple[str, Any]] = [("", root)]
    while stack:
        where, node = stack.pop()
        if isinstance(node, list):
            stack.extend((where, item) for item in node)
        elif isinstance(node, dict):
            if node.get("type") == "object":
                yield where, node
            for key, child in node.items():
                stack.append((f"{where}/{key}", child))


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_schema_meets_metaschema(path: Path) -> None:
    schema = load_schema(path)

    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_every_property_documented(path: Path) -> None:
    schema = load_schema(path)

    for where, prop in properties(schema):
        assert prop.get("description"), f"{where} has no description"
        is_leaf = prop.get("type") not in {"object"} and "$ref" not in prop
        if is_leaf and prop.get("type") != "array":
            assert prop.get("examples"), f"{where} has no examples"


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_objects_reject_unknown_fields(path: Path) -> None:
    schema = load_schema(path)

    for where, node in object_schemas(schema):
        assert "additionalProperties" in node or "allOf" in node, where


def validate_case(run_cli: CliRunner, repo: Path, case: str) -> list[dict[str, Any]]:
    target = repo / "proposals" / case
    target.write_bytes((CASES / case).read_bytes())
    result = run_cli("--root", str(repo), "validate", "--format", "json", str(target))
    assert result.code == 1
    findings: list[dict[str, Any]] = json.loads(result.out)["findings"]
    return findings


def test_wrong_type_names_the_field(run_cli: CliRunner, repo: Path) -> None:
    findings = validate_case(run_cli, repo, "assessment-wrong-type.yaml")

    messages = [f["message"] for f in findings if f["line"] == 9]
    assert messages == [
        "'competencies[ef-1].assessment.passing_score' must be a number,"
        " but it is the text '80'; remove the quotes around the number"
    ]


def test_bad_formats_each_reported(run_cli: CliRunner, repo: Path) -> None:
    findings = validate_case(run_cli, repo, "bad-formats.yaml")

    by_line = {f["line"]: f["message"] for f in findings if f["line"] in {6, 7, 8}}
    assert "not an e-mail address" in by_line[6]
    assert "not a real date" in by_line[7]
    assert "not a web address" in by_line[8]


def test_unknown_field_suggests_spelling(run_cli: CliRunner, repo: Path) -> None:
    path = repo / "proposals" / "basic-workday-skills.yaml"
    text = path.read_text(encoding="utf-8").replace("\nsummary:", "\nsumary:", 1)
    path.write_text(text, encoding="utf-8")

    result = run_cli(
        "--root", str(repo), "validate", str(path), "--today", "2026-12-04"
    )

    assert (
        "unknown field 'sumary' at the top level; did you mean 'summary'?" in result.out
    )


def test_discriminator_names_the_missing_field(run_cli: CliRunner, repo: Path) -> None:
    path = repo / "proposals" / "basic-workday-skills.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "method: performance-task", "method: exam", 1
    )
    path.write_text(text, encoding="utf-8")

    result = run_cli(
        "--root", str(repo), "validate", str(path), "--today", "2026-12-04"
    )

    assert "'competencies[bws-1].assessment' is missing 'passing_score'" in result.out
    assert "unknown field 'rubric'" not in result.out
