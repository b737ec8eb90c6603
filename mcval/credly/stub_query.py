"""Filtering, sorting and pagination of list requests in the Credly stand-in."""

import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import urlencode

from mcval.credly.stub_records import Record, StubError

PER_PAGE = 50

Matcher = Callable[[Record, str], bool]


def _contains(field: str) -> Matcher:
    return lambda record, value: value.lower() in str(record.get(field) or "").lower()


def _in_list(field: str, *, lower: bool = False) -> Matcher:
    def match(record: Record, value: str) -> bool:
        accepted = _split(value, lower)
        actual = str(record.get(field) or "")
        return (actual.lower() if lower else actual) in accepted

    return match


def _overlaps(field: str) -> Matcher:
    def match(record: Record, value: str) -> bool:
        accepted = _split(value, lower=True)
        return any(str(item).lower() in accepted for item in record.get(field) or [])

    return match


def _name(record: Record, value: str) -> bool:
    name = str(record.get("name") or "")
    if len(value) >= 2 and value.startswith('"') and value.endswith('"'):
        return name.lower() == value[1:-1].lower()
    return value.lower() in name.lower()


def _query(record: Record, value: str) -> bool:
    return _contains("name")(record, value) or _contains("description")(record, value)


def _public(record: Record, value: str) -> bool:
    return str(bool(record.get("public"))).lower() == value.strip().lower()


def _date_bound(field: str, minimum: bool) -> Matcher:
    def match(record: Record, value: str) -> bool:
        day = str(record.get(field) or "")[:10]
        return day >= value if minimum else day <= value

    return match


TEMPLATE_FILTERS: Mapping[str, Matcher] = {
    "name": _name,
    "query": _query,
    "state": _in_list("state"),
    "reporting_tags": _overlaps("reporting_tags"),
    "skills": _overlaps("skills"),
    "public": _public,
    "created_at_min": _date_bound("created_at", minimum=True),
    "created_at_max": _date_bound("created_at", minimum=False),
    "updated_at_min": _date_bound("updated_at", minimum=True),
    "updated_at_max": _date_bound("updated_at", minimum=False),
}
BADGE_FILTERS: Mapping[str, Matcher] = {
    "recipient_email": _in_list("recipient_email", lower=True),
    # Each stand-in earner has one address, so "all addresses" is the same filter.
    "recipient_email_all": _in_list("recipient_email", lower=True),
    "badge_template_id": _in_list("badge_template_id"),
    "issuer_earner_id": _in_list("issuer_earner_id"),
    "state": _in_list("state"),
    "public": _public,
}
TEMPLATE_SORTS = ("name", "created_at", "updated_at", "badges_count")
BADGE_SORTS = ("created_at", "updated_at", "issued_at", "recipient_email")


def parse_filter(text: str, known: Mapping[str, Matcher]) -> list[tuple[Matcher, str]]:
    """Split ``key::value|key::value`` into matchers and values.

    NOTE: an unknown key raises 400 here. How Credly treats unknown keys is not
    documented, and being strict catches misspelt keys in client code.
    """
    conditions = []
    for part in text.split("|"):
        if not part:
            continue
        key, separator, value = part.partition("::")
        if not separator:
            raise StubError(400, f"Invalid filter: {part} (expected key::value)")
        if key not in known:
            raise StubError(400, f"Invalid filter key: {key}")
        conditions.append((known[key], value))
    return conditions


def select(
    records: Iterable[Record], conditions: list[tuple[Matcher, str]]
) -> list[Record]:
    """Return the records that match every condition."""
    return [r for r in records if all(match(r, value) for match, value in conditions)]


def sort_records(records: list[Record], text: str, known: tuple[str, ...]) -> None:
    """Sort in place by ``key1|-key2``, where a leading ``-`` sorts descending."""
    keys = [key for key in text.split("|") if key]
    for key in reversed(keys):
        field = key.removeprefix("-")
        if field not in known:
            raise StubError(400, f"Invalid sort key: {field}")
        records.sort(key=_sort_key(field), reverse=key.startswith("-"))


def page_of(
    records: list[Record], query: Mapping[str, str], page_url: str
) -> dict[str, Any]:
    """Return the list envelope for the requested page, with absolute page links."""
    page = _page_number(query.get("page"))
    total_pages = math.ceil(len(records) / PER_PAGE)
    items = records[(page - 1) * PER_PAGE : page * PER_PAGE]
    has_next = page < total_pages
    has_previous = 1 < page <= total_pages + 1
    return {
        "data": items,
        "metadata": {
            "count": len(items),
            "current_page": page,
            "total_count": len(records),
            "total_pages": total_pages,
            "per": PER_PAGE,
            "previous_page_url": _link(page_url, query, page - 1, has_previous),
            "next_page_url": _link(page_url, query, page + 1, has_next),
        },
    }


def _sort_key(field: str) -> Callable[[Record], Any]:
    if field == "badges_count":
        return lambda record: int(record.get(field) or 0)
    return lambda record: str(record.get(field) or "").lower()


def _page_number(value: str | None) -> int:
    if value is None:
        return 1
    if not value.isdigit() or int(value) < 1:
        raise StubError(400, f"Invalid page: {value}")
    return int(value)


def _link(
    page_url: str, query: Mapping[str, str], page: int, exists: bool
) -> str | None:
    if not exists:
        return None
    return f"{page_url}?{urlencode({**query, 'page': str(page)})}"


def _split(value: str, lower: bool) -> set[str]:
    items = {item.strip() for item in value.split(",") if item.strip()}
    return {item.lower() for item in items} if lower else items
