"""Jinja2 rendering of the templates in the repository's templates/ folder.

A name a template uses but the caller did not pass is an error, never empty
text, so a renamed field cannot silently blank part of a badge or proposal.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2

from mcval.errors import McvalError

TEMPLATES_DIR = "templates"


def _json_text(value: object) -> str:
    # A JSON string is also a valid double-quoted YAML scalar, so nothing is misread.
    return json.dumps(value, ensure_ascii=False)


def _markdown_cell(value: object) -> str:
    """Return `value` as one line that cannot end a Markdown table cell early."""
    return " ".join(str(value).split()).replace("|", "\\|")


@functools.lru_cache(maxsize=8)
def _environment(root: Path) -> jinja2.Environment:
    # One environment per templates folder, so each template compiles once a run.
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(root / TEMPLATES_DIR),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        # HTML review documents escape every value; YAML and JSON templates
        # escape with the filters below.
        autoescape=jinja2.select_autoescape(["html.j2"], default=False),
    )
    environment.filters["yaml_text"] = lambda value: _json_text(str(value))
    environment.filters["json"] = _json_text
    environment.filters["md_cell"] = _markdown_cell
    return environment


def render(root: Path, name: str, values: Mapping[str, Any]) -> str:
    """Render templates/`name` with `values`; a missing name raises McvalError."""
    try:
        template = _environment(root).get_template(name)
        return template.render(values)
    except jinja2.TemplateNotFound as exc:
        raise McvalError(f"the template {TEMPLATES_DIR}/{name} is missing") from exc
    except jinja2.UndefinedError as exc:
        raise McvalError(
            f"the template {TEMPLATES_DIR}/{name} uses a value that is not"
            f" provided: {exc.message}",
            hint="fix the name in the template, or add the value",
        ) from exc
    except jinja2.TemplateError as exc:
        raise McvalError(f"the template {TEMPLATES_DIR}/{name} failed: {exc}") from exc
