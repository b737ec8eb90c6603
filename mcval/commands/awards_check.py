"""`mcval awards check`: check award and revocation files and report findings."""

from __future__ import annotations

from typing import TextIO

from mcval.awards.awardset import AwardSet, load_awards
from mcval.findings import Severity
from mcval.reporters import FORMATTERS
from mcval.result import AwardFileSummary, ValidationResult
from mcval.settings import AwardsCheckSettings

EXIT_OK = 0
EXIT_FINDINGS = 1


def run(settings: AwardsCheckSettings, out: TextIO) -> int:
    awards = load_awards(
        settings.root,
        settings.config,
        settings.paths,
        today=settings.today,
        show_personal_data=settings.show_personal_data,
    )
    result = ValidationResult(
        findings=awards.findings,
        files_checked=len(awards.kinds),
        award_files=_summaries(awards),
    )
    formatter = FORMATTERS[settings.output_format]
    out.write(formatter(result, settings.color) + "\n")
    return EXIT_FINDINGS if result.failed(settings.strict) else EXIT_OK


def _summaries(awards: AwardSet) -> list[AwardFileSummary]:
    rows: dict[str, int] = dict.fromkeys(awards.kinds, 0)
    for path in [a.path for a in awards.awards] + [r.path for r in awards.revocations]:
        rows[path] += 1
    summaries = []
    for path, kind in sorted(awards.kinds.items()):
        own = [f for f in awards.findings if f.path == path]
        summaries.append(
            AwardFileSummary(
                path=path,
                kind=kind,
                rows=rows[path],
                errors=sum(1 for f in own if f.severity == Severity.ERROR),
                warnings=sum(1 for f in own if f.severity == Severity.WARNING),
            )
        )
    return summaries
