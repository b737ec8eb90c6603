"""Rules that tie a proposal to the rest of the repository."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

from mcval.document import Document
from mcval.rules.base import ProposalContext, Violation, rule


@rule(
    "MC901",
    "id-matches-file",
    "The id matches the file name.",
    "The id is the stable key that links a proposal to its Credly badge"
    " template and its awards, so it is written once, in both places.",
    "# proposals/basic-workday-skills.yaml\nid: basic-workday-skills",
    scaled=False,
)
def check_id_matches_file(context: ProposalContext) -> Iterator[Violation]:
    proposal_id = context.get("id")
    stem = PurePosixPath(context.document.path).stem
    if isinstance(proposal_id, str) and proposal_id and proposal_id != stem:
        yield Violation(
            ("id",),
            f"the id '{proposal_id}' does not match the file name '{stem}';"
            f" rename the file to {proposal_id}.yaml or change the id",
        )


@rule(
    "MC902",
    "unique-id",
    "No two proposals share an id.",
    "Badge templates and awards are matched to proposals by id, so an id"
    " names exactly one proposal in the repository.",
    "id: basic-workday-skills-healthcare  # not an id another proposal uses",
    scaled=False,
)
def check_unique_id(context: ProposalContext) -> Iterator[Violation]:
    proposal_id = context.get("id")
    if not isinstance(proposal_id, str):
        return
    others = [
        document.path
        for document in context.repository.proposal_ids().get(proposal_id, [])
        if document is not context.document
    ]
    if others:
        yield Violation(
            ("id",),
            f"the id '{proposal_id}' is also used by {', '.join(others)}; choose"
            " an id no other proposal uses",
        )


@rule(
    "MC903",
    "library-reference",
    "Library badges and items that a proposal names exist.",
    "A collegewide adoption names its library badge, and competencies taken"
    " from a library name the item as <badge id>.<item id>.",
    "library_badge: leadership\ncompetencies:\n  - id: ld-1\n"
    "    library_item: leadership.ld-1",
    scaled=False,
)
def check_library_references(context: ProposalContext) -> Iterator[Violation]:
    library = context.repository.library_items()
    badge = context.get("library_badge")
    if (
        context.get("kind") == "collegewide"
        and isinstance(badge, str)
        and badge not in library
    ):
        yield Violation(
            ("library_badge",),
            f"no library badge '{badge}' exists in competency-libraries/;"
            f" choose one of: {', '.join(sorted(library)) or 'none defined'}",
        )
    for index, competency in context.items("competencies"):
        yield from _item_violations(context, index, competency, library)


def _item_violations(
    context: ProposalContext,
    index: int,
    competency: dict[str, object],
    library: dict[str, dict[str, object]],
) -> Iterator[Violation]:
    reference = competency.get("library_item")
    if not isinstance(reference, str):
        if competency.get("adapted") is True:
            yield Violation(
                ("competencies", index, "adapted"),
                "adapted is set, but no library_item says what was adapted; add"
                " library_item or remove adapted",
            )
        return
    badge, _, item = reference.partition(".")
    if badge not in library or item not in library[badge]:
        yield Violation(
            ("competencies", index, "library_item"),
            f"library item '{reference}' does not exist; check the badge and item"
            " ids in competency-libraries/",
        )
        return
    adopted = context.get("library_badge")
    if (
        context.get("kind") == "collegewide"
        and isinstance(adopted, str)
        and badge != adopted
    ):
        yield Violation(
            ("competencies", index, "library_item"),
            f"library item '{reference}' belongs to '{badge}', but this proposal"
            f" adopts '{adopted}'; use an item of '{adopted}'",
        )


@rule(
    "MC904",
    "stacking-reference",
    "Stacking targets exist and never stack in a circle.",
    "A micro-credential that stacks into another names that proposal by id;"
    " a chain that leads back to itself would make neither one complete.",
    "stacks_into:\n  - type: micro-credential\n"
    "    proposal: basic-budget-skills-it-entrepreneurs",
    scaled=False,
)
def check_stacking(context: ProposalContext) -> Iterator[Violation]:
    proposals = context.repository.proposal_ids()
    own_id = context.get("id")
    for index, target in context.items("stacks_into"):
        reference = target.get("proposal")
        if not isinstance(reference, str):
            continue
        if reference not in proposals:
            yield Violation(
                ("stacks_into", index, "proposal"),
                f"no proposal has the id '{reference}'; check the spelling",
            )
        elif isinstance(own_id, str) and _reaches(proposals, reference, own_id):
            yield Violation(
                ("stacks_into", index, "proposal"),
                f"stacking into '{reference}' makes a circle that leads back to"
                f" '{own_id}'; remove one of the links",
            )


def _reaches(proposals: dict[str, list[Document]], start: str, goal: str) -> bool:
    """Return whether following stacks_into links from `start` reaches `goal`."""
    stack, seen = [start], set()
    while stack:
        current = stack.pop()
        if current == goal:
            return True
        if current in seen or current not in proposals:
            continue
        seen.add(current)
        stack.extend(_stacking_targets(proposals[current]))
    return False


def _stacking_targets(documents: list[Document]) -> list[str]:
    targets: list[str] = []
    for document in documents:
        entries = document.get(("stacks_into",), [])
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, dict) and isinstance(entry.get("proposal"), str):
                targets.append(entry["proposal"])
    return targets


@rule(
    "MC905",
    "overlap-reference",
    "Acknowledged overlaps name something that exists.",
    "An acknowledged overlap names another proposal, a library badge or an"
    " industry certification in the registry, so reviewers can compare them.",
    "overlap_review:\n  acknowledged:\n    - ref: quickbooks-certified-user\n"
    "      justification: ...",
    scaled=False,
)
def check_overlap_references(context: ProposalContext) -> Iterator[Violation]:
    repository = context.repository
    known = (
        set(repository.proposal_ids())
        | set(repository.library_items())
        | repository.certification_ids()
    )
    for index, entry in context.items("overlap_review", "acknowledged"):
        reference = entry.get("ref")
        if isinstance(reference, str) and reference not in known:
            yield Violation(
                ("overlap_review", "acknowledged", index, "ref"),
                f"'{reference}' is not a proposal id, library badge or certification"
                " id in this repository; check the spelling",
            )


@rule(
    "MC906",
    "known-unit",
    "The sponsoring and partner units are in the roster.",
    "Units decide who may sign and who reviews, so each unit a proposal names"
    " is listed in approvers.yaml.",
    "sponsor:\n  unit: workforce-development  # an id from approvers.yaml",
    scaled=False,
)
def check_units(context: ProposalContext) -> Iterator[Violation]:
    units = context.repository.unit_ids()
    named: list[tuple[tuple[str | int, ...], object]] = [
        (("sponsor", "unit"), context.get("sponsor", "unit"))
    ]
    partners = context.get("sponsor", "partner_units", default=[])
    for index, unit in enumerate(partners if isinstance(partners, list) else []):
        named.append((("sponsor", "partner_units", index), unit))
    for path, unit in named:
        if isinstance(unit, str) and unit not in units:
            yield Violation(
                path,
                f"unit '{unit}' is not in approvers.yaml; use one of:"
                f" {', '.join(sorted(units)) or 'none defined'}",
            )
