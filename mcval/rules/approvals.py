"""Rules on signatures: every required role, signed by the right people, in order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from itertools import pairwise

from mcval.rules.base import (
    ProposalContext,
    Violation,
    parse_date,
    rule,
)

SIGNATURE_ORDER = ("program", "area", "unit", "vice-president", "wdce-evaluation")
# A unit submits its proposal once program, area and unit have approved it; the
# vice president and the WDCE evaluation follow during the review.
REQUIRED_SIGNATURES = {
    "submitted": SIGNATURE_ORDER[:3],
    "approved": SIGNATURE_ORDER,
    "published": SIGNATURE_ORDER,
    "retired": SIGNATURE_ORDER,
}


def _proposal_units(context: ProposalContext) -> set[str]:
    units = {context.get("sponsor", "unit")}
    partners = context.get("sponsor", "partner_units", default=[])
    units.update(partners if isinstance(partners, list) else [])
    return {unit for unit in units if isinstance(unit, str)}


@rule(
    "MC701",
    "signatures-complete",
    "Each status carries the signatures it requires.",
    "A micro-credential is approved within the program, area and unit before"
    " it is submitted, then by the vice president or designee, and is then"
    " evaluated by WDCE. Approved and later proposals carry all five.",
    "signatures:\n  - role: vice-president\n    name: Alex Morgan\n"
    "    email: alex.morgan@college.example.edu\n    date: 2026-10-20",
)
def check_signatures_complete(context: ProposalContext) -> Iterator[Violation]:
    required = REQUIRED_SIGNATURES.get(context.status, ())
    signed = {signature.get("role") for _, signature in context.items("signatures")}
    earlier = "draft" if context.status == "submitted" else "submitted"
    for role in required:
        if role not in signed:
            yield Violation(
                ("signatures",),
                f"the {role} signature is missing, and a proposal that is"
                f" {context.status} needs it; add it or set status back to {earlier}",
                at_key=True,
            )


@rule(
    "MC702",
    "signer-authorized",
    "Each signer is in the approvers roster for that role and unit.",
    "Only people listed in approvers.yaml for a role and for the sponsoring"
    " unit (or a partner unit) may sign for it, with the same name and"
    " e-mail.",
    "# approvers.yaml\n- name: Dana Whitfield\n"
    "  email: dana.whitfield@college.example.edu\n"
    "  roles: [unit]\n  units: [workforce-development]",
)
def check_signers(context: ProposalContext) -> Iterator[Violation]:
    approvers = context.repository.approvers()
    units = _proposal_units(context)
    seen_roles: set[str] = set()
    for index, signature in context.items("signatures"):
        role, name = signature.get("role"), signature.get("name")
        email = str(signature.get("email", "")).strip().lower()
        if role in seen_roles:
            yield Violation(
                ("signatures", index, "role"),
                f"the {role} signature appears twice; keep one",
            )
        seen_roles.add(str(role))
        person = next((a for a in approvers if a.email == email), None)
        if person is None:
            yield Violation(
                ("signatures", index, "email"),
                f"the e-mail address of {name} is not in approvers.yaml; use the"
                " address listed there, or ask WDCE to add the approver",
            )
        elif person.name != name:
            yield Violation(
                ("signatures", index, "name"),
                f"the name '{name}' differs from the roster's '{person.name}' for"
                " this e-mail address; write it as in approvers.yaml",
            )
        elif isinstance(role, str) and not person.may_sign(role, units):
            yield Violation(
                ("signatures", index, "role"),
                f"{name} may not sign as {role} for unit {', '.join(sorted(units))}"
                " according to approvers.yaml; ask an approver who may",
            )


@rule(
    "MC703",
    "signature-date",
    "No signature is dated in the future.",
    "A signature records an approval that has happened, so its date is today or"
    " earlier.",
    "date: 2026-11-02",
)
def check_signature_dates(context: ProposalContext) -> Iterator[Violation]:
    for index, signature in context.items("signatures"):
        signed_on = parse_date(signature.get("date"))
        if signed_on is not None and signed_on > context.today:
            yield Violation(
                ("signatures", index, "date"),
                f"the {signature.get('role')} signature is dated"
                f" {signed_on.isoformat()}, which is in the future; use the date"
                " it was signed",
            )


@rule(
    "MC704",
    "signature-order",
    "Signatures follow the approval order.",
    "Approval runs program, area, unit, then the vice president or designee,"
    " then the WDCE evaluation; a later step is never dated before an earlier one.",
    "# the unit signed on 2026-10-01, so the vice president signs on or after it\n"
    "- role: vice-president\n  date: 2026-10-08",
)
def check_signature_order(context: ProposalContext) -> Iterator[Violation]:
    dates: dict[str, tuple[int, dt.date]] = {}
    for index, signature in context.items("signatures"):
        role = signature.get("role")
        signed_on = parse_date(signature.get("date"))
        if role in SIGNATURE_ORDER and signed_on is not None:
            dates.setdefault(str(role), (index, signed_on))
    present = [role for role in SIGNATURE_ORDER if role in dates]
    for earlier, later in pairwise(present):
        (_, earlier_date), (later_index, later_date) = dates[earlier], dates[later]
        if later_date < earlier_date:
            yield Violation(
                ("signatures", later_index, "date"),
                f"the {later} signature ({later_date}) is dated before the"
                f" {earlier} signature ({earlier_date}); the {later} signs after"
                f" the {earlier}",
            )
