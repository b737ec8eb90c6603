"""Rules on the substance of a proposal: value, workgroup and competencies."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mcval.rules.base import ProposalContext, Violation, rule, words

EXTERNAL_ROLES = frozenset(
    {
        "employer",
        "industry-representative",
        "professional-association",
        "transfer-institution",
    }
)


@rule(
    "MC101",
    "alignment-evidence",
    "At least one external alignment, each with its evidence.",
    "Micro-credentials must show demonstrated value, relevance and alignment with"
    " external organisations such as employers, four-year institutions, industry"
    " or professional associations.",
    "alignments:\n  - organization: Riverside Regional Health\n    type: employer\n"
    "    evidence: Letter of support from the HR director, 2026-04-02.",
)
def check_alignments(context: ProposalContext) -> Iterator[Violation]:
    alignments = context.items("alignments")
    if not alignments:
        yield Violation(
            ("alignments",),
            "no external alignment is listed; add at least one employer, four-year"
            " institution, industry or professional association with its evidence",
            at_key=True,
        )
    minimum = context.config.min_answer_words
    for index, alignment in alignments:
        if len(words(alignment.get("evidence"))) < minimum:
            yield Violation(
                ("alignments", index, "evidence"),
                f"the evidence for '{alignment.get('organization', 'this alignment')}'"
                f" is too thin; name the letter, survey or minutes (at least"
                f" {minimum} words)",
            )


@rule(
    "MC201",
    "external-stakeholder",
    "The workgroup includes an external party.",
    "Micro-credentials are developed with external stakeholders: employers,"
    " four-year institutions, industry representatives or professional"
    " associations.",
    "stakeholders:\n  - name: Priya Raman\n"
    "    organization: Riverside Regional Health\n"
    "    role: employer",
)
def check_external_stakeholder(context: ProposalContext) -> Iterator[Violation]:
    roles = {member.get("role") for _, member in context.items("stakeholders")}
    if not roles & EXTERNAL_ROLES:
        yield Violation(
            ("stakeholders",),
            "the workgroup has no external member; add an employer, industry"
            " representative, professional association or transfer institution",
            at_key=True,
        )


@rule(
    "MC202",
    "college-stakeholders",
    "The workgroup includes WDCE and the credit side of the college.",
    "Workgroups include the college's Workforce Development and Continuing"
    " Education (WDCE) office and credit faculty, so both sides of the college"
    " support the badge.",
    "stakeholders:\n  - name: Morgan Lee\n    organization: Montgomery College WDCE\n"
    "    role: wdce",
)
def check_college_stakeholders(context: ProposalContext) -> Iterator[Violation]:
    roles = {member.get("role") for _, member in context.items("stakeholders")}
    needed = {
        "wdce": "a WDCE member (role: wdce)",
        "credit-faculty": "a credit faculty member (role: credit-faculty)",
    }
    for role, label in needed.items():
        if role not in roles:
            yield Violation(
                ("stakeholders",),
                f"the workgroup has no {role} member; add {label}",
                at_key=True,
            )


@rule(
    "MC203",
    "transfer-institution",
    "A transfer institution is in the workgroup when transfer applies.",
    "When learners are likely to carry the badge to a four-year institution,"
    " a transfer institution takes part in the workgroup.",
    "transfer_institutions_apply: true\nstakeholders:\n  - name: Sam Ortiz\n"
    "    organization: State University\n    role: transfer-institution",
)
def check_transfer_institution(context: ProposalContext) -> Iterator[Violation]:
    if context.get("transfer_institutions_apply") is not True:
        return
    roles = {member.get("role") for _, member in context.items("stakeholders")}
    if "transfer-institution" not in roles:
        yield Violation(
            ("transfer_institutions_apply",),
            "transfer_institutions_apply is true, but no stakeholder has role"
            " transfer-institution; add one, or set it to false",
        )


@rule(
    "MC301",
    "competency-count",
    "Enough competencies to warrant the credential.",
    "Proposals must show that enough competencies are demonstrated to warrant"
    " a micro-credential. The minimum is min_competencies in mcval.toml.",
    "competencies:\n  - id: bws-1\n    statement: ...\n  - id: bws-2\n  - id: bws-3",
)
def check_competency_count(context: ProposalContext) -> Iterator[Violation]:
    count = len(context.items("competencies"))
    minimum = context.config.min_competencies
    if count < minimum:
        yield Violation(
            ("competencies",),
            f"{count} competencies are listed, but at least {minimum} are needed"
            " to warrant a micro-credential; add more",
            at_key=True,
        )


@rule(
    "MC302",
    "unique-competencies",
    "Competency ids and statements are unique.",
    "Each competency is counted once: a repeated id or statement makes the"
    " list look longer than it is and breaks references to it.",
    "competencies:\n  - id: bws-1\n  - id: bws-2  # not bws-1 again",
)
def check_unique_competencies(context: ProposalContext) -> Iterator[Violation]:
    seen_ids: dict[str, int] = {}
    seen_statements: dict[str, int] = {}
    for index, competency in context.items("competencies"):
        competency_id = competency.get("id")
        if isinstance(competency_id, str):
            if competency_id in seen_ids:
                yield Violation(
                    ("competencies", index, "id"),
                    f"competency id '{competency_id}' is used twice (also by"
                    f" competency number {seen_ids[competency_id] + 1}); give each"
                    " its own id",
                )
            seen_ids.setdefault(competency_id, index)
        statement = _normalised(competency.get("statement"))
        if statement:
            if statement in seen_statements:
                yield Violation(
                    ("competencies", index, "statement"),
                    "this statement repeats that of competency number"
                    f" {seen_statements[statement] + 1}; merge them or reword one",
                )
            seen_statements.setdefault(statement, index)


def _normalised(text: object) -> str:
    if not isinstance(text, str):
        return ""
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


@rule(
    "MC303",
    "measurable-statement",
    "Competencies are measurable work-related statements.",
    "Competencies are written as work-related statements a rubric can measure."
    " Verbs such as understand, know or appreciate name a state of mind that"
    " cannot be observed; use a verb that names what the learner does.",
    "statement: Prepare a monthly budget in a spreadsheet  # not 'Understand budgets'",
)
def check_measurable_statement(context: ProposalContext) -> Iterator[Violation]:
    pattern = _vague_pattern(context.config.vague_verbs)
    for index, competency in context.items("competencies"):
        statement = competency.get("statement")
        if not isinstance(statement, str):
            continue
        match = pattern.search(statement)
        if match:
            yield Violation(
                ("competencies", index, "statement"),
                f"'{match.group(0)}' cannot be observed or measured; start with a"
                " verb for what the learner does, such as prepare, explain,"
                " calculate or lead",
            )
        elif len(statement.split()) < 3:
            yield Violation(
                ("competencies", index, "statement"),
                "the statement is too short to describe work; write a verb, what"
                " is done, and in what setting",
            )


def _vague_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(
        re.escape(phrase).replace(r"\ ", r"\s+") + r"s?" for phrase in phrases
    )
    return re.compile(rf"\b(?:{alternatives})\b", re.IGNORECASE)
