"""The substance of a proposal: the fields that its signatures approve.

Signers approve what a learner must show and how it is judged, so a change
to the competencies (with their statements, assessments and rubrics), the
expiration or the award process requires new signatures. Every other field,
such as the title, summary, need, stakeholders or skills, is editorial.
"""

from __future__ import annotations

from typing import Any

SUBSTANCE_FIELDS = ("competencies", "expiration", "award_process")


def substance(data: Any) -> dict[str, Any] | None:
    """Return the substance fields of proposal `data`, None if it is not a mapping."""
    if not isinstance(data, dict):
        return None
    return {name: data.get(name) for name in SUBSTANCE_FIELDS}


def changed_fields(old: Any, new: Any) -> list[str]:
    """Return the substance fields that differ, as node paths authors read,
    such as `competencies[lead-2].assessment.rubric` or `expiration.valid_for`."""
    old_substance, new_substance = substance(old), substance(new)
    if old_substance is None or new_substance is None:
        return list(SUBSTANCE_FIELDS)
    changed: list[str] = []
    for name in SUBSTANCE_FIELDS:
        before, after = old_substance[name], new_substance[name]
        if before == after:
            continue
        if name == "competencies":
            changed.extend(_changed_competencies(before, after))
        else:
            changed.extend(_changed_paths(name, before, after))
    return changed


def competencies_by_id(value: Any) -> dict[str, dict[str, Any]]:
    """Return a competencies list as a mapping from each competency's id (or
    its position, `#1` for the first, when it has none) to the competency."""
    if not isinstance(value, list):
        return {}
    result: dict[str, dict[str, Any]] = {}
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            continue
        item_id = item.get("id")
        key = item_id if isinstance(item_id, str) and item_id else f"#{index + 1}"
        result[key] = item
    return result


def _changed_competencies(before: Any, after: Any) -> list[str]:
    old, new = competencies_by_id(before), competencies_by_id(after)
    if not old and not new:
        return ["competencies"]
    changed = [f"competencies[{key}] (removed)" for key in old if key not in new]
    for key, competency in new.items():
        if key not in old:
            changed.append(f"competencies[{key}] (added)")
            continue
        for field in _changed_paths(f"competencies[{key}]", old[key], competency):
            if field == f"competencies[{key}].assessment":
                changed.extend(
                    _changed_paths(
                        field, old[key].get("assessment"), competency.get("assessment")
                    )
                )
            else:
                changed.append(field)
    if not changed and list(old) != list(new):
        changed.append("competencies (order)")
    return changed


def _changed_paths(name: str, before: Any, after: Any) -> list[str]:
    """Return `name.key` for each key whose value differs, or `name` itself
    when either side is not a mapping."""
    if before == after:
        return []
    if not isinstance(before, dict) or not isinstance(after, dict):
        return [name]
    keys = [*before, *(key for key in after if key not in before)]
    return [f"{name}.{key}" for key in keys if before.get(key) != after.get(key)]
