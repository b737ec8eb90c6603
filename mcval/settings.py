"""The project configuration file and the settings each command runs with."""

from __future__ import annotations

import datetime as dt
import difflib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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


@dataclass(frozen=True)
class ValidateSettings:
    """What `mcval validate` checks and how it reports."""

    root: Path
    config: Config
    paths: tuple[Path, ...] = ()
    output_format: str = "text"
    strict: bool = False
    color: bool = False
    today: dt.date = field(default_factory=dt.date.today)


_INT_KEYS = (
    "credly_max_concurrency",
    "min_competencies",
    "min_answer_words",
    "min_rationale_words",
    "min_image_pixels",
    "max_file_bytes",
)
_TEXT_KEYS = (
    "proposals_dir",
    "libraries_dir",
    "schemas_dir",
    "approvers_file",
    "credly_base_url",
    "credly_organization_id",
)
# Keys in [credly] are stored with this prefix, so `base_url` stays short there.
_SECTION_PREFIXES = {"paths": "", "validate": "", "credly": "credly_"}
_LIST_KEYS = ("vague_verbs", "placeholders")


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
            values[prefix + key] = _checked_value(prefix + key, value, path)
    unknown = set(raw) - set(_SECTION_PREFIXES)
    if unknown:
        raise ConfigError(
            f"{path}: unknown section [{sorted(unknown)[0]}]; the sections are"
            " [paths], [validate] and [credly]",
            hint=_CONFIG_HINT,
        )
    return Config(**values)


_CONFIG_HINT = "compare it with the settings and comments of the shipped mcval.toml"


def _checked_value(key: str, value: Any, path: Path) -> Any:
    if key in _INT_KEYS:
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ConfigError(
                f"{path}: {key.removeprefix('credly_')} must be a whole number above 0",
                hint=_CONFIG_HINT,
            )
        return value
    if key in _TEXT_KEYS:
        if not isinstance(value, str):
            raise ConfigError(
                f"{path}: {key.removeprefix('credly_')} must be text", hint=_CONFIG_HINT
            )
        return value
    if key in _LIST_KEYS:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(
                f"{path}: {key} must be a list of text values", hint=_CONFIG_HINT
            )
        return tuple(value)
    known = [*_INT_KEYS, *_TEXT_KEYS, *_LIST_KEYS]
    close = difflib.get_close_matches(key, known, n=1)
    guess = f"; did you mean '{close[0].removeprefix('credly_')}'?" if close else ""
    raise ConfigError(
        f"{path}: unknown setting '{key.removeprefix('credly_')}'{guess}",
        hint=_CONFIG_HINT,
    )
