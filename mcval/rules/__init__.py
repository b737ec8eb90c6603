"""College guideline rules, registered by code when this package is imported."""

from mcval.rules import (
    approvals,
    history,
    overlap,
    process,
    references,
    substance,
    text,
)
from mcval.rules.base import RULES, ProposalContext, Rule, Violation

__all__ = [
    "RULES",
    "ProposalContext",
    "Rule",
    "Violation",
    "approvals",
    "history",
    "overlap",
    "process",
    "references",
    "substance",
    "text",
]
