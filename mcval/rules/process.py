"""Rules on assessment, the award process and expiration."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise
from typing import Any

from mcval.rules.base import ProposalContext, Violation, parse_date, rule, words

AWARD_QUESTIONS = {
    "dissemination": "how information about the micro-credential reaches students",
    "application": "how students apply",
    "review": "how applications and assessments are reviewed",
    "sign_off": "who signs off",
    "storage": "where student applications are stored",
    "communication": "how results are communicated to students",
    "timeline": "the timeline for these steps",
}


@rule(
    "MC401",
    "assessment-rubric",
    "Each competency is assessed, with an ordered rubric and a passing level.",
    "Proposals say how each competency is assessed, with a rubric or another"
    " named form of evidence. Rubric levels go from lowest to highest with"
    " rising scores, and the passing level is one of them, above the lowest.",
    "assessment:\n  method: performance-task\n  rubric:\n    levels:\n"
    "      - {name: Beginning, score: 1, descriptor: ...}\n"
    "      - {name: Proficient, score: 2, descriptor: ...}\n"
    "      - {name: Exemplary, score: 3, descriptor: ...}\n"
    "    passing_level: Proficient",
)
def check_rubrics(context: ProposalContext) -> Iterator[Violation]:
    for index, _ in context.items("competencies"):
        rubric = context.get("competencies", index, "assessment", "rubric")
        if isinstance(rubric, dict):
            yield from _rubric_violations(
                ("competencies", index, "assessment", "rubric"), rubric
            )


def _rubric_violations(
    path: tuple[str | int, ...], rubric: dict[str, Any]
) -> Iterator[Violation]:
    levels = [level for level in rubric.get("levels") or [] if isinstance(level, dict)]
    names = [str(level.get("name", "")) for level in levels]
    scores = [level.get("score") for level in levels]
    if len(set(names)) != len(names):
        yield Violation(
            (*path, "levels"),
            "two rubric levels have the same name; name each level once",
            at_key=True,
        )
    numeric = [
        (index, score)
        for index, score in enumerate(scores)
        if isinstance(score, int | float)
    ]
    for (_, previous), (index, score) in pairwise(numeric):
        if score <= previous:
            yield Violation(
                (*path, "levels", index, "score"),
                "rubric levels must go from lowest to highest, each scoring more"
                f" than the one before, but {score} follows {previous}; reorder"
                " the levels or fix the scores",
            )
            break
    passing = rubric.get("passing_level")
    if not isinstance(passing, str) or not names:
        return
    if passing not in names:
        yield Violation(
            (*path, "passing_level"),
            f"passing level '{passing}' is not one of the rubric levels"
            f" ({', '.join(names)}); use one of those names",
        )
    elif passing == names[0]:
        yield Violation(
            (*path, "passing_level"),
            f"passing level '{passing}' is the lowest level, so every learner"
            " would pass; choose a higher level",
        )


@rule(
    "MC501",
    "award-process",
    "The award process answers all seven questions.",
    "Each unit decides how information reaches students, how they apply, how"
    " applications and assessments are reviewed, who signs off, where"
    " applications are stored, how results are communicated, and the timeline.",
    "award_process:\n  review: Two faculty members score each submission with the"
    " rubric and meet to settle differences.",
)
def check_award_process(context: ProposalContext) -> Iterator[Violation]:
    process = context.get("award_process")
    if not isinstance(process, dict):
        return
    minimum = context.config.min_answer_words
    for key, question in AWARD_QUESTIONS.items():
        answer = process.get(key)
        # The schema reports an empty value, so this rule checks only length.
        if isinstance(answer, str) and answer and len(words(answer)) < minimum:
            yield Violation(
                ("award_process", key),
                f"the answer to '{question}' is too short to act on; write at"
                f" least {minimum} words",
            )


@rule(
    "MC601",
    "expiration-rationale",
    "The expiration is justified, also when the badge does not expire.",
    "Each micro-credential must have a justifiable expiration: say how long"
    " an awarded badge stays valid and why, or why it never expires.",
    "expiration:\n  expires: true\n  valid_for: {amount: 3, unit: years}\n"
    "  rationale: Time-keeping systems and workplace policies change every few years.",
)
def check_expiration(context: ProposalContext) -> Iterator[Violation]:
    rationale = context.get("expiration", "rationale")
    if not isinstance(rationale, str) or not rationale:
        return
    minimum = context.config.min_rationale_words
    if len(words(rationale)) < minimum:
        yield Violation(
            ("expiration", "rationale"),
            f"the expiration rationale is too short to justify the choice; explain"
            f" why in at least {minimum} words",
        )


@rule(
    "MC602",
    "review-date",
    "An approved or published proposal is not past its review date.",
    "Approved micro-credentials are reviewed by a set date; once it has"
    " passed, the workgroup reviews the proposal and sets a new date.",
    "review_by: 2028-06-30",
)
def check_review_date(context: ProposalContext) -> Iterator[Violation]:
    if context.status not in {"approved", "published"}:
        return
    review_by = parse_date(context.get("review_by"))
    if review_by is not None and review_by < context.today:
        yield Violation(
            ("review_by",),
            f"the review date {review_by.isoformat()} has passed; review the"
            " proposal with the workgroup and set a new review_by date",
        )
