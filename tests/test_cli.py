"""The command line through its entry point: exit codes and output formats."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT, CliRunner

WORKDAY = "proposals/basic-workday-skills.yaml"
DAY = ("--today", "2026-12-04")


def break_workday(repo: Path) -> Path:
    """Remove the first rubric's passing level from a submitted proposal."""
    path = repo / WORKDAY
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("        passing_level:", "        passing_levl:", 1))
    return path


def test_valid_repository_exits_zero(run_cli: CliRunner, repo: Path) -> None:
    result = run_cli("--root", str(repo), "validate", *DAY)

    assert result.code == 0
    assert "no problems found" in result.out
    assert result.err == ""


def test_text_lists_proposals_with_status(run_cli: CliRunner, repo: Path) -> None:
    result = run_cli("--root", str(repo), "validate", *DAY)

    lines = result.out.splitlines()
    for status in ("draft", "submitted", "approved", "published"):
        assert any(line.strip().startswith(status) for line in lines), status


def test_findings_exit_one(run_cli: CliRunner, repo: Path) -> None:
    break_workday(repo)

    result = run_cli("--root", str(repo), "validate", *DAY)

    assert result.code == 1
    assert f"{WORKDAY}:" in result.out
    assert "MC401 error" in result.out
    assert result.out.splitlines()[-1] == "Checked 14 files: 2 errors, 0 warnings."


def test_finding_line_shape(run_cli: CliRunner, repo: Path) -> None:
    break_workday(repo)

    result = run_cli("--root", str(repo), "validate", *DAY, "--no-color")

    shaped = [line.strip() for line in result.out.splitlines() if " MC401 " in line]
    path, line, col, rest = shaped[0].split(":", 3)
    assert path == WORKDAY
    assert line.isdigit()
    assert col.isdigit()
    assert rest.startswith(" MC401 error: ")


def test_warnings_pass_unless_strict(run_cli: CliRunner, repo: Path) -> None:
    path = repo / "proposals" / "basic-budget-skills-it-entrepreneurs.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: ", "title: TODO ", 1), encoding="utf-8")

    relaxed = run_cli("--root", str(repo), "validate", *DAY)
    strict = run_cli("--root", str(repo), "validate", "--strict", *DAY)

    assert relaxed.code == 0
    assert "MC801 warning" in relaxed.out
    assert strict.code == 1


def test_json_shape(run_cli: CliRunner, repo: Path) -> None:
    break_workday(repo)

    result = run_cli("--root", str(repo), "validate", "--format", "json", *DAY)

    document = json.loads(result.out)
    assert document["version"] == 1
    assert set(document["summary"]) == {"files_checked", "errors", "warnings"}
    assert {p["status"] for p in document["proposals"]} >= {"draft", "published"}
    # The shipped proposals' acknowledged overlaps come first, as info.
    finding = next(f for f in document["findings"] if f["severity"] != "info")
    assert set(finding) == {"path", "line", "column", "code", "severity", "message"}
    assert finding["path"] == WORKDAY


def test_github_annotations(run_cli: CliRunner, repo: Path) -> None:
    break_workday(repo)

    result = run_cli("--root", str(repo), "validate", "--format", "github", *DAY)

    lines = result.out.splitlines()
    first = next(line for line in lines if not line.startswith("::notice"))
    assert first.startswith(f"::error file={WORKDAY},line=")
    assert ",col=" in first
    assert "::MC401: " in first


def test_github_escapes_newlines(run_cli: CliRunner, repo: Path) -> None:
    path = repo / WORKDAY
    path.write_text("id: [\n", encoding="utf-8")

    result = run_cli("--root", str(repo), "validate", "--format", "github", *DAY)

    annotations = [
        line
        for line in result.out.splitlines()
        if line.startswith("::") and not line.startswith("::notice")
    ]
    assert len(annotations) == 1


def test_named_paths_limit_report(run_cli: CliRunner, repo: Path) -> None:
    break_workday(repo)
    other = repo / "proposals" / "collegewide-leadership-student-life.yaml"

    result = run_cli("--root", str(repo), "validate", str(other), *DAY)

    assert result.code == 0
    assert "Checked 1 file" in result.out


def test_named_path_keeps_cross_file_rules(run_cli: CliRunner, repo: Path) -> None:
    path = repo / WORKDAY
    copy = repo / "proposals" / "copy.yaml"
    copy.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")

    result = run_cli("--root", str(repo), "validate", str(copy), *DAY)

    assert "MC902" in result.out
    assert "MC901" in result.out


def test_missing_path_is_usage_error(run_cli: CliRunner, repo: Path) -> None:
    result = run_cli("--root", str(repo), "validate", str(repo / "nope.yaml"))

    assert result.code == 2
    assert "does not exist" in result.err


def test_path_outside_repository_is_usage_error(run_cli: CliRunner, repo: Path) -> None:
    result = run_cli("--root", str(repo), "validate", str(repo / "mcval.toml"))

    assert result.code == 2
    assert "mcval.toml is not a proposal" in result.err


def test_unknown_format_is_usage_error(run_cli: CliRunner, repo: Path) -> None:
    result = run_cli("--root", str(repo), "validate", "--format", "xml")

    assert result.code == 2


def test_bad_today_is_usage_error(run_cli: CliRunner, repo: Path) -> None:
    result = run_cli("--root", str(repo), "validate", "--today", "2026-02-30")

    assert result.code == 2
    assert "YYYY-MM-DD" in result.err


def test_not_a_repository(run_cli: CliRunner, tmp_path: Path) -> None:
    result = run_cli("--root", str(tmp_path), "validate")

    assert result.code == 1
    assert result.err.startswith("Error: no 'proposals' folder")
    assert "hint: " in result.err


def test_broken_config(run_cli: CliRunner, repo: Path) -> None:
    (repo / "mcval.toml").write_text("[validate]\nmin_competencies = 'three'\n")

    result = run_cli("--root", str(repo), "validate")

    assert result.code == 1
    assert "min_competencies must be a whole number" in result.err


def test_broken_schema(run_cli: CliRunner, repo: Path) -> None:
    (repo / "schemas" / "proposal.schema.json").write_text("{", encoding="utf-8")

    result = run_cli("--root", str(repo), "validate")

    assert result.code == 1
    assert "schema" in result.err
    assert "Traceback" not in result.err


def test_root_found_from_subfolder(
    run_cli: CliRunner, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo / "proposals")

    result = run_cli("validate", *DAY)

    assert result.code == 0


def test_rules_lists_every_code(run_cli: CliRunner) -> None:
    result = run_cli("rules")

    for code in ("Y001", "S001", "MC101", "MC401", "MC704", "MC961"):
        assert f"{code}  " in result.out
    assert "Example fix:" in result.out


def test_rules_single_code_json(run_cli: CliRunner) -> None:
    result = run_cli("rules", "mc303", "--format", "json")

    entries = json.loads(result.out)
    assert [entry["code"] for entry in entries] == ["MC303"]
    assert entries[0]["severity"] == "warning for a draft, error once submitted"


def test_new_unit_proposal_validates_as_draft(run_cli: CliRunner, repo: Path) -> None:
    created = run_cli(
        "--root",
        str(repo),
        "new",
        "payroll-basics",
        "--title",
        "Payroll: The Basics",
        "--unit",
        "business",
    )
    path = repo / "proposals" / "payroll-basics.yaml"

    result = run_cli("--root", str(repo), "validate", str(path), "--format", "json")

    assert created.code == 0
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schemas/")
    document = json.loads(result.out)
    assert result.code == 0
    assert document["summary"]["errors"] == 0
    assert document["summary"]["warnings"] > 0
    allowed = {"MC501", "MC601", "MC801", "MC961"}
    assert {f["code"] for f in document["findings"]} <= allowed


def test_new_collegewide_copies_library(run_cli: CliRunner, repo: Path) -> None:
    created = run_cli(
        "--root",
        str(repo),
        "new",
        "leadership-nursing",
        "--title",
        "Leadership",
        "--unit",
        "health-sciences",
        "--kind",
        "collegewide",
        "--library-badge",
        "leadership",
    )
    path = repo / "proposals" / "leadership-nursing.yaml"

    result = run_cli("--root", str(repo), "validate", str(path), "--format", "json")

    assert created.code == 0
    assert "library_item: leadership.ld-1" in path.read_text(encoding="utf-8")
    assert json.loads(result.out)["summary"]["errors"] == 0


def test_new_refuses_to_overwrite(run_cli: CliRunner, repo: Path) -> None:
    result = run_cli(
        "--root",
        str(repo),
        "new",
        "basic-workday-skills",
        "--title",
        "X",
        "--unit",
        "business",
    )

    assert result.code == 1
    assert "already exists" in result.err
    assert "--force" in result.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("Not A Slug", "--title", "X", "--unit", "business"), "not a valid id"),
        (
            ("x-y", "--title", "X", "--unit", "business", "--kind", "collegewide"),
            "adopts",
        ),
        (
            (
                "x-y",
                "--title",
                "X",
                "--unit",
                "business",
                "--kind",
                "collegewide",
                "--library-badge",
                "juggling",
            ),
            "no library badge 'juggling'",
        ),
        (("x-y", "--title", "X", "--unit", "nosuch"), "unit 'nosuch' is not in"),
        (
            (
                "x-y",
                "--title",
                "X",
                "--unit",
                "business",
                "--library-badge",
                "leadership",
            ),
            "only for --kind collegewide",
        ),
        (
            ("x-y", "--title", "X", "--unit", "business", "--output", "/tmp/x-y.yaml"),
            "outside proposals/",
        ),
    ],
)
def test_new_rejects_bad_input(
    run_cli: CliRunner, repo: Path, args: tuple[str, ...], message: str
) -> None:
    result = run_cli("--root", str(repo), "new", *args)

    assert result.code == 2
    assert message in result.err


def test_new_names_path_to_validate(run_cli: CliRunner, repo: Path) -> None:
    result = run_cli(
        "--root", str(repo), "new", "x-y", "--title", "X", "--unit", "business"
    )

    assert "then run: mcval validate proposals/x-y.yaml" in result.out
    text = (repo / "proposals" / "x-y.yaml").read_text(encoding="utf-8")
    assert "`mcval validate proposals/x-y.yaml`" in text


def test_rules_unknown_code(run_cli: CliRunner) -> None:
    result = run_cli("rules", "XX999")

    assert result.code == 2
    assert "no finding code 'XX999'" in result.err


def test_rules_listed_in_order(run_cli: CliRunner) -> None:
    result = run_cli("rules")

    codes = [line.split()[0] for line in result.out.splitlines() if line[:1].isupper()]
    assert codes[0] == "Y001"
    assert codes.index("S001") < codes.index("MC101") < codes.index("MC401")


def test_internal_error_exit_three(
    run_cli: CliRunner, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*_: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("mcval.commands.validate.validate", explode)

    result = run_cli("--root", str(repo), "validate")

    assert result.code == 3
    assert result.err.startswith("Error: internal error: RuntimeError: boom")
    assert "Traceback" not in result.err


def test_interrupt_exit_130(
    run_cli: CliRunner, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupt(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("mcval.commands.validate.validate", interrupt)

    assert run_cli("--root", str(repo), "validate").code == 130


def test_console_script_runs() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "mcval", "--root", str(REPO_ROOT), "rules", "Y004"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )

    assert completed.returncode == 0
    assert completed.stdout.startswith("Y004  yes-no-word")


def mutate(text: str, rng: random.Random) -> str:
    """Return `text` with one random edit of the kind people make by hand."""
    lines = text.splitlines(keepends=True)
    index = rng.randrange(len(lines))
    choice = rng.randrange(6)
    if choice == 0:
        del lines[index]
    elif choice == 1:
        lines[index] = "\t" + lines[index]
    elif choice == 2:
        lines[index] = lines[index].replace(":", "", 1)
    elif choice == 3:
        lines.insert(index, lines[rng.randrange(len(lines))])
    elif choice == 4:
        position = rng.randrange(len(lines[index]) + 1)
        noise = rng.choice(["&a ", "*a", "!!binary ", "'", '"', "{", "[", "- ", "\x00"])
        lines[index] = lines[index][:position] + noise + lines[index][position:]
    else:
        lines[index] = " " * rng.randrange(1, 4) + lines[index]
    return "".join(lines)


def test_random_edits_never_crash(run_cli: CliRunner, repo: Path) -> None:
    rng = random.Random(20261204)
    path = repo / WORKDAY
    original = path.read_text(encoding="utf-8")

    for _ in range(60):
        text = original
        for _ in range(rng.randrange(1, 4)):
            text = mutate(text, rng)
        path.write_text(text, encoding="utf-8")
        result = run_cli("--root", str(repo), "validate", str(path), *DAY)
        assert result.code in {0, 1}, result.err
        assert "Traceback" not in result.out + result.err


@pytest.mark.parametrize(
    ("remove", "message"),
    [
        ("approvers.yaml", "no 'approvers.yaml' in"),
        ("competency-libraries", "no 'competency-libraries' folder in"),
    ],
)
def test_missing_repository_part(
    run_cli: CliRunner, repo: Path, remove: str, message: str
) -> None:
    target = repo / remove
    if target.is_dir():
        shutil.rmtree(target)
    else:
        target.unlink()

    result = run_cli("--root", str(repo), "validate")

    assert result.code == 1
    assert message in result.err


def test_empty_proposals_folder(run_cli: CliRunner, repo: Path) -> None:
    for path in (repo / "proposals").iterdir():
        path.unlink()

    result = run_cli("--root", str(repo), "validate")

    assert result.code == 1
    assert "no proposal files (*.yaml) in proposals/" in result.err


def test_proposals_dir_outside_repository(run_cli: CliRunner, repo: Path) -> None:
    (repo / "mcval.toml").write_text('[paths]\nproposals_dir = "../.."\n')

    result = run_cli("--root", str(repo), "validate")

    assert result.code == 1
    assert "points outside the repository" in result.err


def test_upper_case_extension_checked(run_cli: CliRunner, repo: Path) -> None:
    source = repo / WORKDAY
    target = repo / "proposals" / "shouting.YAML"
    target.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")

    result = run_cli("--root", str(repo), "validate", *DAY)

    assert "proposals/shouting.YAML:" in result.out
    assert "MC901" in result.out


def test_link_outside_repository_not_read(
    run_cli: CliRunner, repo: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("id: secret\n", encoding="utf-8")
    (repo / "proposals" / "link.yaml").symlink_to(secret)

    result = run_cli("--root", str(repo), "validate", *DAY)

    assert result.code == 1
    assert (
        "proposals/link.yaml:1:1: Y001 error: the file links to a place" in result.out
    )
    assert "secret" not in result.out.replace("secret.yaml", "")


def test_folder_path_selects_its_files(run_cli: CliRunner, repo: Path) -> None:
    result = run_cli("--root", str(repo), "validate", str(repo / "proposals"), *DAY)

    assert result.code == 0
    assert "Checked 4 files" in result.out


def test_control_characters_escaped(run_cli: CliRunner, repo: Path) -> None:
    path = repo / WORKDAY
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\nsummary:", '\n"bad\\e]0;x\\akey": 1\nsummary:', 1))

    result = run_cli("--root", str(repo), "validate", str(path), *DAY)

    assert "\x1b" not in result.out
    assert "\x07" not in result.out
    assert "unknown field 'bad\\x1b]0;x\\x07key'" in result.out


def test_unreadable_proposal_in_overview(run_cli: CliRunner, repo: Path) -> None:
    (repo / WORKDAY).write_text("- a list\n", encoding="utf-8")

    text = run_cli("--root", str(repo), "validate", *DAY)
    report = json.loads(
        run_cli("--root", str(repo), "validate", "--format", "json").out
    )

    assert "unreadable (no id)  (proposals/basic-workday-skills.yaml)" in text.out
    entry = next(p for p in report["proposals"] if p["path"] == WORKDAY)
    assert entry["id"] is None
    assert entry["status"] is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[validate]\nmin_competncies = 3\n", "did you mean 'min_competencies'?"),
        ("[valdate]\n", "unknown section [valdate]"),
        ("[credly]\nmax_concurrency = 0\n", "max_concurrency must be a whole number"),
    ],
)
def test_config_errors_have_hints(
    run_cli: CliRunner, repo: Path, content: str, message: str
) -> None:
    (repo / "mcval.toml").write_text(content, encoding="utf-8")

    result = run_cli("--root", str(repo), "validate")

    assert result.code == 1
    assert message in result.err
    assert "hint: " in result.err


def test_binary_config(run_cli: CliRunner, repo: Path) -> None:
    (repo / "mcval.toml").write_bytes(b"\xff\xfe\x00\x01")

    result = run_cli("--root", str(repo), "validate")

    assert result.code == 1
    assert "is not a UTF-8 text file" in result.err


def test_entry_interrupted_while_loading(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    from mcval import entry

    real_import = builtins.__import__

    def interrupted(name: str, *args: object, **kwargs: object) -> object:
        if name == "mcval.cli":
            raise KeyboardInterrupt
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", interrupted)

    assert entry.main() == 130
