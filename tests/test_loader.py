"""The loader: every field case, its siblings, and hostile input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mcval.document import Document
from mcval.loader import LoadLimits, load_yaml_file, load_yaml_text

CASES = Path(__file__).parent / "data" / "yaml"


def load(text: str, limits: LoadLimits | None = None) -> Document:
    return load_yaml_text(text, Document(path="p.yaml"), limits or LoadLimits())


def codes_and_lines(document: Document) -> list[tuple[str, int]]:
    return [(f.code, f.position.line) for f in document.findings]


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("implicit-booleans.yaml", [("Y004", 7), ("Y004", 8), ("Y004", 13)]),
        ("numbers-lose-digits.yaml", [("Y005", 4), ("Y005", 5), ("Y005", 6)]),
        ("duplicate-keys.yaml", [("Y002", 7), ("Y002", 8)]),
        ("tabs.yaml", [("Y003", 4)]),
        ("unquoted-dates.yaml", []),
        ("bad-formats.yaml", []),
        ("assessment-wrong-type.yaml", []),
    ],
)
def test_field_case(case: str, expected: list[tuple[str, int]]) -> None:
    document = load_yaml_file(CASES / case, case, LoadLimits())

    assert codes_and_lines(document) == expected


def test_implicit_boolean_keeps_text() -> None:
    document = load_yaml_file(CASES / "implicit-booleans.yaml", "b.yaml", LoadLimits())

    assert document.get(("stakeholders", 0, "country")) == "NO"
    assert document.get(("competencies", 0, "assessment", "method")) == "off"
    assert "quote it" in document.findings[0].message


def test_numbers_keep_their_text() -> None:
    document = load_yaml_file(
        CASES / "numbers-lose-digits.yaml", "n.yaml", LoadLimits()
    )

    assert document.get(("version",)) == "1.10"
    assert document.get(("course_code",)) == "0123"
    assert document.get(("time_to_earn",)) == "1:30"


def test_duplicate_key_names_both_lines() -> None:
    document = load_yaml_file(CASES / "duplicate-keys.yaml", "d.yaml", LoadLimits())

    assert "'title' on lines 3 and 7" in document.findings[0].message
    assert document.get(("title",)) == "Basic Workday Skills for New Employees"


def test_tab_finding_has_column() -> None:
    document = load_yaml_file(CASES / "tabs.yaml", "t.yaml", LoadLimits())

    finding = document.findings[0]
    assert (finding.position.line, finding.position.col) == (4, 1)
    assert "tab" in finding.message


def test_unquoted_dates_are_json_ready() -> None:
    document = load_yaml_file(CASES / "unquoted-dates.yaml", "u.yaml", LoadLimits())

    assert document.get(("review_by",)) == "2028-09-01"
    assert document.get(("signatures", 0, "date")) == "2026-11-02"
    assert json.loads(json.dumps(document.data)) == document.data


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("a: Yes\n", "Y004"),
        ("a: ON\n", "Y004"),
        ("a: n0\nb: Off\n", "Y004"),
        ("a: 0x1F\n", "Y005"),
        ("a: 0o17\n", "Y005"),
        ("a: 1_000\n", "Y005"),
        ("a: 2.50\n", "Y005"),
        ("a: .inf\n", "Y005"),
        ("a: 12:30:15\n", "Y005"),
        ("a: 2027-02-30\n", "Y006"),
        ("a: 2027-13-01\n", "Y006"),
    ],
)
def test_ambiguous_scalar(text: str, code: str) -> None:
    document = load(text)

    assert [f.code for f in document.findings] == [code]
    assert isinstance(document.get(("a",)) if code != "Y004" else "", str)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("a: true\n", True),
        ("a: false\n", False),
        ("a: 80\n", 80),
        ("a: -3\n", -3),
        ("a: 1.5\n", 1.5),
        ("a: ~\n", None),
        ("a:\n", None),
        ('a: "NO"\n', "NO"),
        ("a: '1.10'\n", "1.10"),
        ("a: !!str 0123\n", "0123"),
        ("a: 2028-02-29\n", "2028-02-29"),
        ("a: 2026-11-02 09:00:00\n", "2026-11-02 09:00:00"),
    ],
)
def test_plain_scalar(text: str, value: object) -> None:
    document = load(text)

    assert document.findings == []
    assert document.get(("a",)) == value


@pytest.mark.parametrize(
    ("text", "code", "fragment"),
    [
        ("", "Y008", "empty"),
        ("   \n\n", "Y008", "empty"),
        ("# only a comment\n", "Y008", "only comments"),
        ("- a\n- b\n", "Y009", "a list"),
        ("just text\n", "Y009", "a single value"),
        ("a: &x 1\nb: *x\n", "Y011", "anchors and aliases"),
        ("a: !!python/object/apply:os.system ['true']\n", "Y011", "not supported"),
        ("a: !custom 1\n", "Y011", "not supported"),
        ("base: {x: 1}\nother:\n  <<: {y: 2}\n", "Y011", "merge keys"),
        ("? [a, b]\n: 1\n", "Y011", "plain word"),
        ("a: 1\n---\nb: 2\n", "Y001", "more than one YAML document"),
        ("a: b: c\n", "Y001", "must be put in quotes"),
        ("a: 'open\n", "Y001", "invalid YAML"),
        ("a: x\x07y\n", "Y001", "control character"),
        ("a:\n  - b\n c: 1\n", "Y001", "invalid YAML"),
    ],
)
def test_unreadable_input(text: str, code: str, fragment: str) -> None:
    document = load(text)

    assert [f.code for f in document.findings] == [code]
    assert fragment in document.findings[0].message
    assert not document.loaded


def test_syntax_error_position() -> None:
    document = load("id: x\ntitle: a: b\n")

    finding = document.findings[0]
    assert finding.position.line == 2
    assert finding.position.col > 1


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ('id: x\nversion: "1.0\nb: 2\nc: 3\n', 2, "never closed"),
        ("id: x\ntitle:Basic\nsummary: y\n", 2, "no ': ' after its key"),
        ("a:\n  b: 1\n   c: 2\n", 3, "indented differently"),
        ("a: 1\nb: x\x0by\n", 2, "U+000B"),
        ("a: 1\n\x00b: 2\n", 2, "U+0000"),
    ],
)
def test_syntax_error_points_at_cause(text: str, line: int, fragment: str) -> None:
    document = load(text)

    finding = document.findings[0]
    assert finding.code == "Y001"
    assert finding.position.line == line
    assert fragment in finding.message


def test_alias_bomb_stops_at_first_alias() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i - 1}] " for i in range(1, 30)]
    document = load("\n".join(lines) + "\n")

    assert [f.code for f in document.findings] == ["Y011"]


def test_deep_nesting_rejected() -> None:
    document = load("a: " + "[" * 5000 + "]" * 5000 + "\n")

    assert [f.code for f in document.findings] == ["Y010"]


def test_nesting_limit_is_configurable() -> None:
    text = "a:\n  b:\n    c:\n      d: 1\n"

    assert load(text, LoadLimits(max_depth=3)).findings[0].code == "Y010"
    assert load(text, LoadLimits(max_depth=4)).findings == []


def test_node_limit() -> None:
    text = "a: [" + ", ".join(["1"] * 50) + "]\n"

    assert load(text, LoadLimits(max_nodes=20)).findings[0].code == "Y010"


def test_huge_file_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text("a: " + "x" * 2_000_000 + "\n", encoding="utf-8")

    document = load_yaml_file(path, "huge.yaml", LoadLimits())

    assert [f.code for f in document.findings] == ["Y010"]
    assert "larger than 1,000,000 bytes" in document.findings[0].message


def test_invalid_utf8_position(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("id: x\ntitle: Caf\xe9 skills\n".encode("latin-1"))

    document = load_yaml_file(path, "latin1.yaml", LoadLimits())

    finding = document.findings[0]
    assert finding.code == "Y007"
    assert (finding.position.line, finding.position.col) == (2, 11)
    assert "0xe9" in finding.message


def test_utf16_rejected(tmp_path: Path) -> None:
    path = tmp_path / "utf16.yaml"
    path.write_bytes("id: x\n".encode("utf-16"))

    document = load_yaml_file(path, "utf16.yaml", LoadLimits())

    assert [f.code for f in document.findings] == ["Y007"]
    assert "UTF-16" in document.findings[0].message


def test_utf8_bom_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbfid: x\n")

    document = load_yaml_file(path, "bom.yaml", LoadLimits())

    assert document.findings == []
    assert document.get(("id",)) == "x"


def test_missing_file_is_a_finding(tmp_path: Path) -> None:
    document = load_yaml_file(tmp_path / "gone.yaml", "gone.yaml", LoadLimits())

    assert [f.code for f in document.findings] == ["Y001"]


def test_positions_of_keys_and_values() -> None:
    document = load("id: x\ncompetencies:\n  - id: c1\n    statement: Do it\n")

    assert document.position(("competencies", 0, "statement")).line == 4
    assert document.key_position(("competencies",)).line == 2
    assert document.position(("competencies", 0, "missing")).line == 3
