"""The project configuration file and the settings each command runs with."""

from __future__ import annotations

import datetime as dt
import difflib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mcval.errors import ConfigError

CONFIG_NAME = "mcval.toml"

DEFAULT_VAGUE_VERBS = (
    "understand",
    "understanding",
    "awareness",
    "know",
    "appreciate",
    "be aware of",
    "learn about",
    "become familiar with",
    "be familiar with",
    "gain an understanding of",
    "realize",
)
DEFAULT_PLACEHOLDERS = (
    "TBD",
    "TBA",
    "TODO",
    "FIXME",
    "N/A",
    "XXX",
    "lorem ipsum",
    "???",
)


@dataclass(frozen=True)
class Config:
    """Values read from `mcval.toml` at the repository root; every key is optional."""

    proposals_dir: str = "proposals"
    libraries_dir: str = "competency-libraries"
    schemas_dir: str = "schemas"
    approvers_file: str = "approvers.yaml"
    min_competencies: int = 3
    min_answer_words: int = 5
    min_rationale_words: int = 8
    min_image_pixels: int = 600
    vague_verbs: tuple[str, ...] = DEFAULT_VAGUE_VERBS
    placeholders: tuple[str, ...] = DEFAULT_PLACEHOLDERS
    max_file_bytes: int = 1_000_000
    credly_base_url: str = "https://api.credly.com/v1"
    credly_organization_id: str = ""
    credly_max_concurrency: int = 8
    awards_dir: str = "awards"
    award_date_format: str = ""
    award_email_domains: tuple[str, ...] = ()
    award_max_file_bytes: int = 20_000_000
    award_max_rows: int = 100_000
    award_time_zone: str = "America/New_York"
    award_issue_time: str = "12:00"
    # Overlap detection (see mcval/overlap/): cosine similarities of TF-IDF
    # vectors and the share of one credential's competencies found in another.
    overlap_competency_threshold: float = 0.5
    overlap_credential_threshold: float = 0.5
    overlap_library_threshold: float = 0.5
    overlap_certification_threshold: float = 0.35
    overlap_max_matches: int = 3


@dataclass(frozen=True)
class ValidateSettings:
    """Settings of `mcval validate`: the files to report on and the output."""

    root: Path
    config: Config
    paths: tuple[Path, ...] = ()
    output_format: str = "text"
    strict: bool = False
    color: bool = False
    today: dt.date = field(default_factory=dt.date.today)
    # A git revision: report only files changed since it, and check the
    # lifecycle against it.
    changed_since: str | None = None


@dataclass(frozen=True)
class AwardsCheckSettings:
    """The options of `mcval awards check`: files, output format and personal data."""

    root: Path
    config: Config
    paths: tuple[Path, ...] = ()
    output_format: str = "text"
    strict: bool = False
    color: bool = False
    today: dt.date = field(default_factory=dt.date.today)
    show_personal_data: bool = False


_INT_KEYS = (
    "credly_max_concurrency",
    "min_competencies",
    "min_answer_words",
    "min_rationale_words",
    "min_image_pixels",
    "max_file_bytes",
    "award_max_file_bytes",
    "award_max_rows",
    "overlap_max_matches",
)
# Shares and similarities, each above 0 and at most 1.
_FRACTION_KEYS = (
    "overlap_competency_threshold",
    "overlap_credential_threshold",
    "overlap_library_threshold",
    "overlap_certification_threshold",
)
_TEXT_KEYS = (
    "proposals_dir",
    "libraries_dir",
    "schemas_dir",
    "approvers_file",
    "credly_base_url",
    "credly_organization_id",
    "awards_dir",
    "award_date_format",
    "award_time_zone",
    "award_issue_time",
)
# Keys in [credly] and [awards] are stored with these prefixes, so `base_url`
# and `date_format` stay short there.
_SECTION_PREFIXES = {
    "paths": "",
    "validate": "",
    "credly": "credly_",
    "awards": "award_",
    "overlap": "overlap_",
}
_LIST_KEYS = ("vague_verbs", "placeholders", "award_email_domains")


def load_config(root: Path) -> Config:
    """Read `mcval.toml` from the repository root; defaults apply when it is absent."""
    path = root / CONFIG_NAME
    if not path.is_file():
        return Config()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{path} is not a UTF-8 text file", hint="save it as UTF-8 text"
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"{path} is not valid TOML: {exc}", hint=_CONFIG_HINT
        ) from exc
    return _config_from(raw, path)


def _config_from(raw: dict[str, Any], path: Path) -> Config:
    values: dict[str, Any] = {}
    for section, prefix in _SECTION_PREFIXES.items():
        table = raw.get(section, {})
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [{section}] must be a table", hint=_CONFIG_HINT)
        for key, value in table.items():
            values[prefix + key] = _checked_value(prefix + key, key, value, path)
    unknown = set(raw) - set(_SECTION_PREFIXES)
    if unknown:
        raise ConfigError(
            f"{path}: unknown section [{sorted(unknown)[0]}]; the sections are"
            " [paths], [validate], [credly], [awards] and [overlap]",
            hint=_CONFIG_HINT,
        )
    return Config(**values)


_CONFIG_HINT = "compare it with the settings and comments of the shipped mcval.toml"


def _checked_value(key: str, shown: str, value: Any, path: Path) -> Any:
    """Check one setting: Config field `key`, written as `shown` in the file."""
    if key in _INT_KEYS:
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ConfigError(
                f"{path}: {shown} must be a whole number above 0", hint=_CONFIG_HINT
            )
        return value
    if key in _FRACTION_KEYS:
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise ConfigError(f"{path}: {shown} must be a number", hint=_CONFIG_HINT)
        if not 0 < value <= 1:
            raise ConfigError(
                f"{path}: {shown} must be above 0 and at most 1", hint=_CONFIG_HINT
            )
        return float(value)
    if key in _TEXT_KEYS:
        if not isinstance(value, str):
            raise ConfigError(f"{path}: {shown} must be text", hint=_CONFIG_HINT)
        if key == "award_date_format":
            _check_date_format(value, shown, path)
        if key == "award_time_zone":
            time_zone(value, shown, path)
        if key == "award_issue_time":
            time_of_day(value, shown, path)
        return value
    if key in _LIST_KEYS:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(
                f"{path}: {shown} must be a list of text values", hint=_CONFIG_HINT
            )
        if key == "award_email_domains":
            return tuple(domain.strip().lower().lstrip("@") for domain in value)
        return tuple(value)
    known = [*_INT_KEYS, *_FRACTION_KEYS, *_TEXT_KEYS, *_LIST_KEYS]
    close = difflib.get_close_matches(key, known, n=1)
    guess = f"; did you mean '{_without_prefix(close[0])}'?" if close else ""
    raise ConfigError(
        f"{path}: unknown setting '{shown}'{guess}",
        hint=_CONFIG_HINT,
    )


def _without_prefix(key: str) -> str:
    for prefix in ("credly_", "award_", "overlap_"):
        if key.startswith(prefix):
            return key.removeprefix(prefix)
    return key


def time_zone(
    value: str, shown: str = "time_zone", path: Path | None = None
) -> ZoneInfo:
    """Return the IANA time zone `value`, or raise ConfigError naming the setting."""
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(
            f"{path or CONFIG_NAME}: {shown} = '{value}' is not a known time zone",
            hint="use an IANA name such as 'America/New_York'",
        ) from exc


def time_of_day(
    value: str, shown: str = "issue_time", path: Path | None = None
) -> dt.time:
    """Return the HH:MM time `value`, or raise ConfigError naming the setting."""
    try:
        return dt.time.fromisoformat(value)
    except ValueError as exc:
        raise ConfigError(
            f"{path or CONFIG_NAME}: {shown} = '{value}' is not a time of day",
            hint="write it as HH:MM on a 24-hour clock, such as '12:00'",
        ) from exc


def _check_date_format(value: str, shown: str, path: Path) -> None:
    """Reject a date format that cannot write and read back a whole date."""
    if not value:
        return
    sample = dt.date(2026, 12, 31)
    try:
        parsed = dt.datetime.strptime(sample.strftime(value), value).date()
    except ValueError:
        parsed = None
    if parsed != sample:
        raise ConfigError(
            f"{path}: {shown} = '{value}' does not give a whole date; use day,"
            " month and year codes such as '%m/%d/%Y'",
            hint=_CONFIG_HINT,
        )
