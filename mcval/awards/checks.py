"""Checks of each award and revocation row, turning valid rows into records."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from mcval.awards.model import AwardRow, RevocationRow
from mcval.awards.privacy import Privacy
from mcval.awards.reader import CsvFile, Record
from mcval.findings import Finding, Position, Severity
from mcval.repository import Repository
from mcval.settings import Config

ISSUABLE = ("approved", "published")

_EMAIL = re.compile(
    r"^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$"
)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_UUID = re.compile(r"^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$", re.IGNORECASE)


@dataclass(frozen=True)
class Credential:
    """A proposal as the award checks see it: its status and approval date."""

    status: str | None
    approved_on: dt.date | None


@dataclass(frozen=True)
class RowContext:
    """Everything a row check looks at besides the row itself."""

    credentials: dict[str, Credential]
    config: Config
    today: dt.date
    privacy: Privacy


def credentials_of(repository: Repository) -> dict[str, Credential]:
    """Return each proposal id with its status and the date of its last signature."""
    credentials = {}
    for proposal_id, documents in repository.proposal_ids().items():
        status = documents[0].get(("status",))
        signatures = documents[0].get(("signatures",), []) or []
        credentials[proposal_id] = Credential(
            status=status if isinstance(status, str) else None,
            approved_on=_last_signature(signatures),
        )
    return credentials


def _last_signature(signatures: Any) -> dt.date | None:
    dates = []
    for signature in signatures if isinstance(signatures, list) else []:
        value = signature.get("date") if isinstance(signature, dict) else None
        if isinstance(value, dt.date):
            dates.append(value)
        elif isinstance(value, str) and _ISO_DATE.match(value.strip()):
            try:
                dates.append(dt.date.fromisoformat(value.strip()))
            except ValueError:
                continue
    return max(dates, default=None)


class _Row:
    """One record of one file, with a way to add findings at its cells."""

    def __init__(self, file: CsvFile, record: Record) -> None:
        self.file = file
        self.record = record
        self.columns = file.header.columns if file.header else {}
        self.findings: list[Finding] = []

    def cell(self, name: str) -> str:
        return cell(self.file, self.record, name)

    def add(
        self, name: str, code: str, message: str, severity: Severity = Severity.ERROR
    ) -> None:
        position = Position(self.record.line, self.columns.get(name, 1))
        self.findings.append(Finding(self.file.path, position, code, severity, message))

    @property
    def failed(self) -> bool:
        return any(f.severity == Severity.ERROR for f in self.findings)


def cell(file: CsvFile, record: Record, name: str) -> str:
    """Return a row's value of a field, or "" when the file has no such column."""
    column = file.header.columns.get(name) if file.header else None
    if column is None or column > len(record.cells):
        return ""
    return record.cells[column - 1]


def normalise_email(text: str) -> str:
    return text.strip().lower()


def is_email(text: str) -> bool:
    return _EMAIL.match(text) is not None


def check_award(
    file: CsvFile, record: Record, context: RowContext
) -> tuple[AwardRow | None, list[Finding]]:
    """Check one award row, and return its findings and, without errors, its record."""
    row = _Row(file, record)
    credential = _check_credential(row, context)
    email = _check_email(row, context)
    date_earned = _check_date(row, context, credential)
    for name in ("first_name", "last_name"):
        _check_name(row, name)
    evidence_url = _check_url(row, context)
    if row.failed or date_earned is None:
        return None, row.findings

    award = AwardRow(
        path=file.path,
        row=record.line,
        credential=row.cell("credential"),
        email=email,
        first_name=row.cell("first_name"),
        last_name=row.cell("last_name"),
        date_earned=date_earned,
        middle_name=row.cell("middle_name") or None,
        evidence_url=evidence_url,
        learner_id=row.cell("learner_id") or None,
    )
    return award, row.findings


def check_revocation(
    file: CsvFile, record: Record, context: RowContext
) -> tuple[RevocationRow | None, list[Finding]]:
    """Check a revocation row's own cells before awardset.py looks up its award."""
    row = _Row(file, record)
    credential = row.cell("credential")
    if not credential:
        row.add("credential", "A101", "the credential is empty; write the proposal id")
    email = _check_email(row, context)
    reason = row.cell("reason")
    if not reason:
        row.add(
            "reason",
            "A112",
            "the reason is empty; Credly shows the reason for a revocation to"
            " the learner",
        )
    if row.failed:
        return None, row.findings
    revocation = RevocationRow(file.path, record.line, credential, email, reason)
    return revocation, row.findings


def _check_credential(row: _Row, context: RowContext) -> Credential | None:
    text = row.cell("credential")
    if not text:
        row.add("credential", "A101", "the credential is empty; write the proposal id")
        return None
    credential = context.credentials.get(text)
    if credential is None:
        row.add("credential", "A101", _unknown_credential(text, context))
        return None
    if credential.status not in ISSUABLE:
        status = credential.status or "no"
        row.add(
            "credential",
            "A102",
            f"credential '{text}' has {status} status; only approved or published"
            " micro-credentials can be awarded",
        )
        return None
    return credential


def _unknown_credential(text: str, context: RowContext) -> str:
    message = f"credential '{text}' is not the id of a proposal"
    if _UUID.match(text):
        return (
            f"{message}; it looks like a Credly badge template id, but award files"
            " name the proposal id, such as the file name in proposals/"
        )
    lowered = {known.lower(): known for known in context.credentials}
    close = difflib.get_close_matches(text.lower(), list(lowered), n=1, cutoff=0.6)
    if close:
        return f"{message}; did you mean '{lowered[close[0]]}'?"
    return f"{message}; write the file name of its proposal without .yaml"


def _check_email(row: _Row, context: RowContext) -> str:
    email = normalise_email(row.cell("email"))
    if not email:
        row.add("email", "A103", "the e-mail address is empty")
        return email
    if not is_email(email):
        row.add(
            "email",
            "A103",
            f"the e-mail address{context.privacy.cell(email)} is not valid; write"
            " one address of the form name@domain",
        )
        return email
    domains = context.config.award_email_domains
    domain = email.rpartition("@")[2]
    if domains and not any(_in_domain(domain, allowed) for allowed in domains):
        row.add(
            "email",
            "A104",
            f"{context.privacy.email(email)} is not in an allowed domain ("
            + ", ".join(domains)
            + "); use the learner's college address",
        )
    return email


def _in_domain(domain: str, allowed: str) -> bool:
    return domain == allowed or domain.endswith("." + allowed)


def _check_date(
    row: _Row, context: RowContext, credential: Credential | None
) -> dt.date | None:
    text = row.cell("date_earned")
    date_format = context.config.award_date_format
    parsed = parse_date(text, date_format)
    if parsed is None:
        row.add("date_earned", "A105", _date_problem(text, date_format))
        return None
    if parsed > context.today:
        row.add(
            "date_earned",
            "A106",
            f"the date earned {parsed.isoformat()} is in the future (today is"
            f" {context.today.isoformat()})",
        )
    approved_on = credential.approved_on if credential else None
    if approved_on is not None and parsed < approved_on:
        row.add(
            "date_earned",
            "A107",
            f"the date earned {parsed.isoformat()} is before the credential was"
            f" approved on {approved_on.isoformat()}, its last signature",
        )
    return parsed


def parse_date(text: str, date_format: str) -> dt.date | None:
    """Read YYYY-MM-DD, or the one format the configuration declares."""
    if _ISO_DATE.match(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return None
    if not date_format:
        return None
    try:
        return dt.datetime.strptime(text, date_format).date()
    except ValueError:
        return None


def _date_problem(text: str, date_format: str) -> str:
    if not text:
        return "the date earned is empty; write it as YYYY-MM-DD"
    expected = "YYYY-MM-DD" + (f" or {_readable(date_format)}" if date_format else "")
    message = f"the date earned '{text}' is not a real date in the form {expected}"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?", text):
        return (
            f"{message}; the cell holds a time of day too, so format the column as"
            " a date without time before saving"
        )
    if text.isdigit():
        return (
            f"{message}; it looks like an Excel date number, so format the column"
            " as a date before saving"
        )
    if not date_format and "/" in text:
        return (
            f"{message}; to use a format such as 12/04/2026, set date_format under"
            " [awards] in mcval.toml"
        )
    return message


_FORMAT_CODES = {
    "%Y": "YYYY",
    "%y": "YY",
    "%m": "MM",
    "%d": "DD",
    "%b": "Mon",
    "%B": "Month",
}


def _readable(date_format: str) -> str:
    """Return a strptime format as staff write it, such as MM/DD/YYYY."""
    for code, shown in _FORMAT_CODES.items():
        date_format = date_format.replace(code, shown)
    return date_format


def _check_name(row: _Row, name: str) -> None:
    text = row.cell(name)
    label = name.replace("_", " ")
    if not text:
        row.add(name, "A108", f"the learner's {label} is empty")
    elif "\n" in text or "\r" in text:
        row.add(name, "A108", f"the learner's {label} spans more than one line")


def _check_url(row: _Row, context: RowContext) -> str | None:
    text = row.cell("evidence_url")
    if not text:
        return None
    if not _is_web_address(text):
        row.add(
            "evidence_url",
            "A109",
            f"the evidence URL{context.privacy.cell(text)} is not a web address;"
            " it must start with https:// and name a host",
        )
    return text


def _is_web_address(text: str) -> bool:
    if any(char.isspace() for char in text):
        return False
    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(host) and "." in (host or "")
