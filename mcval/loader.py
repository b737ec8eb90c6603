"""Safe, strict YAML loading that keeps every node's source position.

Proposal files arrive in pull requests from anyone. The loader therefore
reads at most a fixed number of bytes, nodes and nesting levels, and never
builds Python objects from tags. It reports every YAML 1.1 surprise instead
of letting a value change silently. Every problem becomes a finding, and
nothing raises.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from mcval.document import Document, NodePath
from mcval.findings import Finding, Position, Severity

# libyaml's parser is faster where PyYAML was built with it, and both
# loaders compose the same nodes.
_YamlLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

TAG = "tag:yaml.org,2002:"
_STANDARD_TAGS = {
    TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp")
}
_COLLECTION_TAGS = {TAG + "map", TAG + "seq"}
# Word processors turn straight quotes into these.
_TYPOGRAPHIC_QUOTES = frozenset("\u201c\u201d\u2018\u2019\u201e\u00ab\u00bb")
# YAML 1.2 reads 0o17 as the number 15, where YAML 1.1 keeps it as text.
_OCTAL_12 = re.compile(r"[-+]?0o[0-7]+")
_INTEGER = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?")
_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_TRUE_FALSE = {"true": True, "false": False, "True": True, "False": False}

# Plain-language versions of the parser's most common complaints, and whether
# the place where the parser noticed the problem (False) or where the broken
# construct began (True) is the line to show.
_SYNTAX_HINTS: dict[str, tuple[str, bool]] = {
    "while scanning a quoted scalar": (
        "a quoted value starts here and is never closed; add the closing quote",
        True,
    ),
    "while scanning a simple key": (
        "this line has no ': ' after its key; write 'key: value' with a space"
        " after the colon, or indent the line further if it continues the one"
        " above",
        True,
    ),
    "mapping values are not allowed": (
        "a 'key: value' cannot start here; either this line is indented"
        " differently from the keys around it, or its value contains ': ' and"
        " must be put in quotes",
        False,
    ),
    "expected <block end>, but found": (
        "the indentation is inconsistent; line up items of the same list or"
        " section with the same number of spaces",
        False,
    ),
    "did not find expected key": (
        "the indentation is inconsistent; line up keys of the same section with"
        " the same number of spaces",
        False,
    ),
    "did not find expected '-' indicator": (
        "a list item is indented differently from the items before it",
        False,
    ),
    "found undefined alias": ("an alias (*name) refers to no anchor", False),
    "expected a single document": (
        "the file holds more than one YAML document (---)",
        False,
    ),
}


@dataclass(frozen=True)
class LoadLimits:
    """Bounds that keep loading fast and small for any input."""

    max_bytes: int = 1_000_000
    max_depth: int = 40
    max_nodes: int = 100_000


def load_yaml_file(path: Path, display_path: str, limits: LoadLimits) -> Document:
    """Load one YAML file, recording each problem as a finding on the document."""
    document = Document(path=display_path)
    raw = _read_bounded(path, document, limits)
    if raw is None:
        return document
    text = _decode(raw, document)
    if text is None:
        return document
    return load_yaml_text(text, document, limits)


def load_yaml_text(text: str, document: Document, limits: LoadLimits) -> Document:
    """Parse YAML text into `document`, adding findings for anything suspect."""
    if not text.strip():
        _add(document, Position(), "Y008", "the file is empty")
        return document
    if _report_tabs(text, document) or _report_anchors(text, document):
        return document
    root = _compose(text, document)
    if root is None:
        return document
    builder = _Builder(document, limits)
    data = builder.build(root)
    if builder.aborted:
        return document
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "a single value"
        _add(
            document,
            Position(1, 1),
            "Y009",
            f"the file holds {kind}, but it must be a mapping of 'key: value'"
            " lines at the top level",
        )
        return document
    document.data = data
    return document


def _add(document: Document, position: Position, code: str, message: str) -> None:
    document.findings.append(
        Finding(document.path, position, code, Severity.ERROR, message)
    )


def _read_bounded(path: Path, document: Document, limits: LoadLimits) -> bytes | None:
    try:
        with path.open("rb") as stream:
            raw = stream.read(limits.max_bytes + 1)
    except OSError as exc:
        _add(document, Position(), "Y001", f"cannot read the file: {exc.strerror}")
        return None
    if len(raw) > limits.max_bytes:
        _add(
            document,
            Position(),
            "Y010",
            f"the file is larger than {limits.max_bytes:,} bytes; a proposal is"
            " a few kilobytes, so check that this is the right file",
        )
        return None
    return raw


def _decode(raw: bytes, document: Document) -> str | None:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        _add(
            document,
            Position(),
            "Y007",
            "the file is saved as UTF-16; save it as UTF-8 in your editor",
        )
        return None
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        _add(
            document,
            Position(line, col),
            "Y007",
            f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; save the file as"
            " UTF-8 in your editor",
        )
        return None
    return text


def _report_tabs(text: str, document: Document) -> bool:
    """Report each line indented with a tab, which YAML does not allow."""
    found = False
    for number, line in enumerate(text.splitlines(), start=1):
        indent = len(line) - len(line.lstrip(" \t"))
        col = line.find("\t", 0, indent)
        if col >= 0 and line.strip():
            _add(
                document,
                Position(number, col + 1),
                "Y003",
                "indentation must use spaces, but a tab was found; replace the"
                " tab with spaces",
            )
            found = True
    return found


def _report_anchors(text: str, document: Document) -> bool:
    """Report the first anchor (&name) or alias (*name), where it is written."""
    if "&" not in text and "*" not in text:
        return False  # No anchor or alias can be written without these.
    try:
        for event in yaml.parse(text, Loader=_YamlLoader):
            anchor = getattr(event, "anchor", None)
            if not anchor:
                continue
            name = f"*{anchor}" if isinstance(event, yaml.AliasEvent) else f"&{anchor}"
            _add(
                document,
                _mark_position(event.start_mark),
                "Y011",
                f"anchors and aliases such as {name} are not supported; write the"
                " value out in full",
            )
            return True
    except yaml.YAMLError:
        return False  # Composing the file reports the syntax error.
    return False


def _compose(text: str, document: Document) -> yaml.Node | None:
    try:
        root: yaml.Node | None = yaml.compose(text, Loader=_YamlLoader)
    except yaml.reader.ReaderError as exc:
        _add(
            document, _offset_position(text, exc.position), "Y001", _reader_message(exc)
        )
        return None
    except yaml.MarkedYAMLError as exc:
        _report_marked_error(exc, document)
        return None
    except yaml.YAMLError as exc:
        _add(document, Position(), "Y001", f"the file is not valid YAML: {exc}")
        return None
    except RecursionError:
        _add(document, Position(), "Y010", _TOO_DEEP)
        return None
    if root is None:
        _add(document, Position(), "Y008", "the file holds only comments")
    return root


_TOO_DEEP = (
    "the file is nested too deeply; a proposal needs only a few levels, so check"
    " for runaway brackets or indentation"
)


def _report_marked_error(exc: yaml.MarkedYAMLError, document: Document) -> None:
    details = f"{exc.problem} {exc.context}"
    if "nesting depth" in details:
        # libyaml 0.2.5 and later stop at a fixed depth on their own.
        _add(document, _mark_position(exc.problem_mark), "Y010", _TOO_DEEP)
        return
    for pattern, (hint, at_start) in _SYNTAX_HINTS.items():
        if pattern in details:
            mark = exc.context_mark if at_start else exc.problem_mark
            position = _mark_position(mark or exc.problem_mark)
            _add(document, position, "Y001", f"invalid YAML: {hint}")
            return
    detail = exc.problem or exc.context or "the parser stopped here"
    _add(document, _mark_position(exc.problem_mark), "Y001", f"invalid YAML: {detail}")


def _reader_message(exc: yaml.reader.ReaderError) -> str:
    character = exc.character
    code = ord(character) if isinstance(character, str) else int(character)
    return (
        f"the file contains the invisible control character U+{code:04X}, often"
        " pasted from a word processor; delete it or retype the line"
    )


def _offset_position(text: str, offset: int) -> Position:
    before = text[:offset]
    line = before.count("\n") + 1
    return Position(line, offset - (before.rfind("\n") + 1) + 1)


def _mark_position(mark: Any) -> Position:
    if mark is None:
        return Position()
    return Position(mark.line + 1, mark.column + 1)


def _node_position(node: yaml.Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)


class _Builder:
    """Turns composed YAML nodes into plain data, recording positions."""

    def __init__(self, document: Document, limits: LoadLimits) -> None:
        self.document = document
        self.limits = limits
        self.seen: set[int] = set()
        self.aborted = False

    def build(self, root: yaml.Node) -> Any:
        return self._value(root, ())

    def _stop(self, node: yaml.Node, code: str, message: str) -> None:
        _add(self.document, _node_position(node), code, message)
        self.aborted = True

    def _value(self, node: yaml.Node, path: NodePath) -> Any:
        if self.aborted:
            return None
        if not self._admit(node, path):
            return None
        self.document.value_positions[path] = _node_position(node)
        is_collection = isinstance(node, yaml.MappingNode | yaml.SequenceNode)
        if is_collection and node.tag not in _COLLECTION_TAGS:
            self._stop(node, "Y011", f"the tag {node.tag} is not supported")
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self._value(item, (*path, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        return self._scalar(node, path)

    def _admit(self, node: yaml.Node, path: NodePath) -> bool:
        """Check the limits and the unsupported features before building a node."""
        if id(node) in self.seen:
            self._stop(
                node,
                "Y011",
                "anchors and aliases (&name, *name) are not supported; write the"
                " value out in full",
            )
            return False
        self.seen.add(id(node))
        if len(path) > self.limits.max_depth:
            self._stop(node, "Y010", _TOO_DEEP)
            return False
        if len(self.seen) > self.limits.max_nodes:
            self._stop(node, "Y010", "the file has too many values to be a proposal")
            return False
        return True

    def _mapping(self, node: yaml.MappingNode, path: NodePath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = self._key(key_node)
            if key is None:
                continue
            line = key_node.start_mark.line + 1
            if key in first_lines:
                self._duplicate(key_node, key, first_lines[key], (*path, key))
                continue
            first_lines[key] = line
            self.document.key_positions[(*path, key)] = _node_position(key_node)
            result[key] = self._value(value_node, (*path, key))
        return result

    def _key(self, node: yaml.Node) -> str | None:
        if not isinstance(node, yaml.ScalarNode):
            self._stop(node, "Y011", "a key must be a plain word, not a list or map")
            return None
        if node.tag == TAG + "merge":
            self._stop(node, "Y011", "merge keys (<<) are not supported")
            return None
        return str(node.value)

    def _duplicate(
        self, node: yaml.Node, key: str, first_line: int, path: NodePath
    ) -> None:
        # The first value is kept so that the rest of the file is still checked.
        self.document.flagged_paths.add(path)
        _add(
            self.document,
            _node_position(node),
            "Y002",
            f"duplicate key '{key}' on lines {first_line} and"
            f" {node.start_mark.line + 1}; keep one and delete the other",
        )

    def _scalar(self, node: yaml.ScalarNode, path: NodePath) -> Any:
        text = str(node.value)
        if node.tag not in _STANDARD_TAGS:
            self._stop(node, "Y011", f"the tag {node.tag} is not supported")
            return text
        # libyaml marks a plain scalar with style '' and PyYAML with None.
        if node.style:
            return text
        if text[:1] in _TYPOGRAPHIC_QUOTES:
            self._flag(
                node,
                path,
                "Y012",
                f"the value starts with the typographic quote {text[0]}, which YAML"
                " keeps as part of the text; retype the quotes as straight"
                " quotes (\" or ')",
            )
            return text
        if node.tag == TAG + "str":
            if _OCTAL_12.fullmatch(text):
                return self._integer(node, path, text)
            return text
        return self._resolve_plain(node, path, text)

    def _flag(self, node: yaml.Node, path: NodePath, code: str, message: str) -> None:
        self.document.flagged_paths.add(path)
        _add(self.document, _node_position(node), code, message)

    def _resolve_plain(self, node: yaml.ScalarNode, path: NodePath, text: str) -> Any:
        """Resolve an unquoted scalar by YAML 1.2 rules, flagging YAML 1.1 readings."""
        tag = node.tag.removeprefix(TAG)
        if tag == "null":
            return None
        if tag == "bool":
            return self._boolean(node, path, text)
        if tag == "int":
            return self._integer(node, path, text)
        if tag == "float":
            return self._float(node, path, text)
        return self._timestamp(node, path, text)

    def _boolean(self, node: yaml.ScalarNode, path: NodePath, text: str) -> Any:
        if text in _TRUE_FALSE:
            return _TRUE_FALSE[text]
        self._flag(
            node,
            path,
            "Y004",
            f"'{text}' is read as a yes/no value by many YAML tools; where a text"
            f' value is expected, quote it ("{text}"), and for a yes/no field'
            " write true or false",
        )
        return text

    def _integer(self, node: yaml.ScalarNode, path: NodePath, text: str) -> Any:
        if _INTEGER.fullmatch(text):
            return int(text)
        if ":" in text:
            reading = "a number in base 60 (1:30 becomes 90)"
        elif text.lstrip("+-").startswith("0"):
            reading = "an octal or hexadecimal number (0123 becomes 83)"
        else:
            reading = "a different number"
        self._flag(
            node,
            path,
            "Y005",
            f"'{text}' is read as {reading} by YAML 1.1 tools; quote it"
            f' ("{text}") to keep it as text',
        )
        return text

    def _float(self, node: yaml.ScalarNode, path: NodePath, text: str) -> Any:
        if _FLOAT.fullmatch(text) and str(float(text)) == text.lstrip("+"):
            return float(text)
        self._flag(
            node,
            path,
            "Y005",
            f"'{text}' is read as the number {_float_reading(text)}, which changes"
            f' what you wrote; quote it ("{text}") to keep it as text',
        )
        return text

    def _timestamp(self, node: yaml.ScalarNode, path: NodePath, text: str) -> Any:
        match = _DATE.fullmatch(text)
        if match is None:
            # A date with a time of day stays as its text; the schema decides.
            return text
        year, month, day = (int(group) for group in match.groups())
        if not _is_calendar_date(year, month, day):
            self._flag(node, path, "Y006", _date_problem(text, year, month))
            return text
        return f"{year:04d}-{month:02d}-{day:02d}"


def _float_reading(text: str) -> str:
    try:
        return repr(float(text.replace("_", "")))
    except ValueError:
        return "a special number"


def _date_problem(text: str, year: int, month: int) -> str:
    if not 1 <= month <= 12:
        return (
            f"'{text}' is not a real date: there is no month {month}; write YYYY-MM-DD"
        )
    days = calendar.monthrange(year, month)[1]
    name = calendar.month_name[month]
    return f"'{text}' is not a real date: {name} {year} has {days} days"


def _is_calendar_date(year: int, month: int, day: int) -> bool:
    if not 1 <= month <= 12:
        return False
    return 1 <= day <= calendar.monthrange(year, month)[1]
