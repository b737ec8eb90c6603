"""Rules that compare a proposal with its git history: the lifecycle guard
against the base revision, and signatures that predate a change.

The lifecycle rules run only with `mcval validate --changed-since REF`, which
names the base revision. The signature rule runs whenever the repository is
a git work tree.
"""

from __future__ import annotations

from collections.abc import Iterator

from mcval.rules.base import STATUSES, ProposalContext, Violation, parse_date, rule

# The rules of this module; they need git history, so tests/test_git_review.py
# tests them on real repositories instead of with example patches.
HISTORY_CODES = frozenset({"MC705", "MC971", "MC972", "MC973"})


def status_step_allowed(before: str, after: str) -> bool:
    """Return whether a status may change from `before` to `after` in one change:
    staying, one step forward along the lifecycle, or back to draft."""
    if before == after or after == "draft":
        return True
    if before not in STATUSES or after not in STATUSES:
        return True
    return STATUSES.index(after) == STATUSES.index(before) + 1


@rule(
    "MC705",
    "signatures-current",
    "No signature predates a change to the proposal's substance.",
    "A signature approves the proposal as it was on the signature's date. When"
    " a later commit changes the substance of an approved or published"
    " proposal (its competencies with their assessments and rubrics, its"
    " expiration or its award process), each earlier signature is stale, and"
    " the signer reviews the change and signs again with a new date. Editorial"
    " changes, such as the title, summary, need or skills, keep the"
    " signatures. A signature dated the same day as the change, or added in"
    " the commit that made it, is current.",
    "# the rubric of lead-2 changed on 2026-05-04; the signer approves it again\n"
    "- role: vice-president\n  name: Catherine Ames\n"
    "  email: catherine.ames@college.example.edu\n  date: 2026-05-06",
    scaled=False,
)
def check_signatures_current(context: ProposalContext) -> Iterator[Violation]:
    change = context.history.substance_change
    if change is None:
        return
    before = _signed(change.previous)
    with_change = _signed(change.version or {}) - before
    fields = ", ".join(change.fields)
    for index, signature in context.items("signatures"):
        signed_on = parse_date(signature.get("date"))
        if signed_on is None or signed_on >= change.date:
            continue
        if (signature.get("role"), signature.get("date")) in with_change:
            # Added or re-dated in the commit that made the change, as when a
            # pull request is squashed: the signer saw the changed text.
            continue
        name = signature.get("name")
        yield Violation(
            ("signatures", index),
            f"the {signature.get('role')} signature of {name} ({signed_on}) is"
            f" stale: {change.describe()} ({change.date}) changed {fields} after"
            f" it; ask {name} to review the change and sign again with a new date",
        )


def _signed(version: dict[str, object]) -> set[tuple[object, object]]:
    """Return the (role, date) of each signature in a version of a proposal.

    Role and date, not the whole entry, so that editing a signer's e-mail
    address cannot make an old signature look new.
    """
    entries = version.get("signatures")
    if not isinstance(entries, list):
        return set()
    return {
        (entry.get("role"), entry.get("date"))
        for entry in entries
        if isinstance(entry, dict)
    }


@rule(
    "MC971",
    "status-lifecycle",
    "Status moves one step along the lifecycle, or back to draft.",
    "A proposal's status moves draft, submitted, approved, published, retired,"
    " one step per pull request, or back to draft to rework it. Skipping a"
    " step, such as draft to approved, or moving back, such as published to"
    " approved, skips a review. Checked against the base revision named by"
    " --changed-since.",
    "# at the base revision the proposal was submitted\nstatus: approved",
    scaled=False,
)
def check_status_lifecycle(context: ProposalContext) -> Iterator[Violation]:
    status = context.get("status")
    if context.history.added and status in {"approved", "published", "retired"}:
        yield Violation(
            ("status",),
            f"a new proposal cannot start as {status}: it starts as draft or"
            " submitted and is approved through review; set status: submitted",
        )
        return
    base_data = context.history.base_data
    if base_data is None:
        return
    before, after = base_data.get("status"), context.get("status")
    if not isinstance(before, str) or not isinstance(after, str):
        return
    if not status_step_allowed(before, after):
        yield Violation(
            ("status",),
            f"the status changes from {before} to {after}, but a proposal that"
            f" is {before} may only become {_next_statuses(before)}; change the"
            " status one step at a time",
        )


def _next_statuses(before: str) -> str:
    allowed = [status for status in STATUSES if status_step_allowed(before, status)]
    allowed.remove(before)
    return " or ".join(allowed)


@rule(
    "MC972",
    "published-id-fixed",
    "The id of a published proposal never changes.",
    "Learners' badges, Credly and other proposals refer to a published"
    " micro-credential by its id, so the id stays the same, also when the file"
    " is moved or renamed. To replace the micro-credential, retire it and"
    " propose a new one. Checked against the base revision named by"
    " --changed-since.",
    "# proposals/payroll-basics.yaml, published\nid: payroll-basics",
    scaled=False,
)
def check_published_id(context: ProposalContext) -> Iterator[Violation]:
    base_data = context.history.base_data
    if base_data is None or base_data.get("status") != "published":
        return
    before, after = base_data.get("id"), context.get("id")
    if before != after:
        moved = context.history.base_path != context.document.path
        where = f" (the file was {context.history.base_path})" if moved else ""
        yield Violation(
            ("id",),
            f"the id of this published proposal changes from '{before}' to"
            f" '{after}'{where}; keep the id '{before}', or retire the proposal"
            " and propose a new one",
        )


@rule(
    "MC973",
    "published-retired-before-removal",
    "A published proposal is retired before its file is removed.",
    "Removing the file of a published proposal would leave its badge template"
    " in Credly without a record of why it ended. Set status: retired first;"
    " the file may be removed in a later pull request. mcval reports this"
    " finding at the removed path, checked against the base revision named by"
    " --changed-since.",
    "status: retired",
    scaled=False,
)
def check_removed(context: ProposalContext) -> Iterator[Violation]:
    # A file that exists was not removed. `_removed_findings` in
    # mcval.validation reports removed files, which have no context.
    return iter(())


def removed_message(path: str, proposal_id: object) -> str:
    """Return the MC973 message for the removed published proposal at `path`."""
    return (
        f"{path} is removed, but proposal '{proposal_id}' is published at the"
        " base revision; restore the file and set status: retired, then remove"
        " it in a later change"
    )
