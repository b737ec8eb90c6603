"""A reader's diff of two versions of a proposal: competencies added, removed
or changed, with their rubric levels, rather than changed YAML lines."""

from __future__ import annotations

from typing import Any

from mcval.history.substance import changed_fields, competencies_by_id


def competency_changes(old: Any, new: Any) -> list[dict[str, Any]]:
    """Return one entry per competency that differs between proposals `old` and
    `new`: its id, `change` (added, removed or changed), its statements, the
    other assessment fields that changed, and its rubric level changes."""
    before = competencies_by_id(
        old.get("competencies") if isinstance(old, dict) else None
    )
    after = competencies_by_id(
        new.get("competencies") if isinstance(new, dict) else None
    )
    changes: list[dict[str, Any]] = []
    for key, competency in before.items():
        if key not in after:
            changes.append(_entry(key, "removed", competency, None))
    for key, competency in after.items():
        if key not in before:
            changes.append(_entry(key, "added", None, competency))
        elif before[key] != competency:
            changes.append(_entry(key, "changed", before[key], competency))
    return changes


def other_changes(old: Any, new: Any) -> list[str]:
    """Return the changed substance fields outside the competencies."""
    return [
        name for name in changed_fields(old, new) if not name.startswith("competencies")
    ]


def _entry(
    key: str, change: str, old: dict[str, Any] | None, new: dict[str, Any] | None
) -> dict[str, Any]:
    old_assessment = _mapping(old, "assessment")
    new_assessment = _mapping(new, "assessment")
    fields = [
        name
        for name in ("method", "description", "evidence", "passing_score")
        if change == "changed" and old_assessment.get(name) != new_assessment.get(name)
    ]
    old_rubric = _mapping(old_assessment, "rubric")
    new_rubric = _mapping(new_assessment, "rubric")
    return {
        "id": key,
        "change": change,
        "old_statement": _text(old, "statement"),
        "statement": _text(new, "statement") or _text(old, "statement"),
        "assessment_fields": fields,
        "old_passing_level": _text(old_rubric, "passing_level"),
        "passing_level": _text(new_rubric, "passing_level"),
        "levels": _level_changes(old_rubric.get("levels"), new_rubric.get("levels")),
    }


def _level_changes(old: Any, new: Any) -> list[dict[str, Any]]:
    before = _levels_by_name(old)
    after = _levels_by_name(new)
    changes: list[dict[str, Any]] = []
    for name, level in before.items():
        if name not in after:
            changes.append({"name": name, "change": "removed", "old": level, "new": {}})
    for name, level in after.items():
        if name not in before:
            changes.append({"name": name, "change": "added", "old": {}, "new": level})
        elif before[name] != level:
            changes.append(
                {"name": name, "change": "changed", "old": before[name], "new": level}
            )
    return changes


def _levels_by_name(value: Any) -> dict[str, dict[str, Any]]:
    if not isinstance(value, list):
        return {}
    return {str(level.get("name")): level for level in value if isinstance(level, dict)}


def _mapping(value: Any, key: str) -> dict[str, Any]:
    found = value.get(key) if isinstance(value, dict) else None
    return found if isinstance(found, dict) else {}


def _text(value: Any, key: str) -> str:
    found = value.get(key) if isinstance(value, dict) else None
    return str(found).strip() if found is not None else ""
