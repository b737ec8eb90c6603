"""The rule registry: each college guideline is a rule with a stable code."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from mcval.document import Document, NodePath
from mcval.findings import Severity
from mcval.history import ProposalHistory
from mcval.repository import Repository
from mcval.settings import Config

STATUSES = ("draft", "submitted", "approved", "published", "retired")
SIGNED_STATUSES = frozenset({"approved", "published", "retired"})


@dataclass(frozen=True)
class Violation:
    """A rule's complaint about one node, before it becomes a finding."""

    node_path: NodePath
    message: str
    at_key: bool = False
    # Set when the finding's severity does not follow the proposal's status,
    # such as info for an overlap the proposal acknowledges.
    severity: Severity | None = None


@dataclass(frozen=True)
class ProposalContext:
    """The inputs of a rule: one proposal, the whole repository and today's date."""

    document: Document
    repository: Repository
    config: Config
    today: dt.date
    # The proposal's git history, empty outside a git work tree.
    history: ProposalHistory = field(default_factory=ProposalHistory)

    @property
    def status(self) -> str:
        status = self.document.get(("status",))
        return status if status in STATUSES else "draft"

    def get(self, *path: str | int, default: Any = None) -> Any:
        return self.document.get(path, default)

    def items(self, *path: str | int) -> list[tuple[int, dict[str, Any]]]:
        """Return the mapping items of the list at `path` with their indexes."""
        value = self.document.get(path, [])
        if not isinstance(value, list):
            return []
        return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)]


Check = Callable[[ProposalContext], Iterator[Violation]]


@dataclass(frozen=True)
class Rule:
    """A guideline check: its code, what it enforces, and an example fix."""

    code: str
    name: str
    summary: str
    explanation: str
    example_fix: str
    check: Check
    scaled: bool = True

    def severity(self, status: str) -> Severity:
        """Return a warning for a draft where later statuses get an error."""
        if self.scaled and status == "draft":
            return Severity.WARNING
        return Severity.ERROR


RULES: dict[str, Rule] = {}


def rule(
    code: str,
    name: str,
    summary: str,
    explanation: str,
    example_fix: str,
    scaled: bool = True,
) -> Callable[[Check], Check]:
    """Register a check function as a rule under a stable code."""

    def register(check: Check) -> Check:
        if code in RULES:
            raise ValueError(f"rule code {code} is registered twice")
        RULES[code] = Rule(code, name, summary, explanation, example_fix, check, scaled)
        return check

    return register


def words(text: object) -> list[str]:
    return str(text).split() if isinstance(text, str) else []


def parse_date(value: object) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None
