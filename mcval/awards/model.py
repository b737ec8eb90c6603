"""The award and revocation records read from CSV files."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class AwardRow:
    """One learner's award of one credential, as read from an award file.

    `row` is the 1-based physical line on which the record starts, counting
    the header and an Excel `sep=` line, so findings point at
    `awards/2026-fall.csv:7:3`. The e-mail address is trimmed and lower-cased.
    """

    path: str
    row: int
    credential: str
    email: str
    first_name: str
    last_name: str
    date_earned: dt.date
    middle_name: str | None = None
    evidence_url: str | None = None
    learner_id: str | None = None


@dataclass(frozen=True)
class RevocationRow:
    """One issued badge to revoke, with the reason shown to the learner."""

    path: str
    row: int
    credential: str
    email: str
    reason: str
