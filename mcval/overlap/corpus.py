"""The statements overlap detection compares, collected from the repository's files."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from mcval.overlap.index import IntArray
from mcval.overlap.model import ProposalEntry, Statement

if TYPE_CHECKING:
    from mcval.document import Document


@dataclass
class Corpus:
    """Every statement of the repository, in the order of the matrix rows."""

    proposals: list[ProposalEntry]
    statements: list[Statement]
    library_titles: dict[str, str]
    certification_names: dict[str, str]

    def add(
        self,
        source: str,
        owner: str,
        key: object,
        text: str,
        path: str,
        index: int,
        library_item: str | None = None,
        label: str = "",
    ) -> Statement:
        """Append a statement as the next matrix row and return it."""
        statement = Statement(
            row=len(self.statements),
            source=source,
            owner=owner,
            key=key if isinstance(key, str) and key else f"#{index + 1}",
            text=" ".join(text.split()),
            path=path,
            index=index,
            library_item=library_item,
            label=label,
        )
        self.statements.append(statement)
        return statement

    def rows(self, source: str) -> IntArray:
        rows = [s.row for s in self.statements if s.source == source]
        return np.asarray(rows, dtype=np.int64)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def add_proposal(corpus: Corpus, document: Document) -> None:
    proposal_id = document.get(("id",))
    competencies = document.get(("competencies",), [])
    if not document.loaded or not isinstance(proposal_id, str):
        return
    review = document.get(("overlap_review", "acknowledged"), [])
    acknowledged = {
        entry["ref"]
        for entry in (review if isinstance(review, list) else [])
        if isinstance(entry, dict) and isinstance(entry.get("ref"), str)
    }
    entry = ProposalEntry(
        number=len(corpus.proposals),
        path=document.path,
        proposal_id=proposal_id,
        title=_text(document.get(("title",))) or proposal_id,
        status=_text(document.get(("status",))) or "draft",
        kind=_text(document.get(("kind",))),
        library_badge=_text(document.get(("library_badge",))) or None,
        acknowledged=frozenset(acknowledged),
    )
    for index, competency in enumerate(
        competencies if isinstance(competencies, list) else []
    ):
        if not isinstance(competency, dict):
            continue
        statement = _text(competency.get("statement"))
        if not statement:
            continue
        item = competency.get("library_item")
        entry.statements.append(
            corpus.add(
                "proposal",
                proposal_id,
                competency.get("id"),
                statement,
                document.path,
                index,
                library_item=item if isinstance(item, str) else None,
            )
        )
    targets = document.get(("stacks_into",), [])
    for index, target in enumerate(targets if isinstance(targets, list) else []):
        if (
            isinstance(target, dict)
            and target.get("type") == "micro-credential"
            and isinstance(target.get("proposal"), str)
        ):
            entry.stacks_into.append((index, target["proposal"]))
    corpus.proposals.append(entry)


def add_library(corpus: Corpus, document: Document) -> None:
    badge = document.get(("id",))
    items = document.get(("items",), [])
    if not document.loaded or not isinstance(badge, str) or not isinstance(items, list):
        return
    corpus.library_titles[badge] = _text(document.get(("title",))) or badge
    for index, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            continue
        dimension = _text(item.get("dimension"))
        # The dimension name is part of what the item requires.
        text = f"{dimension}. {_text(item.get('statement'))}".strip(". ")
        corpus.add(
            "library",
            badge,
            item["id"],
            text,
            document.path,
            index,
            library_item=f"{badge}.{item['id']}",
            label=dimension,
        )


def add_registry(corpus: Corpus, document: Document) -> None:
    certifications = document.get(("certifications",), [])
    for certification in certifications if isinstance(certifications, list) else []:
        if not isinstance(certification, dict):
            continue
        certification_id = certification.get("id")
        domains = certification.get("domains", [])
        if not isinstance(certification_id, str) or not isinstance(domains, list):
            continue
        name = _text(certification.get("name")) or certification_id
        corpus.certification_names[certification_id] = name
        for index, domain in enumerate(domains):
            if not isinstance(domain, dict):
                continue
            title = _text(domain.get("name"))
            text = f"{title}. {_text(domain.get('summary'))}".strip(". ")
            corpus.add(
                "certification",
                certification_id,
                title,
                text,
                document.path,
                index,
                label=title,
            )
