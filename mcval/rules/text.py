"""Rules that read the proposal's text: placeholders and the college's terms."""

from __future__ import annotations

import re
import struct
from collections.abc import Iterator
from typing import Any

from mcval.document import NodePath
from mcval.rules.base import ProposalContext, Violation, rule

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Names of people and organisations ("Credit Programs Office") are not promises.
_DESCRIPTIVE_FIELDS = frozenset(
    {"title", "summary", "need", "competencies", "award_process", "expiration"}
)
_CREDIT_PROMISES = re.compile(
    r"\b(\d+(\.\d+)?\s+credits?|credit\s+hours?|academic\s+credit|college\s+credit"
    r"|tuition|registration\s+fee)\b|\$\s?\d[\d,.]*",
    re.IGNORECASE,
)


def _text_values(value: Any, path: NodePath = ()) -> Iterator[tuple[NodePath, str]]:
    """Yield every text value in the proposal with its node path."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _text_values(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _text_values(item, (*path, index))


def _placeholder_pattern(placeholders: tuple[str, ...]) -> re.Pattern[str]:
    parts = []
    for placeholder in placeholders:
        escaped = re.escape(placeholder).replace(r"\ ", r"\s+")
        # Words need word boundaries; marks such as ??? stand on their own.
        parts.append(rf"\b{escaped}\b" if placeholder[-1].isalnum() else escaped)
    return re.compile("|".join(parts), re.IGNORECASE)


@rule(
    "MC801",
    "placeholder",
    "No placeholder text such as TBD, TODO, N/A or lorem ipsum.",
    "A placeholder marks an unanswered question. A draft may keep some, but"
    " a submitted proposal answers every question.",
    "timeline: Applications close in week 12; awards go to WDCE by week 15.",
)
def check_placeholders(context: ProposalContext) -> Iterator[Violation]:
    pattern = _placeholder_pattern(context.config.placeholders)
    for path, text in _text_values(context.document.data):
        match = pattern.search(text)
        if match:
            yield Violation(
                path,
                f"'{match.group(0)}' is a placeholder; replace it with the real"
                " answer, because a submitted proposal may not contain placeholders",
            )


@rule(
    "MC951",
    "college-terms",
    "Noncredit, and no charge to students or employees.",
    "Micro-credentials are noncredit awards processed through WDCE, and the"
    " college charges students and employees nothing for them.",
    "terms:\n  credit: noncredit\n  cost_to_learners: none",
)
def check_terms(context: ProposalContext) -> Iterator[Violation]:
    if context.get("terms", "credit") == "credit":
        yield Violation(
            ("terms", "credit"),
            "micro-credentials are noncredit awards; set credit: noncredit",
        )
    if context.get("terms", "cost_to_learners") == "fee":
        yield Violation(
            ("terms", "cost_to_learners"),
            "the college charges students and employees nothing for a"
            " micro-credential; set cost_to_learners: none",
        )
    for path, text in _text_values(context.document.data):
        match = _CREDIT_PROMISES.search(text)
        if match and path[:1] and path[0] in _DESCRIPTIVE_FIELDS:
            yield Violation(
                path,
                f"'{match.group(0)}' suggests academic credit or a charge, but"
                " micro-credentials are noncredit and free; reword it",
            )


@rule(
    "MC961",
    "badge-image",
    "The badge image is a square PNG in the repository, large enough for Credly.",
    "WDCE uploads the image to Credly with the badge template. The college's"
    " policy is a square PNG of at least min_image_pixels (mcval.toml) a side.",
    "image: images/basic-workday-skills.png",
)
def check_image(context: ProposalContext) -> Iterator[Violation]:
    relative = context.get("image")
    if not isinstance(relative, str):
        return
    root = context.repository.root.resolve()
    path = (root / relative).resolve()
    if not path.is_relative_to(root):
        yield Violation(
            ("image",),
            f"{relative} is outside the repository; keep badge images under images/",
        )
        return
    if not path.is_file():
        yield Violation(
            ("image",),
            f"the image file {relative} does not exist; add it or fix the path",
        )
        return
    with path.open("rb") as stream:
        header = stream.read(24)
    if (
        len(header) < 24
        or not header.startswith(_PNG_SIGNATURE)
        or header[12:16] != b"IHDR"
    ):
        yield Violation(
            ("image",), f"{relative} is not a PNG file; export the badge as PNG"
        )
        return
    width, height = struct.unpack(">II", header[16:24])
    minimum = context.config.min_image_pixels
    if width != height or width < minimum:
        yield Violation(
            ("image",),
            f"{relative} is {width}x{height} pixels; the badge needs a square"
            f" image of at least {minimum}x{minimum}",
        )
