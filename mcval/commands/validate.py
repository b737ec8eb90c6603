"""`mcval validate`: check proposals and report findings."""

from __future__ import annotations

from typing import TextIO

from mcval.reporters import FORMATTERS
from mcval.settings import ValidateSettings
from mcval.validation import validate

EXIT_OK = 0
EXIT_FINDINGS = 1


def run(settings: ValidateSettings, out: TextIO) -> int:
    result = validate(settings)
    formatter = FORMATTERS[settings.output_format]
    out.write(formatter(result, settings.color) + "\n")
    return EXIT_FINDINGS if result.failed(settings.strict) else EXIT_OK
