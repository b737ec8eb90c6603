"""Learners' personal data in findings: e-mail addresses masked unless asked for.

Findings about award files end up in CI logs that many people can read, so
they show an e-mail address as `a***@example.edu` and never a learner's name,
learner id or evidence URL. `--show-personal-data` shows addresses and the
text of invalid cells in full, for a person fixing a file on their own machine.
"""

from __future__ import annotations

from dataclasses import dataclass


def mask_email(address: str) -> str:
    """Return an address as its first character, `***` and its domain."""
    local, at, domain = address.rpartition("@")
    if not at:
        return "***"
    return f"{local[:1]}***@{domain}"


@dataclass(frozen=True)
class Privacy:
    """The choice of showing personal data: masked by default, in full on request."""

    show: bool = False

    def email(self, address: str) -> str:
        return address if self.show else mask_email(address)

    def cell(self, text: str) -> str:
        """Return a cell's text quoted for a message, or nothing when masked."""
        return f" '{text}'" if self.show else ""
