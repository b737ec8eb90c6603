"""A loaded YAML document: plain data plus the source position of every node."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mcval.findings import Finding, Position

NodePath = tuple[str | int, ...]


def format_node_path(path: NodePath, data: Any = None) -> str:
    """Return a node path as authors read it, such as `competencies[bws-2].assessment`.

    A list item is named by its `id` where it has one, else by its position
    counted from 1 (`stakeholders[#3]`), because authors do not count from 0.
    """
    text = ""
    node = data
    for part in path:
        if isinstance(part, int):
            item = node[part] if isinstance(node, list) and part < len(node) else None
            item_id = item.get("id") if isinstance(item, dict) else None
            text += (
                f"[{item_id}]"
                if isinstance(item_id, str) and item_id
                else f"[#{part + 1}]"
            )
            node = item
        else:
            text += f".{part}" if text else part
            node = node.get(part) if isinstance(node, dict) else None
    return text or "(top level)"


@dataclass
class Document:
    """One YAML file after loading, or the findings that kept it from loading.

    `data` is JSON-compatible: dates stay as their ISO text, so JSON output,
    templates and HTTP bodies can use it as it is.
    """

    path: str
    data: Any = None
    value_positions: dict[NodePath, Position] = field(default_factory=dict)
    key_positions: dict[NodePath, Position] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    flagged_paths: set[NodePath] = field(default_factory=set)

    @property
    def loaded(self) -> bool:
        return isinstance(self.data, dict)

    def position(self, path: NodePath) -> Position:
        """Return where the value at `path` starts, else its nearest ancestor."""
        for end in range(len(path), -1, -1):
            found = self.value_positions.get(path[:end])
            if found is not None:
                return found
        return Position()

    def key_position(self, path: NodePath) -> Position:
        """Return where the key of the value at `path` is written, else the value's."""
        found = self.key_positions.get(path)
        return found if found is not None else self.position(path)

    def get(self, path: NodePath, default: Any = None) -> Any:
        """Return the value at `path`, or `default` when any step is missing."""
        node: Any = self.data
        for part in path:
            if isinstance(node, list) and isinstance(part, int) and part < len(node):
                node = node[part]
                continue
            if not isinstance(node, dict) or part not in node:
                return default
            node = node[part]
        return node
