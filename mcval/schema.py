"""JSON Schema validation of loaded documents, with findings authors can act on.

jsonschema's own messages ("'80' is not of type 'number'") name no field and
suggest no fix, so each error is rewritten here with the field's path, what
was found, what is expected, and the schema's own examples.
"""

from __future__ import annotations

import difflib
import json
import re
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema.exceptions import SchemaError, ValidationError

from mcval.document import Document, NodePath, format_node_path
from mcval.errors import ConfigError
from mcval.findings import Position

_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_TYPE_NAMES = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a section of 'key: value' lines",
    "null": "empty",
}


@dataclass(frozen=True)
class SchemaProblem:
    """A schema violation at a node path, before a rule code is attached."""

    node_path: NodePath
    position: Position
    message: str
    keyword: str
    missing: str | None = None


def _check_email(value: object) -> bool:
    return not isinstance(value, str) or _EMAIL.fullmatch(value) is not None


def _check_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if any(char.isspace() for char in value):
        return False
    parts = urllib.parse.urlsplit(value)
    return parts.scheme in {"http", "https"} and "." in parts.netloc


def _format_checker() -> jsonschema.FormatChecker:
    checker = jsonschema.FormatChecker(["date"])
    checker.checks("email")(_check_email)
    checker.checks("uri")(_check_uri)
    return checker


class SchemaValidator:
    """One JSON Schema, checked against its metaschema, ready to validate documents."""

    def __init__(self, path: Path) -> None:
        try:
            self.schema = json.loads(path.read_text(encoding="utf-8"))
            jsonschema.Draft202012Validator.check_schema(self.schema)
        except OSError as exc:
            raise ConfigError(f"cannot read the schema {path}: {exc.strerror}") from exc
        except (json.JSONDecodeError, SchemaError) as exc:
            raise ConfigError(f"the schema {path} is invalid: {exc}") from exc
        self._validator = jsonschema.Draft202012Validator(
            self.schema, format_checker=_format_checker()
        )

    def problems(self, document: Document) -> list[SchemaProblem]:
        """Return every schema violation in `document`, in file order."""
        errors = sorted(self._validator.iter_errors(document.data), key=_error_order)
        # A value that breaks its format usually breaks its pattern too, so only
        # the format finding is kept.
        format_paths = {
            tuple(error.absolute_path)
            for error in errors
            if error.validator == "format"
        }
        problems: list[SchemaProblem] = []
        for error in errors:
            path = tuple(error.absolute_path)
            if error.validator == "pattern" and path in format_paths:
                continue
            problems.extend(_translate(error, document, self.schema))
        return problems


def _error_order(error: ValidationError) -> tuple[str, ...]:
    return tuple(str(part) for part in error.absolute_path)


def _translate(
    error: ValidationError, document: Document, root: dict[str, Any]
) -> Iterator[SchemaProblem]:
    path: NodePath = tuple(error.absolute_path)
    if path in document.flagged_paths and error.validator in {"type", "format"}:
        return  # The loader already explained this value.
    if error.validator == "required":
        yield from _required(error, path, document, root)
        return
    handler = _HANDLERS.get(str(error.validator), _generic)
    yield from handler(error, path, document)


def _schema_of(error: ValidationError) -> dict[str, Any]:
    return error.schema if isinstance(error.schema, dict) else {}


def _where(path: NodePath, document: Document) -> str:
    return f"'{format_node_path(path, document.data)}'"


def _required(
    error: ValidationError, path: NodePath, document: Document, root: dict[str, Any]
) -> Iterator[SchemaProblem]:
    missing = _quoted_name(error.message)
    about = _property_description(error, missing, root)
    where = "the file" if not path else _where(path, document)
    message = f"{where} is missing '{missing}'"
    message += f" ({about})" if about else ""
    message += f"; add '{missing}:'"
    yield SchemaProblem(
        path, document.key_position(path), message, "required", missing=missing
    )


def _additional(
    error: ValidationError, path: NodePath, document: Document
) -> Iterator[SchemaProblem]:
    known = sorted(_schema_of(error).get("properties", {}))
    instance = error.instance if isinstance(error.instance, dict) else {}
    for name in instance:
        if name in known:
            continue
        where = "at the top level" if not path else f"in {_where(path, document)}"
        message = f"unknown field '{name}' {where}"
        close = difflib.get_close_matches(name, known, n=1)
        if close:
            message += f"; did you mean '{close[0]}'?"
        else:
            message += f"; the fields allowed here are: {', '.join(known)}"
        node_path = (*path, name)
        yield SchemaProblem(
            node_path, document.key_position(node_path), message, str(error.validator)
        )


def _not(
    error: ValidationError, path: NodePath, document: Document
) -> Iterator[SchemaProblem]:
    rule: Any = error.validator_value
    forbidden = rule.get("required", []) if isinstance(rule, dict) else []
    for name in forbidden:
        node_path = (*path, name)
        message = f"'{name}' is not allowed here with the other values given; remove it"
        if name == "library_badge":
            message = "'library_badge' is only for kind: collegewide; remove it"
        yield SchemaProblem(
            node_path, document.key_position(node_path), message, str(error.validator)
        )


def _type(
    error: ValidationError, path: NodePath, document: Document
) -> Iterator[SchemaProblem]:
    expected: Any = error.validator_value
    names = [expected] if isinstance(expected, str) else list(expected)
    expected_text = " or ".join(_TYPE_NAMES.get(name, name) for name in names)
    advice = _quote_advice(names, error.instance)
    found = _describe(error.instance)
    message = f"{_where(path, document)} must be {expected_text}, but it is {found}"
    message += advice
    yield SchemaProblem(path, document.position(path), message, str(error.validator))


def _quote_advice(names: list[str], instance: Any) -> str:
    """Return how quoting would fix a value of the wrong type, if it would."""
    if "string" in names and isinstance(instance, bool | int | float):
        return "; put the value in quotes to keep it as text"
    numeric = {"number", "integer"} & set(names)
    if numeric and isinstance(instance, str) and _looks_numeric(instance):
        return "; remove the quotes around the number"
    if "boolean" in names and isinstance(instance, str):
        return "; write true or false without quotes"
    return ""


def _looks_numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _enum(
    error: ValidationError, path: NodePath, document: Document
) -> Iterator[SchemaProblem]:
    allowed: Any = error.validator_value
    options = [str(option) for option in allowed]
    value = str(error.instance)
    allowed_text = ", ".join(options)
    message = (
        f"{_where(path, document)} is '{value}', which is not one of: {allowed_text}"
    )
    close = difflib.get_close_matches(value, options, n=1)
    if close:
        message += f"; did you mean '{close[0]}'?"
    yield SchemaProblem(path, document.position(path), message, str(error.validator))


def _format(
    error: ValidationError, path: NodePath, document: Document
) -> Iterator[SchemaProblem]:
    kind = str(error.validator_value)
    description = {
        "date": "a real date written YYYY-MM-DD, for example 2027-06-30",
        "email": "an e-mail address such as name@college.example.edu",
        "uri": "a web address starting with https://",
    }.get(kind, kind)
    message = (
        f"{_where(path, document)} is '{error.instance}', which is not {description}"
    )
    yield SchemaProblem(path, document.position(path), message, str(error.validator))


def _generic(
    error: ValidationError, path: NodePath, document: Document
) -> Iterator[SchemaProblem]:
    message = f"{_where(path, document)} {_explain(error)}"
    yield SchemaProblem(path, document.position(path), message, str(error.validator))


def _explain(error: ValidationError) -> str:
    rule = str(error.validator)
    value: Any = error.validator_value
    instance: Any = error.instance
    if rule == "minItems":
        noun = "item" if value == 1 else "items"
        return f"needs at least {value} {noun}, but has {len(instance)}"
    if rule == "maxItems":
        return f"may have at most {value} items, but has {len(instance)}"
    if rule == "minLength":
        return (
            "is empty"
            if not instance
            else f"is too short; write at least {value} characters"
        )
    if rule == "maxLength":
        return f"is too long; shorten it to at most {value} characters"
    if rule == "minimum":
        return f"is {instance}, but must be at least {value}"
    if rule == "maximum":
        return f"is {instance}, but must be at most {value}"
    if rule == "uniqueItems":
        return "lists the same item more than once; remove the repeats"
    if rule == "const":
        return f"must be '{value}'"
    if rule == "pattern":
        return _explain_pattern(error)
    return f"is invalid: {error.message}"


def _explain_pattern(error: ValidationError) -> str:
    examples = _schema_of(error).get("examples") or []
    pattern = str(error.validator_value)
    text = f"'{error.instance}' is not in the expected form"
    if examples:
        text += f", for example {examples[0]}"
    if pattern.startswith("^[a-z0-9]"):
        text += " (lower-case letters and digits joined by hyphens)"
    elif pattern.startswith("^https"):
        text += " (a web address starting with https://)"
    return text


def _describe(instance: Any) -> str:
    if isinstance(instance, bool):
        return f"{str(instance).lower()} (a yes/no value)"
    if instance is None:
        return "empty"
    if isinstance(instance, str):
        return f"the text '{instance}'" if len(instance) < 60 else "a long text"
    if isinstance(instance, int | float):
        return f"the number {instance}"
    if isinstance(instance, list):
        return "a list"
    return "a section of 'key: value' lines"


def _quoted_name(message: str) -> str:
    match = re.match(r"'([^']*)'", message)
    return match.group(1) if match else message


def _property_description(
    error: ValidationError, name: str, root: dict[str, Any]
) -> str:
    """Return the first sentence of the missing property's description, if any."""
    for schema in _enclosing_schemas(error, root):
        prop = schema.get("properties", {}).get(name)
        if isinstance(prop, dict) and "$ref" in prop:
            prop = _resolve_ref(root, prop["$ref"])
        if isinstance(prop, dict) and prop.get("description"):
            return str(prop["description"]).split(". ")[0].rstrip(".")
    return ""


def _enclosing_schemas(
    error: ValidationError, root: dict[str, Any]
) -> Iterator[dict[str, Any]]:
    """Yield the error's schema, then each schema around it, innermost first.

    A discriminator branch (`then`) lists properties as `true`, so the
    documented property sits in the schema that encloses the branch.
    """
    yield error.schema if isinstance(error.schema, dict) else {}
    nodes: list[dict[str, Any]] = []
    node: Any = root
    for step in list(error.absolute_schema_path)[:-1]:
        if step == "$ref" and isinstance(node, dict):
            node = _resolve_ref(root, node["$ref"])
        elif isinstance(node, dict):
            node = node.get(step)
        elif isinstance(node, list) and isinstance(step, int) and step < len(node):
            node = node[step]
        else:
            break
        if isinstance(node, dict):
            nodes.append(node)
    yield from reversed(nodes)


def _resolve_ref(root: dict[str, Any], ref: str) -> Any:
    node: Any = root
    for step in ref.removeprefix("#/").split("/"):
        node = node.get(step, {}) if isinstance(node, dict) else {}
    return node


_Handler = Callable[[ValidationError, NodePath, Document], Iterator[SchemaProblem]]
_HANDLERS: dict[str, _Handler] = {
    "additionalProperties": _additional,
    "not": _not,
    "type": _type,
    "enum": _enum,
    "format": _format,
}
