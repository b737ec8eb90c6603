"""Guideline rules through the CLI, each shown failing and passing.

Each example under tests/data/rules/ is a small patch to a shipped proposal:
the base file, edits at dotted paths such as `competencies.0.statement`, and,
for a negative example, the finding expected where the edited node sits in
the patched file. A patch can also copy or rename the proposal, patch a second
proposal, or create a file such as a badge image.
"""

from __future__ import annotations

import json
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
import yaml

from mcval.rules import RULES
from mcval.rules.history import HISTORY_CODES
from tests.conftest import REPO_ROOT, TODAY, CliRunner

EXAMPLES = Path(__file__).parent / "data" / "rules"
NEGATIVE = sorted((EXAMPLES / "negative").glob("*.yaml"))
POSITIVE = sorted((EXAMPLES / "positive").glob("*.yaml"))

Example = dict[str, Any]


def load_example(path: Path) -> Example:
    example: Example = yaml.safe_load(path.read_text(encoding="utf-8"))
    return example


def example_params(paths: list[Path]) -> list[Any]:
    """Return one pytest parameter per example file, with its xfail mark if any."""
    params = []
    for path in paths:
        reason = load_example(path).get("xfail")
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        params.append(pytest.param(path, id=path.stem, marks=marks))
    return params


def split_path(dotted: str) -> list[str | int]:
    """Split `competencies.0.statement` into keys and list indexes."""
    if not dotted:
        return []
    return [int(part) if part.isdigit() else part for part in dotted.split(".")]


def apply_edit(data: Any, edit: dict[str, Any]) -> None:
    """Apply one `set`, `delete` or `append` edit to loaded proposal data."""
    operation = next(name for name in ("set", "delete", "append") if name in edit)
    *parents, last = split_path(edit[operation])
    node = data
    for part in parents:
        node = node[part]

    if operation == "set":
        node[last] = edit["value"]
    elif operation == "delete":
        del node[last]
    else:
        node[last].append(edit["value"])


def write_patched(
    repo: Path, base: str, edits: list[dict[str, Any]], name: str
) -> Path:
    """Write the base proposal with `edits` applied as proposals/`name`."""
    source = REPO_ROOT / "proposals" / base
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    for edit in edits:
        apply_edit(data, edit)

    target = repo / "proposals" / name
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    target.write_text(text, encoding="utf-8")
    return target


def png_bytes(width: int, height: int) -> bytes:
    """Return a valid black-and-white PNG of the given size."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        checksum = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", checksum)

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    # Each row is a filter byte followed by one bit per pixel.
    rows = (b"\x00" + bytes((width + 7) // 8)) * height
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def create_file(repo: Path, spec: dict[str, Any]) -> None:
    """Create a file from a `text`, `hex` or `png: [width, height]` entry."""
    path = repo / spec["path"]
    path.parent.mkdir(parents=True, exist_ok=True)
    if "png" in spec:
        path.write_bytes(png_bytes(*spec["png"]))
    elif "hex" in spec:
        path.write_bytes(bytes.fromhex(spec["hex"]))
    else:
        path.write_text(spec["text"], encoding="utf-8")


def apply_example(repo: Path, example: Example) -> Path:
    """Write every file the example describes and return the proposal to check."""
    for spec in example.get("create", []):
        create_file(repo, spec)
    for other in example.get("other_files", []):
        write_patched(repo, other["base"], other.get("edits", []), other["base"])

    base = example["base"]
    name = example.get("copy_to") or example.get("rename_to") or base
    path = write_patched(repo, base, example.get("edits", []), name)
    if "rename_to" in example:
        (repo / "proposals" / base).unlink()
    return path


def line_of(text: str, dotted: str, at_key: bool) -> int:
    """Return the 1-based line of the node at `dotted`, or of its key."""
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    key_node = None
    for part in split_path(dotted):
        if isinstance(part, int):
            node = node.value[part]
            continue
        key_node, node = next(
            (key, value) for key, value in node.value if key.value == part
        )
    marked = key_node if at_key and key_node is not None else node
    return int(marked.start_mark.line) + 1


def validate(run_cli: CliRunner, repo: Path, path: Path) -> tuple[int, list[Any]]:
    """Run `mcval validate` on one proposal and return the exit code and findings."""
    result = run_cli(
        "--root",
        str(repo),
        "validate",
        "--format",
        "json",
        "--today",
        TODAY.isoformat(),
        str(path),
    )
    assert result.err == ""
    findings: list[Any] = json.loads(result.out)["findings"]
    return result.code, findings


def check_finding(
    run_cli: CliRunner, repo: Path, example: Example, severity: str
) -> int:
    """Assert that validating the patched proposal gives the expected finding.

    Return the CLI's exit code, so that a caller can check it as well.
    """
    path = apply_example(repo, example)
    expect = example["expect"]
    text = path.read_text(encoding="utf-8")
    line = line_of(text, expect["at"], expect.get("at_key", False))

    code, findings = validate(run_cli, repo, path)

    matches = [f for f in findings if f["code"] == expect["code"]]
    assert matches, f"no {expect['code']} finding in {findings}"
    at_line = [f for f in matches if f["line"] == line]
    assert at_line, f"no {expect['code']} finding on line {line}: {matches}"
    # One rule may report two problems on one line, so pick by the message.
    finding = next(
        (f for f in at_line if expect["message"] in f["message"]), at_line[0]
    )
    assert expect["message"] in finding["message"]
    assert finding["severity"] == severity
    assert finding["path"] == f"proposals/{path.name}"
    has_error = any(f["severity"] == "error" for f in findings)
    assert code == (1 if has_error else 0)
    return code


@pytest.mark.parametrize("code", sorted(set(RULES) - HISTORY_CODES))
def test_rule_has_examples(code: str) -> None:
    negative = [path for path in NEGATIVE if path.stem.startswith(f"{code}-")]
    positive = [path for path in POSITIVE if path.stem.startswith(f"{code}-")]

    assert negative, f"no negative example for {code} in {EXAMPLES / 'negative'}"
    assert positive, f"no positive example for {code} in {EXAMPLES / 'positive'}"


@pytest.mark.parametrize("example_path", example_params(NEGATIVE))
def test_rule_finding(run_cli: CliRunner, repo: Path, example_path: Path) -> None:
    example = load_example(example_path)
    assert example_path.stem.startswith(example["expect"]["code"] + "-")

    check_finding(run_cli, repo, example, example["expect"]["severity"])


@pytest.mark.parametrize("example_path", example_params(POSITIVE))
def test_rule_passes(run_cli: CliRunner, repo: Path, example_path: Path) -> None:
    path = apply_example(repo, load_example(example_path))

    code, findings = validate(run_cli, repo, path)

    # Info findings, such as an acknowledged overlap, are not problems.
    assert [f for f in findings if f["severity"] != "info"] == []
    assert code == 0


@pytest.mark.parametrize(
    ("example_name", "status", "severity"),
    [
        (name, status, severity)
        for name in ("MC303-vague-understand", "MC401-passing-level-lowest")
        for status, severity in (
            ("draft", "warning"),
            ("submitted", "error"),
            ("approved", "error"),
            ("published", "error"),
            ("retired", "error"),
        )
    ]
    # Cross-file rules do not depend on the status.
    + [("MC906-unknown-unit", "draft", "error")],
)
def test_severity_by_status(
    run_cli: CliRunner, repo: Path, example_name: str, status: str, severity: str
) -> None:
    example = load_example(EXAMPLES / "negative" / f"{example_name}.yaml")
    example["edits"].append({"set": "status", "value": status})

    check_finding(run_cli, repo, example, severity)


LEADERSHIP = "collegewide-leadership-student-life.yaml"
COMMUNICATION = "collegewide-communication-health-sciences.yaml"
# Removing one required element: the deleted path, the rule that reports it,
# where the finding points and a fragment of its message.
REQUIRED_ELEMENTS = {
    "rubric": (
        "competencies.0.assessment.rubric",
        "MC401",
        "competencies.0.assessment",
        "is missing 'rubric'",
    ),
    "signature": (
        "signatures.3",
        "MC701",
        "signatures",
        "the vice-president signature is missing",
    ),
    "expiration-rationale": (
        "expiration.rationale",
        "MC601",
        "expiration",
        "is missing 'rationale'",
    ),
    "wdce-stakeholder": (
        "stakeholders.2",
        "MC202",
        "stakeholders",
        "the workgroup has no wdce member",
    ),
    "award-process-answer": (
        "award_process.timeline",
        "MC501",
        "award_process",
        "is missing 'timeline'",
    ),
}


@pytest.mark.parametrize("element", list(REQUIRED_ELEMENTS))
@pytest.mark.parametrize(
    "base", [LEADERSHIP, COMMUNICATION], ids=["published", "approved"]
)
def test_required_element_removed(
    run_cli: CliRunner, repo: Path, base: str, element: str
) -> None:
    deleted, code, at, message = REQUIRED_ELEMENTS[element]
    example = {
        "base": base,
        "edits": [{"delete": deleted}],
        "expect": {"code": code, "at": at, "at_key": True, "message": message},
    }

    code = check_finding(run_cli, repo, example, "error")

    assert code == 1
