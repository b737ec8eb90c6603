"""Find overlaps and gaps across every proposal, library badge and certification.

The analysis runs once for the whole repository. It indexes every statement
in one TF-IDF matrix, finds similar pairs with sparse matrix products, and
keeps the pairs as arrays. Python objects are made only for the proposals
and matches that someone reads.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from mcval.overlap.corpus import Corpus, add_library, add_proposal, add_registry
from mcval.overlap.index import (
    IntArray,
    Pairs,
    TermIndex,
    identical_rows,
    join_pairs,
    similar_pairs,
)
from mcval.overlap.model import (
    CredentialOverlap,
    LibraryGap,
    Match,
    ProposalEntry,
    StackingGap,
    Statement,
)
from mcval.overlap.text import surface_words
from mcval.settings import Config

if TYPE_CHECKING:
    from mcval.repository import Repository

# Shared terms shown for one match, besides synonyms, which are always shown.
_SHOWN_TERMS = 6


@dataclass(frozen=True)
class Thresholds:
    """The similarities and share at which statements and credentials overlap."""

    competency: float
    credential: float
    library: float
    certification: float
    max_matches: int

    @staticmethod
    def from_config(config: Config) -> Thresholds:
        return Thresholds(
            competency=config.overlap_competency_threshold,
            credential=config.overlap_credential_threshold,
            library=config.overlap_library_threshold,
            certification=config.overlap_certification_threshold,
            max_matches=config.overlap_max_matches,
        )


def analyze_repository(repository: Repository) -> OverlapReport:
    """Collect the repository's statements and find every overlap and gap."""
    corpus = Corpus([], [], {}, {})
    for document in repository.proposals:
        add_proposal(corpus, document)
    for document in repository.libraries:
        add_library(corpus, document)
    for document in repository.registries:
        add_registry(corpus, document)
    return analyze(corpus, Thresholds.from_config(repository.config))


def analyze(corpus: Corpus, thresholds: Thresholds) -> OverlapReport:
    """Index the corpus and find similar statement pairs of each kind."""
    index = TermIndex([statement.text for statement in corpus.statements])
    proposal_rows = corpus.rows("proposal")
    return OverlapReport(
        corpus=corpus,
        index=index,
        thresholds=thresholds,
        proposal_pairs=_between_proposals(corpus, index, proposal_rows, thresholds),
        library_pairs=similar_pairs(
            index.matrix, proposal_rows, corpus.rows("library"), thresholds.library
        ),
        certification_pairs=similar_pairs(
            index.matrix,
            proposal_rows,
            corpus.rows("certification"),
            thresholds.certification,
        ),
    )


def _between_proposals(
    corpus: Corpus, index: TermIndex, rows: IntArray, thresholds: Thresholds
) -> Pairs:
    """Return competency pairs of two different proposals that match.

    Competencies taken from the same library item are expected to match, so
    they are not an overlap. NOTE: so a unit badge made wholly of library
    items is not compared with an adoption of the same badge.
    """
    pairs = join_pairs(
        similar_pairs(index.matrix, rows, rows, thresholds.competency),
        identical_rows(index.matrix, rows),
    )
    owner = np.full(len(corpus.statements), -1, dtype=np.int64)
    item = np.full(len(corpus.statements), -1, dtype=np.int64)
    items: dict[str, int] = {}
    for proposal in corpus.proposals:
        for statement in proposal.statements:
            owner[statement.row] = proposal.number
            if statement.library_item is not None:
                item[statement.row] = items.setdefault(
                    statement.library_item, len(items)
                )
    different_owner = owner[pairs.left] != owner[pairs.right]
    shared_item = (item[pairs.left] == item[pairs.right]) & (item[pairs.left] >= 0)
    keep = different_owner & ~shared_item
    return Pairs(pairs.left[keep], pairs.right[keep], pairs.similarity[keep])


@dataclass
class OverlapReport:
    """Every overlap and gap of one repository, with lookups by proposal."""

    corpus: Corpus
    index: TermIndex
    thresholds: Thresholds
    proposal_pairs: Pairs
    library_pairs: Pairs
    certification_pairs: Pairs

    @property
    def proposals(self) -> list[ProposalEntry]:
        return self.corpus.proposals

    def proposal(self, proposal_id: str) -> ProposalEntry | None:
        return self._by_id.get(proposal_id)

    def proposal_at(self, path: str) -> ProposalEntry | None:
        return self._by_path.get(path)

    @cached_property
    def _by_path(self) -> dict[str, ProposalEntry]:
        return {proposal.path: proposal for proposal in self.corpus.proposals}

    @cached_property
    def _by_id(self) -> dict[str, ProposalEntry]:
        found: dict[str, ProposalEntry] = {}
        for proposal in self.corpus.proposals:
            found.setdefault(proposal.proposal_id, proposal)
        return found

    @cached_property
    def _owner(self) -> dict[int, ProposalEntry]:
        return {
            statement.row: proposal
            for proposal in self.corpus.proposals
            for statement in proposal.statements
        }

    def match(self, left: int, right: int, similarity: float) -> Match:
        """Return the match of two statement rows with its explanation."""
        statements = self.corpus.statements
        return Match(
            statements[left],
            statements[right],
            round(float(similarity), 2),
            self._explanation,
        )

    def _explanation(self, left: int, right: int) -> tuple[str, ...]:
        """Return the shared terms, most weighty first, as the words each side uses."""
        left_words = _first_words(self.corpus.statements[left].text)
        right_words = _first_words(self.corpus.statements[right].text)
        shown = []
        for rank, (term, _) in enumerate(self.index.shared_terms(left, right)):
            one, other = left_words.get(term, term), right_words.get(term, term)
            # Different words show only where the concept table joined them,
            # and such synonyms are always shown: they are the surprising part.
            synonyms = term.startswith("~") and one != other
            if synonyms:
                shown.append(f"{one} ≈ {other}")
            elif rank < _SHOWN_TERMS:
                shown.append(one)
        return tuple(shown)

    @cached_property
    def _matches_by_pair(self) -> dict[tuple[int, int], list[tuple[int, int, float]]]:
        """Group competency matches by the pair of proposals, left proposal first."""
        grouped: dict[tuple[int, int], list[tuple[int, int, float]]] = defaultdict(list)
        owner = self._owner
        for left, right, similarity in zip(
            self.proposal_pairs.left.tolist(),
            self.proposal_pairs.right.tolist(),
            self.proposal_pairs.similarity.tolist(),
            strict=True,
        ):
            one, other = owner[left].number, owner[right].number
            grouped[(one, other)].append((left, right, similarity))
            grouped[(other, one)].append((right, left, similarity))
        return grouped

    @cached_property
    def _others(self) -> dict[int, list[int]]:
        others: dict[int, list[int]] = defaultdict(list)
        for one, other in self._matches_by_pair:
            others[one].append(other)
        return others

    def credential_overlaps(self, proposal: ProposalEntry) -> list[CredentialOverlap]:
        """Return each proposal sharing a competency with `proposal`, most first."""
        # Two rules read the same list for each proposal.
        cached = self._overlap_cache.get(proposal.number)
        if cached is None:
            cached = self._overlap_cache[proposal.number] = self._overlaps_of(proposal)
        return cached

    @cached_property
    def _overlap_cache(self) -> dict[int, list[CredentialOverlap]]:
        return {}

    def _overlaps_of(self, proposal: ProposalEntry) -> list[CredentialOverlap]:
        # A part that stacks into a larger credential is meant to share its
        # competencies; what the part leaves out is the stacking gap instead.
        overlaps = [
            self._credential_overlap(proposal, self.proposals[other])
            for other in self._others.get(proposal.number, [])
            if not _stacked(proposal, self.proposals[other])
        ]
        return sorted(overlaps, key=lambda o: (-o.score, -o.covered, o.other.path))

    def _credential_overlap(
        self, proposal: ProposalEntry, other: ProposalEntry
    ) -> CredentialOverlap:
        found = self._matches_by_pair[(proposal.number, other.number)]
        found = sorted(found, key=lambda m: (-m[2], m[0], m[1]))
        return CredentialOverlap(
            proposal=proposal,
            other=other,
            matches=tuple(self.match(*entry) for entry in found),
            covered=len({left for left, _, _ in found}),
            other_covered=len({right for _, right, _ in found}),
        )

    def all_credential_overlaps(self) -> list[CredentialOverlap]:
        """Return every overlapping pair of proposals once, most overlap first."""
        overlaps = [
            self._credential_overlap(self.proposals[one], self.proposals[other])
            for one, other in self._matches_by_pair
            if one < other
        ]
        return sorted(overlaps, key=lambda o: (-o.score, o.proposal.path, o.other.path))

    def library_matches(self, proposal: ProposalEntry) -> list[Match]:
        return self._matches_of(proposal, self.library_pairs)

    def certification_matches(self, proposal: ProposalEntry) -> list[Match]:
        return self._matches_of(proposal, self.certification_pairs)

    def _matches_of(self, proposal: ProposalEntry, pairs: Pairs) -> list[Match]:
        rows = [statement.row for statement in proposal.statements]
        keep = np.isin(pairs.left, rows)
        found = zip(
            pairs.left[keep].tolist(),
            pairs.right[keep].tolist(),
            pairs.similarity[keep].tolist(),
            strict=True,
        )
        ordered = sorted(found, key=lambda m: (m[0], -m[2], m[1]))
        return [self.match(*entry) for entry in ordered]

    def library_gap(self, proposal: ProposalEntry) -> LibraryGap | None:
        """Return the dimensions of the adopted library badge that no competency has."""
        badge = proposal.library_badge
        if proposal.kind != "collegewide" or badge not in self.corpus.library_titles:
            return None
        present: set[str | None] = {s.library_item for s in proposal.statements}
        present |= {
            match.right.library_item
            for match in self.library_matches(proposal)
            if match.right.owner == badge
        }
        missing = tuple(
            statement
            for statement in self.corpus.statements
            if statement.source == "library"
            and statement.owner == badge
            and statement.library_item not in present
        )
        return LibraryGap(proposal, badge, missing) if missing else None

    def stacking_gaps(self, part: ProposalEntry) -> list[StackingGap]:
        """Return, for each micro-credential `part` stacks into, what none provide."""
        gaps = []
        for stack_index, target_id in part.stacks_into:
            target = self.proposal(target_id)
            if target is None or target is part:
                continue
            parts = self._parts_of(target_id)
            missing = self._unprovided(target, parts)
            if missing:
                names = tuple(p.proposal_id for p in parts)
                gaps.append(StackingGap(part, stack_index, target, names, missing))
        return gaps

    def _parts_of(self, target_id: str) -> list[ProposalEntry]:
        return [
            proposal
            for proposal in self.proposals
            if any(target == target_id for _, target in proposal.stacks_into)
        ]

    def _unprovided(
        self, target: ProposalEntry, parts: list[ProposalEntry]
    ) -> tuple[Statement, ...]:
        part_numbers = {part.number for part in parts}
        part_items = {
            s.library_item for part in parts for s in part.statements if s.library_item
        }
        provided = {
            left
            for other in part_numbers
            for left, _, _ in self._matches_by_pair.get((target.number, other), [])
        }
        return tuple(
            statement
            for statement in target.statements
            if statement.row not in provided
            and (
                statement.library_item is None
                or statement.library_item not in part_items
            )
        )


def _stacked(one: ProposalEntry, other: ProposalEntry) -> bool:
    """Return whether either proposal stacks into the other."""
    targets = {target for _, target in one.stacks_into}
    back = {target for _, target in other.stacks_into}
    return other.proposal_id in targets or one.proposal_id in back


def _first_words(text: str) -> dict[str, str]:
    """Return each term of `text` with the first word that produced it."""
    found: dict[str, str] = {}
    for term, word in surface_words(text):
        found.setdefault(term, word)
    return found
