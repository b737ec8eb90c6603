"""Findings: what the validator reports, each pointing at a file, line and column."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, order=True)
class Position:
    """A 1-based line and column in a source file."""

    line: int = 1
    col: int = 1


@dataclass(frozen=True)
class Finding:
    """One problem in one file, in the shape `path:line:col: CODE severity: message`."""

    path: str
    position: Position
    code: str
    severity: Severity
    message: str

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.position.line, self.position.col, self.code)

    def format(self) -> str:
        where = f"{self.path}:{self.position.line}:{self.position.col}"
        return f"{where}: {self.code} {self.severity}: {self.message}"
