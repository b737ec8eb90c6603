"""The Credly stand-in's data: badge templates and issued badges, behind one lock.

Every public method takes the lock, so the threaded server can call them from
any request thread. With a state file, each change is written atomically
before the method returns, and the file is read back at start.
"""

import json
import os
import tempfile
import threading
from collections import Counter
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mcval.credly import stub_query, stub_records
from mcval.credly.stub_records import Record, StubError

SAVE_DELAY_SECONDS = 0.25
STATE_VERSION = 1


class StubState:
    """Badge templates and issued badges of the one stand-in organization."""

    def __init__(self, state_file: Path | None = None) -> None:
        self._lock = threading.RLock()
        self._state_file = state_file
        self._templates: dict[str, Record] = {}
        self._badges: dict[str, Record] = {}
        self._by_template: dict[str, list[str]] = {}
        self.base_url = "http://127.0.0.1"
        self._flush_timer: threading.Timer | None = None
        if state_file is not None and state_file.exists():
            self._load(state_file)

    def list_templates(self, query: Mapping[str, str], page_url: str) -> Record:
        with self._lock:
            counts = self._badge_counts()
            records = [
                {**template, "badges_count": counts[template["id"]]}
                for template in self._templates.values()
            ]
        return _page(
            records,
            query,
            page_url,
            stub_query.TEMPLATE_FILTERS,
            stub_query.TEMPLATE_SORTS,
        )

    def get_template(self, template_id: str) -> Record:
        with self._lock:
            return self._render_template(self._template(template_id))

    def create_template(self, payload: Mapping[str, Any]) -> Record:
        with self._lock:
            record = stub_records.new_template(payload, _now(), self.base_url)
            self._templates[record["id"]] = record
            self._save()
            return self._render_template(record)

    def update_template(self, template_id: str, payload: Mapping[str, Any]) -> Record:
        with self._lock:
            current = self._template(template_id)
            record = stub_records.update_template(current, payload, _now())
            self._templates[template_id] = record
            self._save()
            return self._render_template(record)

    def set_template_state(self, template_id: str, state: str) -> Record:
        """Archive or unarchive a template; repeating the change is harmless."""
        with self._lock:
            current = self._template(template_id)
            record = stub_records.set_template_state(current, state, _now())
            self._templates[template_id] = record
            self._save()
            return self._render_template(record)

    def delete_template(self, template_id: str) -> None:
        """Delete a template that has no issued badges.

        NOTE: Credly's response for a template with issued badges is not
        documented, so the stand-in's 422 is a guess.
        """
        with self._lock:
            self._template(template_id)
            if self._badge_count(template_id, include_revoked=True):
                message = "Badge template has issued badges and cannot be deleted"
                raise StubError(422, message)
            del self._templates[template_id]
            self._save()

    def list_badges(self, query: Mapping[str, str], page_url: str) -> Record:
        # Filters and sorts read stored fields, so only the page is rendered:
        # rendering every badge on each request made long lists quadratic.
        with self._lock:
            page = _page(
                self._candidate_badges(query.get("filter", "")),
                query,
                page_url,
                stub_query.BADGE_FILTERS,
                stub_query.BADGE_SORTS,
            )
            counts = self._badge_counts()
            page["data"] = [self._render_badge(b, counts) for b in page["data"]]
        return page

    def get_badge(self, badge_id: str) -> Record:
        with self._lock:
            return self._render_badge(self._badge(badge_id))

    def issue_badge(self, payload: Mapping[str, Any]) -> Record:
        """Issue a badge after the field, template and duplicate checks."""
        with self._lock:
            template = self._issuable_template(payload.get("badge_template_id"))
            stub_records.check_badge_fields(payload)
            self._reject_duplicate(template, payload)
            record = stub_records.new_badge(payload, template, _now(), self.base_url)
            self._add_badge(record)
            self._save()
            return self._render_badge(record)

    def revoke_badge(self, badge_id: str, reason: object) -> Record:
        with self._lock:
            current = self._badge(badge_id)
            if current.get("replacement_badge_id"):
                raise StubError(422, "A replaced badge cannot be revoked")
            record = stub_records.revoke(current, reason, _now())
            self._badges[badge_id] = record
            self._save()
            return self._render_badge(record)

    def replace_badge(self, badge_id: str, payload: Mapping[str, Any]) -> Record:
        """Issue a new badge to the same earner that replaces ``badge_id``."""
        with self._lock:
            old = self._badge(badge_id)
            _check_replaceable(old)
            request = {**_replacement_defaults(old), **payload}
            request["recipient_email"] = old["recipient_email"]
            template = self._issuable_template(request.get("badge_template_id"))
            stub_records.check_badge_fields(request)
            self._reject_duplicate(template, request, ignore_id=badge_id)
            record = stub_records.new_badge(request, template, _now(), self.base_url)
            record["replaces_badge_id"] = badge_id
            self._add_badge(record)
            self._badges[badge_id] = {**old, "replacement_badge_id": record["id"]}
            self._save()
            return self._render_badge(record)

    def delete_badge(self, badge_id: str) -> None:
        with self._lock:
            self._badge(badge_id)
            del self._badges[badge_id]
            self._save()

    def snapshot(self) -> Record:
        """Return every record, for the admin endpoint and the state file."""
        with self._lock:
            return {
                "version": STATE_VERSION,
                "badge_templates": [dict(t) for t in self._templates.values()],
                "badges": [dict(b) for b in self._badges.values()],
            }

    def reset(self) -> None:
        with self._lock:
            self._templates.clear()
            self._badges.clear()
            self._by_template.clear()
            self._save()

    def _template(self, template_id: str) -> Record:
        template = self._templates.get(template_id)
        if template is None:
            raise StubError(404, f"Badge template not found: {template_id}")
        return template

    def _badge(self, badge_id: str) -> Record:
        badge = self._badges.get(badge_id)
        if badge is None:
            raise StubError(404, f"Badge not found: {badge_id}")
        return badge

    def _issuable_template(self, template_id: object) -> Record:
        template = self._templates.get(str(template_id or ""))
        if template is None:
            given_id = "" if template_id is None else str(template_id)
            raise StubError(422, f"Invalid or missing Badge Template ID: {given_id}")
        if template["state"] != "active":
            state = template["state"]
            raise StubError(422, f"Badge template is {state} and cannot issue badges")
        return template

    def _reject_duplicate(
        self,
        template: Record,
        payload: Mapping[str, Any],
        ignore_id: str | None = None,
    ) -> None:
        if template.get("allow_duplicate_badges"):
            return
        email = str(payload["recipient_email"]).lower()
        earner_id = payload.get("issuer_earner_id")
        for badge in self._badges_of(template["id"]):
            if badge["id"] == ignore_id or not _holds(badge, template["id"]):
                continue
            same_email = badge["recipient_email"].lower() == email
            same_earner = bool(earner_id) and badge.get("issuer_earner_id") == earner_id
            if same_email or same_earner:
                raise StubError(422, "User already has this badge")

    def _badge_count(self, template_id: str, include_revoked: bool = False) -> int:
        return sum(
            1
            for badge in self._badges.values()
            if badge["badge_template_id"] == template_id
            and (include_revoked or badge["state"] != "revoked")
        )

    def _badge_counts(self) -> Counter[str]:
        """Count the badges that are not revoked, per template, in one pass."""
        return Counter(
            badge["badge_template_id"]
            for badge in self._badges.values()
            if badge["state"] != "revoked"
        )

    def _render_template(self, record: Record) -> Record:
        return {**record, "badges_count": self._badge_count(record["id"])}

    def _render_badge(
        self, record: Record, counts: Counter[str] | None = None
    ) -> Record:
        template = self._templates.get(record["badge_template_id"])
        if template is None:
            return {**record, "badge_template": None}
        if counts is None:
            rendered = self._render_template(template)
        else:
            rendered = {**template, "badges_count": counts[template["id"]]}
        return {**record, "badge_template": rendered}

    def _candidate_badges(self, filter_text: str) -> list[Record]:
        """Return the badges a filter can match, using the template index when it can.

        Awards read the badges of one template at a time, so this keeps each
        list request from scanning every badge of the organization.
        """
        for part in filter_text.split("|"):
            key, _, value = part.partition("::")
            if key == "badge_template_id" and value and "," not in value:
                return self._badges_of(value)
        return list(self._badges.values())

    def _add_badge(self, record: Record) -> None:
        self._badges[record["id"]] = record
        self._by_template.setdefault(record["badge_template_id"], []).append(
            record["id"]
        )

    def _badges_of(self, template_id: str) -> list[Record]:
        """Return the badges of one template, from an index kept per template.

        The duplicate check reads only these, so issuing stays fast as the
        number of badges grows.
        """
        ids = self._by_template.get(template_id, [])
        return [self._badges[badge_id] for badge_id in ids if badge_id in self._badges]

    def _rebuild_index(self) -> None:
        self._by_template = {}
        for badge in self._badges.values():
            self._by_template.setdefault(badge["badge_template_id"], []).append(
                badge["id"]
            )

    def _load(self, path: Path) -> None:
        try:
            content = json.loads(path.read_text(encoding="utf-8"))
            templates = content["badge_templates"]
            badges = content["badges"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ValueError(
                f"cannot read the stand-in state file {path}: {exc}"
            ) from exc
        self._templates = {t["id"]: t for t in templates}
        self._badges = {b["id"]: b for b in badges}
        self._rebuild_index()

    def _save(self) -> None:
        """Schedule a write of the state file shortly after this change.

        Writing the whole file on every change made long runs quadratic, so
        changes within SAVE_DELAY_SECONDS share one write. NOTE: a stand-in
        killed with SIGKILL loses at most that much of its latest changes.
        """
        if self._state_file is None or self._flush_timer is not None:
            return
        self._flush_timer = threading.Timer(SAVE_DELAY_SECONDS, self.flush)
        self._flush_timer.daemon = True
        self._flush_timer.start()

    def flush(self) -> None:
        """Write the state file now if a change is waiting to be written."""
        with self._lock:
            timer, self._flush_timer = self._flush_timer, None
            if timer is not None:
                timer.cancel()
            if self._state_file is not None:
                _write_atomically(
                    self._state_file, json.dumps(self.snapshot(), indent=2)
                )


def _page(
    records: list[Record],
    query: Mapping[str, str],
    page_url: str,
    filters: Mapping[str, stub_query.Matcher],
    sorts: tuple[str, ...],
) -> Record:
    conditions = stub_query.parse_filter(query.get("filter", ""), filters)
    selected = stub_query.select(records, conditions)
    stub_query.sort_records(selected, query.get("sort", ""), sorts)
    return stub_query.page_of(selected, query, page_url)


def _holds(badge: Record, template_id: str) -> bool:
    """Return whether the badge blocks issuing this template to its earner again."""
    return (
        badge["badge_template_id"] == template_id
        and badge["state"] != "revoked"
        and not badge.get("replacement_badge_id")
    )


def _check_replaceable(badge: Record) -> None:
    if badge["state"] == "revoked":
        raise StubError(422, "A revoked badge cannot be replaced")
    if badge.get("replacement_badge_id"):
        raise StubError(422, "Badge has already been replaced")


def _replacement_defaults(badge: Record) -> Record:
    fields = ("issued_to_first_name", "issued_to_last_name", "issuer_earner_id")
    return {field: badge.get(field) for field in fields}


def _write_atomically(path: Path, text: str) -> None:
    # Write a temporary file in the same directory, then rename it over the old
    # file, so a crash leaves either the old or the new state, never a mix.
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _now() -> datetime:
    return datetime.now(UTC)
