"""The columns of award and revocation files, their accepted names, and the header.

Credly's names come from two of its documents. The bulk-issue CSV template
("How do I issue badges in bulk to multiple earners?", Credly issuer help
centre, updated 2025-02-26) has the columns Badge Template ID, Recipient
Email, First Name, Last Name, Issued at, Issuer Earner ID and Evidence URL.
The issued-badges API (https://www.credly.com/docs/issued_badges) names the
same fields recipient_email, issued_to_first_name, issued_to_middle_name,
issued_to_last_name, badge_template_id, issued_at and issuer_earner_id.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from mcval.awards.privacy import mask_email
from mcval.findings import Finding, Position, Severity

AWARD_REQUIRED = ("credential", "email", "first_name", "last_name", "date_earned")
REVOCATION_REQUIRED = ("credential", "email", "reason")

# Field name: accepted column names after normalise_header, the field first.
ALIASES: dict[str, tuple[str, ...]] = {
    "credential": (
        "credential",
        "credential_id",
        "micro_credential",
        "micro_credential_id",
        "microcredential",
        "proposal_id",
        "badge_template_id",
    ),
    "email": (
        "email",
        "e_mail",
        "email_address",
        "e_mail_address",
        "recipient_email",
        "learner_email",
        "student_email",
    ),
    "first_name": ("first_name", "given_name", "issued_to_first_name"),
    "middle_name": ("middle_name", "issued_to_middle_name"),
    "last_name": ("last_name", "surname", "family_name", "issued_to_last_name"),
    "date_earned": (
        "date_earned",
        "earned_on",
        "date_awarded",
        "awarded_on",
        "issued_on",
        "issued_at",
        "issue_date",
    ),
    "evidence_url": ("evidence_url", "evidence"),
    "learner_id": ("learner_id", "student_id", "issuer_earner_id"),
    "reason": ("reason", "revocation_reason"),
}

# Other columns of Credly's bulk-issue template, which mcval does not use.
CREDLY_IGNORED = (
    "expiration_date",
    "country",
    "state_or_province",
    "evidence_name",
    "text_evidence_name",
    "text_evidence_url",
    "id_evidence_title",
    "id_evidence_description",
    "locale",
)

_AWARD_FIELDS = (
    "credential",
    "email",
    "first_name",
    "middle_name",
    "last_name",
    "date_earned",
    "evidence_url",
    "learner_id",
)
_FIELD_BY_ALIAS = {alias: name for name, names in ALIASES.items() for alias in names}
_SEPARATORS = re.compile(r"[\s_\-]+")


def normalise_header(cell: str) -> str:
    """Return a column name lower-cased, with spaces, hyphens and underscores as `_`.

    A byte order mark, surrounding spaces and a trailing `*` or `:`, which
    templates use to mark required columns, do not count.
    """
    text = cell.replace("\ufeff", "").strip().strip("*:").strip().lower()
    return _SEPARATORS.sub("_", text).strip("_")


@dataclass
class Header:
    """The columns of one file: each field's 1-based column number, and problems."""

    revocation: bool
    line: int
    columns: dict[str, int] = field(default_factory=dict)
    ignored: dict[int, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    @property
    def usable(self) -> bool:
        """Return whether the rows can be read: no error in the header."""
        return not any(f.severity == Severity.ERROR for f in self.findings)


def is_revocation_header(cells: list[str], file_name: str) -> bool:
    """Return whether a file contains revocations, by its name or a reason column."""
    if file_name.lower().startswith("revocation"):
        return True
    return any(_FIELD_BY_ALIAS.get(normalise_header(c)) == "reason" for c in cells)


def read_header(cells: list[str], path: str, line: int, revocation: bool) -> Header:
    """Map each header cell to its field; report unknown, missing, doubled ones."""
    header = Header(revocation=revocation, line=line)
    allowed = {*REVOCATION_REQUIRED, *_AWARD_FIELDS} if revocation else _AWARD_FIELDS
    if not any(normalise_header(cell) in _FIELD_BY_ALIAS for cell in cells):
        # Probably a data row or a title: its cells may be personal data, so
        # none of them is repeated in the finding.
        header.findings.append(_no_header(path, line))
        return header
    for number, cell in enumerate(cells, start=1):
        name = normalise_header(cell)
        if not name:
            continue
        field_name = _FIELD_BY_ALIAS.get(name)
        position = Position(line, number)
        if field_name is None or field_name not in allowed:
            if name in CREDLY_IGNORED:
                header.ignored[number] = cell.strip()
            else:
                header.findings.append(_unknown(path, position, cell, allowed))
            continue
        if field_name in header.columns:
            header.findings.append(
                _doubled(path, position, cell, field_name, header.columns)
            )
            continue
        header.columns[field_name] = number
    required = REVOCATION_REQUIRED if revocation else AWARD_REQUIRED
    for name in required:
        if name not in header.columns:
            header.findings.append(_missing(path, line, name, revocation))
    return header


def _no_header(path: str, line: int) -> Finding:
    return Finding(
        path,
        Position(line, 1),
        "A006",
        Severity.ERROR,
        f"line {line} does not name the columns: none of its cells is a known"
        " column name. The first line must be the header, such as"
        " credential,email,first_name,last_name,date_earned; delete any title"
        " lines above it",
    )


def _unknown(
    path: str, position: Position, cell: str, allowed: tuple[str, ...] | set[str]
) -> Finding:
    known = [alias for name in allowed for alias in ALIASES[name]]
    close = difflib.get_close_matches(normalise_header(cell), known, n=3, cutoff=0.6)
    fields = list(dict.fromkeys(_FIELD_BY_ALIAS[alias] for alias in close))
    hint = (
        "; did you mean " + " or ".join(f"'{name}'" for name in fields) + "?"
        if fields
        else "; README.md, 'Recording awards', lists the accepted column names"
    )
    return Finding(
        path,
        position,
        "A005",
        Severity.WARNING,
        f"column '{_shown(cell)}' is not a known column and is ignored{hint}",
    )


def _shown(cell: str) -> str:
    """Return a header cell for a message, masked if it contains an address."""
    text = cell.strip()
    return mask_email(text) if "@" in text else text


def _doubled(
    path: str, position: Position, cell: str, name: str, columns: dict[str, int]
) -> Finding:
    return Finding(
        path,
        position,
        "A007",
        Severity.ERROR,
        f"column '{cell.strip()}' holds {name}, like column {columns[name]};"
        " delete one of them",
    )


def _missing(path: str, line: int, name: str, revocation: bool) -> Finding:
    kind = "a revocation file" if revocation else "an award file"
    accepted = ", ".join(f"'{alias}'" for alias in ALIASES[name])
    return Finding(
        path,
        Position(line, 1),
        "A006",
        Severity.ERROR,
        f"{kind} needs a column for the {name.replace('_', ' ')}, named one of"
        f" {accepted}; no rows were"
        " checked",
    )
