"""`mcval awards check` and load_awards, from award files as Excel writes them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from mcval.awards.awardset import load_awards
from mcval.awards.codes import AWARD_CODES
from mcval.settings import load_config
from tests.conftest import REPO_ROOT, TODAY, CliRunner

CASES = Path(__file__).parent / "data" / "csv"
DAY = ("--today", TODAY.isoformat())
SAMPLE = "awards/2026-fall-sample.csv"
LEADERSHIP = "collegewide-leadership-student-life"


def place(repo: Path, case: str, credential: str | None = None) -> Path:
    """Copy a case file into the repository's awards folder, byte for byte.

    With `credential`, the case's unknown credential 'workday-skills' is
    replaced in the file's own encoding, so the rest of the bytes stay as
    Excel wrote them.
    """
    data = (CASES / case).read_bytes()
    if credential is not None:
        utf16 = data.startswith(b"\xff\xfe")
        encoding = "utf-16-le" if utf16 else "utf-8"
        data = data.replace(
            "workday-skills".encode(encoding), credential.encode(encoding)
        )
    target = repo / "awards" / case
    target.write_bytes(data)
    return target


def check(run_cli: CliRunner, repo: Path, *args: str) -> dict[str, Any]:
    """Run `awards check` with JSON output; paths under awards/ are in `repo`."""
    paths = [str(repo / a) if a.startswith("awards/") else a for a in args]
    result = run_cli(
        "--root", str(repo), "awards", "check", *DAY, "--format", "json", *paths
    )
    document: dict[str, Any] = json.loads(result.out)
    document["exit_code"] = result.code
    return document


def codes_at(document: dict[str, Any]) -> list[tuple[int, int, str]]:
    return [(f["line"], f["column"], f["code"]) for f in document["findings"]]


def messages(document: dict[str, Any], code: str) -> list[str]:
    return [f["message"] for f in document["findings"] if f["code"] == code]


def test_sample_file_passes(run_cli: CliRunner, repo: Path) -> None:
    result = run_cli("--root", str(repo), "awards", "check", *DAY)

    assert result.code == 0
    assert f"{SAMPLE}  (8 valid rows)  ok" in result.out
    assert result.out.splitlines()[-1] == "Checked 1 file: no problems found."


def test_sample_file_passes_in_repository() -> None:
    awards = load_awards(REPO_ROOT, load_config(REPO_ROOT), today=TODAY)

    assert awards.findings == []
    assert len(awards.awards) == 8
    assert {award.path for award in awards.awards} == {SAMPLE}


def test_rows_match_award_schema(repo: Path) -> None:
    schema = json.loads((REPO_ROOT / "schemas/award-file.schema.json").read_text())
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )

    awards = load_awards(repo, load_config(repo), today=TODAY)

    for award in awards.awards:
        row = {k: v for k, v in dataclasses.asdict(award).items() if v is not None}
        row["date_earned"] = award.date_earned.isoformat()
        assert list(validator.iter_errors(row)) == [], award.row


def test_revocation_rows_match_schema(repo: Path) -> None:
    schema_path = REPO_ROOT / "schemas/revocation-file.schema.json"
    validator = jsonschema.Draft202012Validator(json.loads(schema_path.read_text()))
    place(repo, "revocations.csv")

    awards = load_awards(repo, load_config(repo), today=TODAY)

    assert len(awards.revocations) == 1
    row = dataclasses.asdict(awards.revocations[0])
    assert list(validator.iter_errors(row)) == []


def test_bom_and_spaces_read(repo: Path) -> None:
    place(repo, "utf8-bom-and-spaces.csv", LEADERSHIP)

    awards = load_awards(repo, load_config(repo), today=TODAY)

    assert awards.findings == []
    ana = [a for a in awards.awards if a.path.endswith("bom-and-spaces.csv")]
    assert len(ana) == 1
    assert ana[0].email == "ana.ruiz@example.edu"
    assert ana[0].first_name == "Ana"
    assert ana[0].last_name == "Ruiz"
    assert ana[0].date_earned == dt.date(2026, 5, 14)
    assert ana[0].row == 2


@pytest.mark.parametrize(
    ("case", "last_name"),
    [
        ("semicolon.csv", "de Vries"),
        ("sep-line.csv", "de Vries"),
        ("tab-delimited.csv", "Wei"),
        ("utf16-excel-unicode-text.csv", "Wei"),
        ("cp1252.csv", "Núñez"),
        ("mac-line-ends.csv", "Ruiz"),
    ],
)
def test_delimiter_and_encoding_read(repo: Path, case: str, last_name: str) -> None:
    place(repo, case, LEADERSHIP)

    awards = load_awards(repo, load_config(repo), today=TODAY)

    rows = [a for a in awards.awards if a.path == f"awards/{case}"]
    assert len(rows) == 1
    assert rows[0].last_name == last_name
    assert rows[0].credential == LEADERSHIP
    assert rows[0].row == (3 if case == "sep-line.csv" else 2)


def test_cp1252_read_with_warning(run_cli: CliRunner, repo: Path) -> None:
    place(repo, "cp1252.csv")

    document = check(run_cli, repo, "awards/cp1252.csv")

    assert document["exit_code"] == 0
    assert codes_at(document) == [(2, 63, "A003")]
    assert "read as Windows-1252" in messages(document, "A003")[0]
    assert document["findings"][0]["severity"] == "warning"


def test_cp1252_fails_when_strict(run_cli: CliRunner, repo: Path) -> None:
    place(repo, "cp1252.csv")

    document = check(run_cli, repo, "--strict")

    assert document["exit_code"] == 1


def test_same_person_once(repo: Path) -> None:
    place(repo, "same-person-twice.csv", LEADERSHIP)

    awards = load_awards(repo, load_config(repo), today=TODAY)

    rows = [a for a in awards.awards if a.path == "awards/same-person-twice.csv"]
    assert [(a.row, a.email) for a in rows] == [(2, "ana.ruiz@example.edu")]


def test_same_person_both_rows_named(run_cli: CliRunner, repo: Path) -> None:
    place(repo, "same-person-twice.csv", LEADERSHIP)

    document = check(run_cli, repo)

    assert document["exit_code"] == 1
    assert codes_at(document) == [(3, 1, "A110")]
    assert messages(document, "A110") == [
        f"a***@example.edu is awarded '{LEADERSHIP}' also in row 2; delete one"
        " of the rows"
    ]


def test_duplicate_across_files(run_cli: CliRunner, repo: Path) -> None:
    place(repo, "same-person-twice.csv", LEADERSHIP)
    place(repo, "utf8-bom-and-spaces.csv", LEADERSHIP)

    document = check(run_cli, repo, "awards/utf8-bom-and-spaces.csv")

    assert codes_at(document) == [(2, 1, "A110")]
    assert "also in awards/same-person-twice.csv row 2" in messages(document, "A110")[0]
    assert [f["path"] for f in document["files"]] == ["awards/utf8-bom-and-spaces.csv"]


def test_duplicate_learner_id(run_cli: CliRunner, repo: Path) -> None:
    target = repo / "awards" / "more.csv"
    target.write_text(
        "credential,email,first_name,last_name,date_earned,learner_id\n"
        f"{LEADERSHIP},other@example.edu,Tomás,Herrera,2026-05-08,S1000123\n",
        encoding="utf-8",
    )

    document = check(run_cli, repo)

    assert codes_at(document) == [(2, 6, "A110")]
    assert "also in awards/2026-fall-sample.csv row 2" in messages(document, "A110")[0]


def test_case_files_name_unknown_credential(run_cli: CliRunner, repo: Path) -> None:
    for case in ("utf8-bom-and-spaces.csv", "semicolon.csv"):
        place(repo, case)

    document = check(run_cli, repo)

    assert [code for _, _, code in codes_at(document)] == ["A101", "A101"]
    assert "did you mean 'basic-workday-skills'?" in messages(document, "A101")[0]


BAD_ROWS = [
    (2, 1, "A101", "credential 'workday-skills' is not the id of a proposal"),
    (3, 1, "A102", "credential 'basic-workday-skills' has submitted status"),
    (4, 2, "A103", "the e-mail address is not valid"),
    (5, 5, "A106", "the date earned 2026-12-25 is in the future"),
    (6, 5, "A107", "before the credential was approved on 2026-11-16"),
    (7, 3, "A108", "the learner's first name is empty"),
    (8, 6, "A109", "the evidence URL is not a web address"),
    (9, 5, "A105", "set date_format under [awards] in mcval.toml"),
    (10, 5, "A105", "it looks like an Excel date number"),
    (11, 7, "A004", "the row has 7 cells, but the header has 6 columns"),
    (12, 1, "A101", "it looks like a Credly badge template id"),
]


@pytest.mark.parametrize(
    ("line", "column", "code", "text"), BAD_ROWS, ids=[f"row{r[0]}" for r in BAD_ROWS]
)
def test_bad_row_reported(
    run_cli: CliRunner, repo: Path, line: int, column: int, code: str, text: str
) -> None:
    place(repo, "bad-rows.csv")

    document = check(run_cli, repo, "awards/bad-rows.csv")

    found = [f for f in document["findings"] if f["line"] == line]
    assert [(f["column"], f["code"]) for f in found] == [(column, code)]
    assert text in found[0]["message"]
    assert document["exit_code"] == 1


def test_bad_rows_left_out(repo: Path) -> None:
    place(repo, "bad-rows.csv")

    awards = load_awards(repo, load_config(repo), today=TODAY)

    assert [a for a in awards.awards if a.path == "awards/bad-rows.csv"] == []


def test_embedded_newline_keeps_lines(run_cli: CliRunner, repo: Path) -> None:
    place(repo, "embedded-newline.csv")

    document = check(run_cli, repo, "awards/embedded-newline.csv")

    assert codes_at(document) == [(2, 6, "A109"), (5, 5, "A105")]


def test_blank_lines_skipped(run_cli: CliRunner, repo: Path) -> None:
    place(repo, "blank-lines.csv")

    document = check(run_cli, repo, "awards/blank-lines.csv")

    assert codes_at(document) == [(7, 4, "A108")]
    assert document["files"][0]["rows"] == 1


def test_unknown_column_warns(run_cli: CliRunner, repo: Path) -> None:
    place(repo, "unknown-column.csv")

    document = check(run_cli, repo, "awards/unknown-column.csv")

    assert document["exit_code"] == 0
    assert codes_at(document) == [(1, 2, "A005"), (1, 7, "A005")]
    assert messages(document, "A005")[0].endswith("did you mean 'email'?")
    assert document["files"][0]["rows"] == 1


def test_missing_column_names_aliases(run_cli: CliRunner, repo: Path) -> None:
    place(repo, "missing-column.csv")

    document = check(run_cli, repo, "awards/missing-column.csv")

    assert document["exit_code"] == 1
    assert codes_at(document) == [(1, 1, "A006")]
    assert "'last_name', 'surname'" in messages(document, "A006")[0]
    assert document["files"][0]["kind"] == "unread"


def test_duplicate_column_rejected(run_cli: CliRunner, repo: Path) -> None:
    place(repo, "duplicate-column.csv")

    document = check(run_cli, repo, "awards/duplicate-column.csv")

    assert codes_at(document) == [(1, 3, "A007")]
    assert document["files"][0]["rows"] == 0


def test_credly_template_with_date_format(run_cli: CliRunner, repo: Path) -> None:
    config = repo / "mcval.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('date_format = ""', 'date_format = "%m/%d/%y"'))
    place(repo, "credly-template.csv")

    document = check(run_cli, repo, "awards/credly-template.csv")
    awards = load_awards(repo, load_config(repo), today=TODAY)

    assert document["exit_code"] == 0
    assert codes_at(document) == [(1, 10, "A008")]
    row = next(a for a in awards.awards if a.path == "awards/credly-template.csv")
    assert row.email == "ana.ruiz@example.edu"
    assert row.date_earned == dt.date(2026, 5, 14)
    assert row.learner_id == "S2000001"
    assert row.middle_name is None


def test_slash_date_needs_format(run_cli: CliRunner, repo: Path) -> None:
    place(repo, "credly-template.csv")

    document = check(run_cli, repo, "awards/credly-template.csv")

    assert [code for _, _, code in codes_at(document)] == ["A008", "A105"]


def test_bad_date_format_setting(run_cli: CliRunner, repo: Path) -> None:
    config = repo / "mcval.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('date_format = ""', 'date_format = "%m/%d"'))

    result = run_cli("--root", str(repo), "awards", "check", *DAY)

    assert result.code == 1
    assert "date_format = '%m/%d' does not give a whole date" in result.err


def test_email_domains_restrict(run_cli: CliRunner, repo: Path) -> None:
    config = repo / "mcval.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("email_domains = []", 'email_domains = ["college.example.edu"]')
    )

    document = check(run_cli, repo)

    assert len(messages(document, "A104")) == 8
    assert messages(document, "A104")[0].startswith("t***@example.edu is not in")


def test_revocations_checked(run_cli: CliRunner, repo: Path) -> None:
    place(repo, "revocations.csv")

    document = check(run_cli, repo, "awards/revocations.csv")

    assert codes_at(document) == [(3, 2, "A111"), (4, 3, "A112")]
    assert document["files"][0] == {
        "path": "awards/revocations.csv",
        "kind": "revocations",
        "rows": 1,
        "errors": 2,
        "warnings": 0,
    }


def test_revocation_twice(run_cli: CliRunner, repo: Path) -> None:
    target = repo / "awards" / "revocations-2027.csv"
    target.write_text(
        "credential,email,reason\n"
        f"{LEADERSHIP},Priya.Raman@example.edu ,Awarded in error\n"
        f"{LEADERSHIP},priya.raman@example.edu,Awarded in error\n",
        encoding="utf-8",
    )

    document = check(run_cli, repo)

    assert codes_at(document) == [(3, 2, "A110")]
    assert "is revoked also in row 2" in messages(document, "A110")[0]


def test_unclosed_quote_reported(run_cli: CliRunner, repo: Path) -> None:
    place(repo, "unclosed-quote.csv")

    document = check(run_cli, repo, "awards/unclosed-quote.csv")

    assert codes_at(document) == [(3, 1, "A004")]
    assert document["files"][0]["rows"] == 1


def test_not_text_rejected(run_cli: CliRunner, repo: Path) -> None:
    place(repo, "not-text.csv")

    document = check(run_cli, repo, "awards/not-text.csv")

    assert codes_at(document) == [(2, 1, "A003")]


def test_nul_bytes_rejected(run_cli: CliRunner, repo: Path) -> None:
    target = repo / "awards" / "nul.csv"
    target.write_bytes("credential,email\n".encode("utf-16-le"))

    document = check(run_cli, repo, "awards/nul.csv")

    assert codes_at(document) == [(1, 1, "A004")]
    assert "UTF-16 without a byte order mark" in messages(document, "A004")[0]


def test_workbook_rejected(run_cli: CliRunner, repo: Path) -> None:
    place(repo, "workbook.xlsx")

    document = check(run_cli, repo, "awards/workbook.xlsx")

    assert codes_at(document) == [(1, 1, "A001")]
    assert "File > Save As > CSV UTF-8" in messages(document, "A001")[0]


def test_text_file_warned(run_cli: CliRunner, repo: Path) -> None:
    (repo / "awards" / "export.txt").write_text("credential\n", encoding="utf-8")
    (repo / "awards" / "README.md").write_text("# Awards\n", encoding="utf-8")

    document = check(run_cli, repo)

    assert codes_at(document) == [(1, 1, "A001")]
    assert document["findings"][0]["severity"] == "warning"


def test_empty_file_reported(run_cli: CliRunner, repo: Path) -> None:
    (repo / "awards" / "empty.csv").write_bytes(b"\xef\xbb\xbf\r\n\r\n")

    document = check(run_cli, repo, "awards/empty.csv")

    assert codes_at(document) == [(1, 1, "A001")]


def test_size_limit(run_cli: CliRunner, repo: Path) -> None:
    config = repo / "mcval.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("max_file_bytes = 20000000", "max_file_bytes = 100"))

    document = check(run_cli, repo)

    assert codes_at(document) == [(1, 1, "A002")]
    assert document["files"][0]["rows"] == 0


def test_row_limit(run_cli: CliRunner, repo: Path) -> None:
    config = repo / "mcval.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("max_rows = 100000", "max_rows = 5"))

    document = check(run_cli, repo)

    assert codes_at(document) == [(7, 1, "A002")]
    assert document["files"][0]["rows"] == 0


def test_emails_masked_by_default(run_cli: CliRunner, repo: Path) -> None:
    place(repo, "same-person-twice.csv", LEADERSHIP)
    place(repo, "bad-rows.csv")

    result = run_cli("--root", str(repo), "awards", "check", *DAY)

    assert "ana.ruiz@" not in result.out
    assert "ana.ruiz@@example" not in result.out
    assert "Ruiz" not in result.out
    assert "a***@example.edu" in result.out


def test_show_personal_data(run_cli: CliRunner, repo: Path) -> None:
    place(repo, "same-person-twice.csv", LEADERSHIP)
    place(repo, "bad-rows.csv")

    result = run_cli(
        "--root", str(repo), "awards", "check", *DAY, "--show-personal-data"
    )

    assert "ana.ruiz@example.edu is awarded" in result.out
    assert "the e-mail address 'ana.ruiz@@example' is not valid" in result.out


def test_github_format(run_cli: CliRunner, repo: Path) -> None:
    place(repo, "same-person-twice.csv", LEADERSHIP)

    result = run_cli("--root", str(repo), "awards", "check", *DAY, "--format", "github")

    assert result.out.startswith(
        "::error file=awards/same-person-twice.csv,line=3,col=1,title=A110::A110: "
    )


def test_unknown_path_usage_error(run_cli: CliRunner, repo: Path) -> None:
    result = run_cli("--root", str(repo), "awards", "check", str(repo / "mcval.toml"))

    assert result.code == 2
    assert "mcval.toml is not an award or revocation file" in result.err


def test_folder_path_selects_files(run_cli: CliRunner, repo: Path) -> None:
    document = check(run_cli, repo, str(repo / "awards"))

    assert [f["path"] for f in document["files"]] == [SAMPLE]


def test_no_awards_folder(run_cli: CliRunner, repo: Path) -> None:
    (repo / SAMPLE).unlink()
    (repo / "awards").rmdir()

    result = run_cli("--root", str(repo), "awards", "check", *DAY)

    assert result.code == 1
    assert result.err.startswith("Error: no 'awards' folder in")
    assert "hint: " in result.err


def test_empty_awards_folder(run_cli: CliRunner, repo: Path) -> None:
    (repo / SAMPLE).unlink()

    result = run_cli("--root", str(repo), "awards", "check", *DAY)

    assert result.code == 0
    assert result.out.strip() == "Checked 0 files: no problems found."


def test_data_row_as_header_not_shown(run_cli: CliRunner, repo: Path) -> None:
    (repo / "awards" / "noheader.csv").write_text(
        "collegewide-leadership-student-life,jane.secret@example.edu,Janet,"
        "Secretname,2026-05-10\n",
        encoding="utf-8",
    )

    result = run_cli("--root", str(repo), "awards", "check", "--format", "json", *DAY)

    assert "jane.secret" not in result.out
    assert "Secretname" not in result.out
    findings = [
        f for f in json.loads(result.out)["findings"] if "noheader" in f["path"]
    ]
    assert [f["code"] for f in findings] == ["A006"]
    assert "does not name the columns" in findings[0]["message"]


def test_award_codes_in_rules(run_cli: CliRunner) -> None:
    result = run_cli("rules")

    codes = [line.split()[0] for line in result.out.splitlines() if line[:1].isupper()]
    assert [code for code in codes if code.startswith("A")] == list(AWARD_CODES)
    assert codes.index("MC961") < codes.index("A001")


def test_validate_output_unchanged(run_cli: CliRunner, repo: Path) -> None:
    result = run_cli("--root", str(repo), "validate", *DAY, "--format", "json")

    document = json.loads(result.out)
    assert list(document) == ["version", "summary", "proposals", "findings"]
    assert "Award files:" not in run_cli("--root", str(repo), "validate", *DAY).out


def test_random_bytes_never_crash(run_cli: CliRunner, repo: Path) -> None:
    rng = random.Random(7)
    sample = (repo / SAMPLE).read_bytes()
    pieces = [b'"', b",", b";", b"\t", b"\r", b"\n", b"\xff\xfe", b"\x00", b"\xe9"]
    for attempt in range(40):
        data = bytearray(sample)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data)) : rng.randrange(len(data))] = rng.choice(
                pieces
            )
        (repo / "awards" / "mutated.csv").write_bytes(bytes(data))

        result = run_cli("--root", str(repo), "awards", "check", *DAY)

        assert result.code in (0, 1), (attempt, result.err)
        assert "Traceback" not in result.err


def test_unicode_text_txt_read(run_cli: CliRunner, repo: Path) -> None:
    raw = (
        Path(__file__).parent / "data" / "csv" / "utf16-excel-unicode-text.csv"
    ).read_bytes()
    text = raw.decode("utf-16").replace(
        "workday-skills", "collegewide-leadership-student-life"
    )
    (repo / "awards" / "export.txt").write_bytes(text.encode("utf-16"))

    result = run_cli("--root", str(repo), "awards", "check", "--format", "json", *DAY)

    files = {entry["path"]: entry for entry in json.loads(result.out)["files"]}
    assert files["awards/export.txt"]["kind"] == "awards"
    assert files["awards/export.txt"]["rows"] >= 1
