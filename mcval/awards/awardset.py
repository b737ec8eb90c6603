"""All award and revocation files of a repository, read and checked together.

Duplicates are found across files, so every file under the awards folder is
always read, even when only some files are reported on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mcval.awards.checks import (
    RowContext,
    cell,
    check_award,
    check_revocation,
    credentials_of,
    is_email,
    normalise_email,
)
from mcval.awards.model import AwardRow, RevocationRow
from mcval.awards.privacy import Privacy
from mcval.awards.reader import CsvFile, ReadLimits, Record, read_csv_file
from mcval.errors import ConfigError, RepositoryError, UsageError
from mcval.findings import Finding, Position, Severity
from mcval.repository import Repository, load_repository
from mcval.settings import Config

CSV_SUFFIXES = (".csv", ".tsv")
# Staff may save these files by mistake in place of CSV, so each gets a finding.
_WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".numbers")
_TEXT_SUFFIX = ".txt"

AWARDS = "awards"
REVOCATIONS = "revocations"
UNREAD = "unread"


@dataclass
class AwardSet:
    """The valid award and revocation rows of the reported files, and findings.

    A row with an error finding is left out, and rows with warnings stay. A
    revoked award still appears in `awards`, so pair it with `revocations`.
    `kinds` maps each reported file to AWARDS, REVOCATIONS or UNREAD.
    """

    awards: list[AwardRow] = field(default_factory=list)
    revocations: list[RevocationRow] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    kinds: dict[str, str] = field(default_factory=dict)


def load_awards(
    root: Path,
    config: Config,
    paths: Sequence[Path] = (),
    *,
    today: dt.date | None = None,
    show_personal_data: bool = False,
) -> AwardSet:
    """Load the repository and check every award file under the awards folder.

    `paths` names files or folders to report on; all files are reported when
    it is empty. `today` defaults to the current date.
    """
    repository = load_repository(root, config)
    return check_awards(
        repository, paths, today=today, show_personal_data=show_personal_data
    )


def check_awards(
    repository: Repository,
    paths: Sequence[Path] = (),
    *,
    today: dt.date | None = None,
    show_personal_data: bool = False,
) -> AwardSet:
    """Check every award file against a loaded repository; see `load_awards`."""
    config = repository.config
    context = RowContext(
        credentials=credentials_of(repository),
        config=config,
        today=today or dt.date.today(),
        privacy=Privacy(show_personal_data),
    )
    everything = AwardSet()
    files = [_read(repository, path) for path in award_files(repository)]
    checker = _Checker(context, everything)
    for file in files:
        checker.check_file(file)
    for file in files:
        checker.check_revocations(file)
    selected = _selected_paths(repository, paths, [file.path for file in files])
    return _only(everything, selected)


def award_files(repository: Repository) -> list[Path]:
    """Return the files under the awards folder that are, or look like, award files."""
    folder = _awards_folder(repository.root, repository.config)
    if not folder.is_dir():
        # A misspelt awards_dir would otherwise pass every check and issue
        # nothing, with CI green.
        raise RepositoryError(
            f"no '{repository.config.awards_dir}' folder in {repository.root}",
            hint="create it (an empty folder with a .gitkeep file will do), or fix"
            " awards_dir in mcval.toml",
        )
    suffixes = (*CSV_SUFFIXES, *_WORKBOOK_SUFFIXES, _TEXT_SUFFIX)
    found = [
        path
        for path in folder.rglob("*")
        if path.suffix.lower() in suffixes
        and not path.name.startswith((".", "~$"))
        and path.is_file()
    ]
    return sorted(found)


def _awards_folder(root: Path, config: Config) -> Path:
    folder = (root / config.awards_dir).resolve()
    if not folder.is_relative_to(root.resolve()):
        raise ConfigError(
            f"awards_dir = '{config.awards_dir}' in mcval.toml points outside the"
            " repository",
            hint="use a folder inside the repository",
        )
    return folder


def _read(repository: Repository, path: Path) -> CsvFile:
    display = repository.display_path(path)
    suffix = path.suffix.lower()
    if not path.resolve().is_relative_to(repository.root.resolve()):
        file = CsvFile(display)
        file.add(
            1,
            1,
            "A001",
            "the file links to a place outside the repository, and mcval does not"
            " follow such links; replace the link with the file itself",
        )
        return file
    if suffix in _WORKBOOK_SUFFIXES or (
        suffix == _TEXT_SUFFIX and not _is_unicode_text(path)
    ):
        return _not_csv(display, suffix)
    config = repository.config
    limits = ReadLimits(config.award_max_file_bytes, config.award_max_rows)
    return read_csv_file(path, display, limits)


def _is_unicode_text(path: Path) -> bool:
    """Return whether a .txt file is Excel's "Unicode Text": UTF-16 with a BOM.

    Excel saves that format with the .txt extension, so such a file is read
    as an award file; other .txt files get a finding instead.
    """
    try:
        with path.open("rb") as stream:
            start = stream.read(2)
    except OSError:
        return False
    return start in (b"\xff\xfe", b"\xfe\xff")


def _not_csv(display: str, suffix: str) -> CsvFile:
    file = CsvFile(display)
    if suffix == _TEXT_SUFFIX:
        message = (
            "mcval reads only .csv and .tsv files here, so this .txt file was not"
            " read; if it holds awards, rename it to .csv"
        )
        file.findings.append(
            Finding(display, Position(), "A001", Severity.WARNING, message)
        )
        return file
    file.add(
        1,
        1,
        "A001",
        "this is a spreadsheet workbook, not a CSV file; in Excel use File > Save"
        " As > CSV UTF-8 (Comma delimited), commit the .csv and delete this file",
    )
    return file


@dataclass
class _Checker:
    """Checks rows file by file, remembering each award to find duplicates."""

    context: RowContext
    result: AwardSet
    seen: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)
    seen_ids: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)
    revoked: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)

    def check_file(self, file: CsvFile) -> None:
        self.result.findings.extend(file.findings)
        if not file.usable:
            self.result.kinds[file.path] = UNREAD
            return
        if file.revocation:
            self.result.kinds[file.path] = REVOCATIONS
            return
        self.result.kinds[file.path] = AWARDS
        self.result.findings.extend(_ignored_columns(file))
        for record in file.records:
            award, findings = check_award(file, record, self.context)
            duplicate = self._duplicate(file, record)
            if duplicate is not None:
                findings.append(duplicate)
                award = None
            self.result.findings.extend(findings)
            if award is not None:
                self.result.awards.append(award)

    def _duplicate(self, file: CsvFile, record: Record) -> Finding | None:
        """Return a finding when an earlier row awards the same credential."""
        key = _key(file, record, "email")
        if key is None:
            return None
        if key in self.seen:
            where = _where(self.seen[key], file.path)
            learner = self.context.privacy.email(key[1])
            return _at(
                file,
                record,
                "email",
                "A110",
                f"{learner} is awarded '{key[0]}' also in {where}; delete one of"
                " the rows",
            )
        self.seen[key] = (file.path, record.line)
        id_key = _key(file, record, "learner_id")
        if id_key is None:
            return None
        if id_key in self.seen_ids:
            where = _where(self.seen_ids[id_key], file.path)
            return _at(
                file,
                record,
                "learner_id",
                "A110",
                f"the same learner id is awarded '{key[0]}' also in {where}, with"
                " another e-mail address; delete one of the rows",
            )
        self.seen_ids[id_key] = (file.path, record.line)
        return None

    def check_revocations(self, file: CsvFile) -> None:
        if not file.usable or not file.revocation:
            return
        for record in file.records:
            revocation, findings = check_revocation(file, record, self.context)
            problem = self._unmatched(file, record)
            if problem is not None:
                findings.append(problem)
                revocation = None
            self.result.findings.extend(findings)
            if revocation is not None:
                self.result.revocations.append(revocation)

    def _unmatched(self, file: CsvFile, record: Record) -> Finding | None:
        """Return a finding when no award matches, or an earlier row revokes it."""
        key = _key(file, record, "email")
        if key is None:
            return None
        learner = self.context.privacy.email(key[1])
        if key not in self.seen:
            return _at(
                file,
                record,
                "email",
                "A111",
                f"no award file gives '{key[0]}' to {learner}; check the e-mail"
                " address and the credential",
            )
        if key in self.revoked:
            where = _where(self.revoked[key], file.path)
            return _at(
                file,
                record,
                "email",
                "A110",
                f"the award of '{key[0]}' to {learner} is revoked also in {where};"
                " delete one of the rows",
            )
        self.revoked[key] = (file.path, record.line)
        return None


def _key(file: CsvFile, record: Record, name: str) -> tuple[str, str] | None:
    """Return (credential, e-mail or learner id) of a row, when both are usable."""
    credential = cell(file, record, "credential")
    value = cell(file, record, name)
    if name == "email":
        value = normalise_email(value)
        if not is_email(value):
            return None
    if not credential or not value:
        return None
    return credential, value


def _where(location: tuple[str, int], current: str) -> str:
    path, line = location
    return f"row {line}" if path == current else f"{path} row {line}"


def _at(file: CsvFile, record: Record, name: str, code: str, message: str) -> Finding:
    column = file.header.columns.get(name, 1) if file.header else 1
    return Finding(
        file.path, Position(record.line, column), code, Severity.ERROR, message
    )


def _ignored_columns(file: CsvFile) -> list[Finding]:
    """Report Credly template columns that hold values mcval will not use."""
    if file.header is None:
        return []
    findings = []
    for column, name in file.header.ignored.items():
        if any(len(r.cells) >= column and r.cells[column - 1] for r in file.records):
            findings.append(
                Finding(
                    file.path,
                    Position(file.header.line, column),
                    "A008",
                    Severity.INFO,
                    f"column '{name}' of Credly's bulk-issue template is not used"
                    " by mcval, so its values are ignored",
                )
            )
    return findings


def _selected_paths(
    repository: Repository, paths: Sequence[Path], known: list[str]
) -> set[str] | None:
    if not paths:
        return None
    selected: set[str] = set()
    for path in paths:
        shown = repository.display_path(path)
        if path.is_dir():
            prefix = "" if shown == "." else shown.rstrip("/") + "/"
            selected.update(name for name in known if name.startswith(prefix))
        else:
            selected.add(shown)
    unknown = sorted(selected - set(known))
    if unknown:
        folder = repository.config.awards_dir
        raise UsageError(
            f"{unknown[0]} is not an award or revocation file of the repository"
            f" at {repository.root}",
            hint=f"name .csv files under {folder}/, or pass --root",
        )
    return selected


def _only(result: AwardSet, selected: set[str] | None) -> AwardSet:
    if selected is None:
        result.findings.sort(key=Finding.sort_key)
        return result
    return AwardSet(
        awards=[a for a in result.awards if a.path in selected],
        revocations=[r for r in result.revocations if r.path in selected],
        findings=sorted(
            (f for f in result.findings if f.path in selected), key=Finding.sort_key
        ),
        kinds={path: kind for path, kind in result.kinds.items() if path in selected},
    )
