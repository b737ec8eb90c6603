"""Rules on overlap with other credentials, libraries and certifications, and gaps.

All six read one analysis of the whole repository (`Repository.overlap`),
made on first use. Between two proposals, the one earlier in the lifecycle
(draft, submitted, approved, published) gets the finding of an overlap, so a new
draft never puts findings on a published badge. Retired proposals are left
out. An overlap with something the proposal names in
overlap_review.acknowledged is reported as info.
"""

from __future__ import annotations

from collections.abc import Iterator

from mcval.findings import Severity
from mcval.overlap import OverlapReport
from mcval.overlap.model import CredentialOverlap, Match, ProposalEntry
from mcval.rules.base import ProposalContext, Violation, rule

_ACKNOWLEDGED = "; acknowledged in overlap_review"


def _subject(context: ProposalContext) -> tuple[OverlapReport, ProposalEntry] | None:
    report = context.repository.overlap
    proposal = report.proposal_at(context.document.path)
    if proposal is None or proposal.status == "retired":
        return None
    return report, proposal


def _answers_for(proposal: ProposalEntry, other: ProposalEntry) -> bool:
    return other.status != "retired" and proposal.rank <= other.rank


def _ending(
    proposal: ProposalEntry, ref: str, fix: str, scored: bool = False
) -> tuple[str, Severity | None]:
    if ref in proposal.acknowledged:
        return _ACKNOWLEDGED, Severity.INFO
    if scored and proposal.status in _REVIEWED:
        # Scores move a little when other proposals are added, so a match that
        # appears after approval is a warning for the next review, not an
        # error that would keep an approved badge from being published.
        return f"; {fix}", Severity.WARNING
    return f"; {fix}", None


_REVIEWED = frozenset({"approved", "published"})


def _why(match: Match) -> str:
    terms = ", ".join(match.terms) or "none"
    return f"similarity {match.similarity:.2f}; shared terms: {terms}"


def _percent(share: float) -> str:
    return f"{share:.0%}"


@rule(
    "MC311",
    "competency-overlap",
    "No competency restates a competency of another proposal.",
    "A new micro-credential must not duplicate an existing credential. A"
    " competency whose statement matches one of another proposal (TF-IDF cosine"
    " similarity at least competency_threshold under [overlap] in mcval.toml) is"
    " reported with the shared terms, on the proposal earlier in the lifecycle."
    " Competencies taken from the same library item do not count.",
    "# reword to what this badge adds, or acknowledge the overlap:\n"
    "overlap_review:\n  acknowledged:\n    - ref: basic-workday-skills\n"
    "      justification: Both assess workplace e-mail; this badge adds ...",
)
def check_competency_overlap(context: ProposalContext) -> Iterator[Violation]:
    subject = _subject(context)
    if subject is None:
        return
    report, proposal = subject
    limit = report.thresholds.max_matches
    by_competency: dict[int, list[tuple[Match, ProposalEntry]]] = {}
    for overlap in report.credential_overlaps(proposal):
        if not _answers_for(proposal, overlap.other):
            continue
        for match in overlap.matches:
            by_competency.setdefault(match.left.index, []).append(
                (match, overlap.other)
            )
    for index, found in sorted(by_competency.items()):
        found.sort(key=lambda item: (-item[0].similarity, item[1].proposal_id))
        for match, other in found[:limit]:
            ending, severity = _ending(
                proposal,
                other.proposal_id,
                "reword it to what this badge adds, or acknowledge the overlap in"
                f" overlap_review.acknowledged with ref: {other.proposal_id}",
            )
            yield Violation(
                ("competencies", index, "statement"),
                f"competency '{match.left.key}' matches competency"
                f" '{match.right.key}' of proposal '{other.proposal_id}'"
                f" ({_why(match)}){ending}",
                severity=severity,
            )


@rule(
    "MC312",
    "credential-overlap",
    "The proposal does not repeat most of another proposal.",
    "The score is the share of one proposal's competencies that match a"
    " competency of the other, in each direction; the larger share counts, so"
    " a small badge inside a larger one is an overlap even when it covers"
    " little of the larger one. At credential_threshold under [overlap] in"
    " mcval.toml or more, the proposal earlier in the lifecycle is reported."
    " `mcval overlap ID` shows the matching competencies side by side.",
    "# keep what this badge adds and drop what the other one already awards,\n"
    "# or acknowledge the overlap:\noverlap_review:\n  acknowledged:\n"
    "    - ref: basic-workday-skills\n"
    "      justification: This badge is the first step; the other one ...",
)
def check_credential_overlap(context: ProposalContext) -> Iterator[Violation]:
    subject = _subject(context)
    if subject is None:
        return
    report, proposal = subject
    overlaps = [
        overlap
        for overlap in report.credential_overlaps(proposal)
        if _answers_for(proposal, overlap.other)
        and overlap.score >= report.thresholds.credential
    ]
    limit = report.thresholds.max_matches
    for number, overlap in enumerate(overlaps[:limit], start=1):
        more = len(overlaps) - limit if number == limit else 0
        yield _credential_violation(proposal, overlap, more)


def _credential_violation(
    proposal: ProposalEntry, overlap: CredentialOverlap, more: int
) -> Violation:
    other = overlap.other
    ending, severity = _ending(
        proposal,
        other.proposal_id,
        "drop or change the shared competencies, or acknowledge the overlap in"
        f" overlap_review.acknowledged with ref: {other.proposal_id}",
    )
    rest = (
        f" ({more} more proposals overlap too; run mcval overlap"
        f" {proposal.proposal_id})"
        if more
        else ""
    )
    return Violation(
        ("competencies",),
        f"{overlap.covered} of {len(proposal.statements)} competencies"
        f" ({_percent(overlap.coverage)}) match competencies of proposal"
        f" '{other.proposal_id}', and {overlap.other_covered} of its"
        f" {len(other.statements)} ({_percent(overlap.other_coverage)}) match"
        f" this one{rest}{ending}",
        at_key=True,
        severity=severity,
    )


@rule(
    "MC313",
    "restated-library-item",
    "A competency that restates a library item references it.",
    "When a competency says what a college-wide library item says, naming the"
    " item with library_item lets reviewers and Credly see the shared"
    " competency. A competency without library_item whose statement matches an"
    " item (similarity at least library_threshold under [overlap]) is reported."
    " For an approved or published proposal it is a warning, since scores move"
    " a little as other proposals are added.",
    "competencies:\n  - id: bws-2\n    library_item: communication.cm-1\n"
    "    adapted: true\n    statement: Write workplace e-mails ...",
)
def check_restated_library_item(context: ProposalContext) -> Iterator[Violation]:
    subject = _subject(context)
    if subject is None:
        return
    report, proposal = subject
    seen: set[int] = set()
    for match in report.library_matches(proposal):
        if match.left.library_item is not None or match.left.index in seen:
            continue
        # Only the best item is suggested for each competency.
        seen.add(match.left.index)
        item = match.right
        ending, severity = _ending(
            proposal,
            item.owner,
            f"reference it with library_item: {item.reference} (and adapted:"
            " true when reworded)",
            scored=True,
        )
        yield Violation(
            ("competencies", match.left.index, "statement"),
            f"competency '{match.left.key}' restates library item"
            f" {item.reference} ({item.label}) ({_why(match)}){ending}",
            severity=severity,
        )


@rule(
    "MC314",
    "certification-overlap",
    "No competency restates an industry certification's exam domain.",
    "A micro-credential must not duplicate an industry certification. Each"
    " exam domain in the certification registry (its name and summary) is"
    " compared with each competency; at certification_threshold under"
    " [overlap] or more the competency is reported. Assessing the competency"
    " with the certification itself, and acknowledging it, is one answer. For"
    " an approved or published proposal it is a warning, since scores move a"
    " little as other proposals are added.",
    "overlap_review:\n  acknowledged:\n    - ref: quickbooks-certified-user\n"
    "      justification: The certification is the assessment of one"
    " competency ...",
)
def check_certification_overlap(context: ProposalContext) -> Iterator[Violation]:
    subject = _subject(context)
    if subject is None:
        return
    report, proposal = subject
    shown: dict[int, int] = {}
    for match in report.certification_matches(proposal):
        count = shown.get(match.left.index, 0)
        if count >= report.thresholds.max_matches:
            continue
        shown[match.left.index] = count + 1
        domain = match.right
        ending, severity = _ending(
            proposal,
            domain.owner,
            "assess it with the certification, change it, or acknowledge the"
            f" overlap in overlap_review.acknowledged with ref: {domain.owner}",
            scored=True,
        )
        yield Violation(
            ("competencies", match.left.index, "statement"),
            f"competency '{match.left.key}' matches the exam domain"
            f" '{domain.key}' of certification '{domain.owner}'"
            f" ({_why(match)}){ending}",
            severity=severity,
        )


@rule(
    "MC315",
    "library-gap",
    "A collegewide adoption covers every dimension of its library badge.",
    "A collegewide badge means the same thing in every unit, so an adoption"
    " has a competency for each dimension of the library badge: one that names"
    " the item with library_item, or restates it (similarity at least"
    " library_threshold under [overlap]).",
    "competencies:\n  - id: hcc-6\n    library_item: communication.cm-6\n"
    "    adapted: true\n    statement: Select the channel for a message ...",
)
def check_library_gap(context: ProposalContext) -> Iterator[Violation]:
    subject = _subject(context)
    if subject is None:
        return
    report, proposal = subject
    gap = report.library_gap(proposal)
    if gap is None:
        return
    for item in gap.missing:
        ending, severity = _ending(
            proposal,
            gap.badge,
            f"add a competency with library_item: {item.reference}",
        )
        yield Violation(
            ("library_badge",),
            f"no competency references or restates dimension '{item.label}'"
            f" ({item.reference}) of library badge '{gap.badge}'{ending}",
            severity=severity,
        )


@rule(
    "MC316",
    "stacking-gap",
    "Micro-credentials that stack into another provide its competencies.",
    "When micro-credentials stack into another proposal, reviewers see which"
    " of the target's competencies none of the stacked parts provides"
    " (no matching competency and no shared library item). The gap is"
    " reported on each part, at its stacks_into entry.",
    "# add the missing competency to a stacked part, or acknowledge the gap:\n"
    "overlap_review:\n  acknowledged:\n"
    "    - ref: basic-budget-skills-it-entrepreneurs\n"
    "      justification: The target assesses pricing in its own capstone.",
)
def check_stacking_gap(context: ProposalContext) -> Iterator[Violation]:
    subject = _subject(context)
    if subject is None:
        return
    report, proposal = subject
    for gap in report.stacking_gaps(proposal):
        target = gap.target.proposal_id
        missing = ", ".join(f"'{s.key}' ({s.text})" for s in gap.missing)
        ending, severity = _ending(
            proposal,
            target,
            "add the missing competencies to a stacked part, or acknowledge the"
            f" gap in overlap_review.acknowledged with ref: {target}",
        )
        yield Violation(
            ("stacks_into", gap.stack_index, "proposal"),
            f"{len(gap.missing)} of {len(gap.target.statements)} competencies of"
            f" '{target}' are in none of the proposals that stack into it"
            f" ({', '.join(gap.parts)}): {missing}{ending}",
            severity=severity,
        )
