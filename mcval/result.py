"""The outcome of a check run: findings and a summary per proposal or award file."""

from __future__ import annotations

from dataclasses import dataclass, field

from mcval.findings import Finding, Severity


@dataclass(frozen=True)
class ProposalSummary:
    """One line of the run's overview: a proposal, its status and its counts."""

    path: str
    proposal_id: str | None
    title: str | None
    status: str | None
    errors: int
    warnings: int


@dataclass(frozen=True)
class AwardFileSummary:
    """One line of `mcval awards check`'s overview: a file, its valid rows, counts."""

    path: str
    kind: str
    rows: int
    errors: int
    warnings: int


@dataclass
class ValidationResult:
    """Everything `mcval validate` or `mcval awards check` reports, unformatted.

    `award_files` is None for a proposal run, and the overview of award files
    for an awards run.
    """

    findings: list[Finding] = field(default_factory=list)
    proposals: list[ProposalSummary] = field(default_factory=list)
    files_checked: int = 0
    award_files: list[AwardFileSummary] | None = None

    def count(self, severity: Severity) -> int:
        return sum(1 for finding in self.findings if finding.severity == severity)

    def failed(self, strict: bool) -> bool:
        """Return whether the run fails: on errors, and on warnings when strict."""
        if self.count(Severity.ERROR):
            return True
        return strict and self.count(Severity.WARNING) > 0
