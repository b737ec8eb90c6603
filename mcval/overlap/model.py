"""The results of overlap detection: matches, credential coverage and gaps."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

# Lifecycle order: an overlap is reported on the proposal earlier in review.
STATUS_RANK = {"draft": 0, "submitted": 1, "approved": 2, "published": 3, "retired": 4}


@dataclass(frozen=True)
class Statement:
    """A competency-like statement: a proposal competency, library item or exam domain.

    `source` is "proposal", "library" or "certification". `owner` is the
    proposal, library badge or certification id, and `key` the competency id,
    item id or domain name. `index` is its position in the owner's list.
    """

    row: int
    source: str
    owner: str
    key: str
    text: str
    path: str
    index: int
    library_item: str | None = None
    label: str = ""

    @property
    def reference(self) -> str:
        """Return how reviewers name it: `communication.cm-1`, `bbs-2`, a domain."""
        if self.source == "library":
            return f"{self.owner}.{self.key}"
        return self.key


@dataclass
class ProposalEntry:
    """One proposal, with the fields overlap detection reads."""

    number: int
    path: str
    proposal_id: str
    title: str
    status: str
    kind: str
    library_badge: str | None
    acknowledged: frozenset[str]
    statements: list[Statement] = field(default_factory=list)
    # (index in stacks_into, target proposal id) for micro-credential targets.
    stacks_into: list[tuple[int, str]] = field(default_factory=list)

    @property
    def rank(self) -> int:
        return STATUS_RANK.get(self.status, 0)


@dataclass(frozen=True)
class Match:
    """Two statements similar enough to count as the same competency."""

    left: Statement
    right: Statement
    similarity: float
    explain: Callable[[int, int], tuple[str, ...]] = field(repr=False, compare=False)

    @cached_property
    def terms(self) -> tuple[str, ...]:
        """Return the shared terms, made only when shown: a repository of
        copies can have millions of matches."""
        return self.explain(self.left.row, self.right.row)


@dataclass(frozen=True)
class CredentialOverlap:
    """How much of `proposal` is found in `other`, and the reverse.

    `matches` hold this proposal's statement on the left.
    """

    proposal: ProposalEntry
    other: ProposalEntry
    matches: tuple[Match, ...]
    covered: int
    other_covered: int

    @property
    def coverage(self) -> float:
        """Return the share of this proposal's competencies found in `other`."""
        return self.covered / max(1, len(self.proposal.statements))

    @property
    def other_coverage(self) -> float:
        return self.other_covered / max(1, len(self.other.statements))

    @property
    def score(self) -> float:
        """Return the larger share, so a badge inside a larger one counts fully."""
        return max(self.coverage, self.other_coverage)


@dataclass(frozen=True)
class LibraryGap:
    """Library dimensions that a collegewide adoption leaves out."""

    proposal: ProposalEntry
    badge: str
    missing: tuple[Statement, ...]


@dataclass(frozen=True)
class StackingGap:
    """Competencies of a stacking target that none of its stacked parts provide."""

    part: ProposalEntry
    stack_index: int
    target: ProposalEntry
    parts: tuple[str, ...]
    missing: tuple[Statement, ...]
