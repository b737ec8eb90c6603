"""Measure the precision and recall of overlap detection on labelled proposals.

Builds proposals with planted overlaps and non-overlaps from
bench/overlap_corpus.py:

- one base proposal per work domain, six competencies each;
- per base, a paraphrase proposal: four of its competencies reworded with
  synonyms and with the purpose clause moved to the front, plus two decoys
  that keep a base competency's action and purpose but take an object from
  another domain (shared vocabulary, different competency);
- per base, a subset badge: three of its competencies, reworded again.

Two competencies overlap when they come from the same base competency. Two
proposals overlap when at least the credential threshold of one's
competencies overlap the other's, counted from those labels. The script
runs mcval's analysis on the generated statements (with the shipped
libraries and registry absent) and prints precision and recall at the
defaults in mcval.toml, recall on paraphrases that use words outside the
concept table, and a sweep of the competency threshold.

Usage: python bench/overlap_quality.py [--seed N]
"""

from __future__ import annotations

import argparse
import itertools
import random
from dataclasses import dataclass

import overlap_corpus as gen

from mcval.overlap.analysis import OverlapReport, Thresholds, analyze
from mcval.overlap.corpus import Corpus
from mcval.overlap.model import ProposalEntry
from mcval.settings import Config


@dataclass
class Planted:
    """Generated statements with the base competency each one restates."""

    corpus: Corpus
    origin: dict[int, int | None]
    held_out: dict[int, bool]


def _proposal(corpus: Corpus, name: str, texts: list[str]) -> list[int]:
    entry = ProposalEntry(
        number=len(corpus.proposals),
        path=f"proposals/{name}.yaml",
        proposal_id=name,
        title=name,
        status="draft",
        kind="unit",
        library_badge=None,
        acknowledged=frozenset(),
    )
    for index, text in enumerate(texts):
        statement = corpus.add("proposal", name, f"c{index}", text, entry.path, index)
        entry.statements.append(statement)
    corpus.proposals.append(entry)
    return [statement.row for statement in entry.statements]


def build(seed: int) -> Planted:
    rng = random.Random(seed)
    corpus = Corpus([], [], {}, {})
    origin: dict[int, int | None] = {}
    held_out: dict[int, bool] = {}
    bases = gen.base_statements()
    decoys = gen.decoy_objects()
    by_domain: dict[str, list[int]] = {}
    for number, (domain, *_) in enumerate(bases):
        by_domain.setdefault(domain, []).append(number)

    def texts_of(numbers: list[int]) -> list[str]:
        return [gen.statement(*bases[n][1:]) for n in numbers]

    for domain, numbers in by_domain.items():
        rows = _proposal(corpus, f"base-{domain}", texts_of(numbers))
        origin.update(zip(rows, numbers, strict=True))

        kept = rng.sample(numbers, 4)
        reworded = [gen.paraphrase(gen.statement(*bases[n][1:]), rng) for n in kept]
        others = [n for n in numbers if n not in kept]
        decoy_texts = []
        for n in others:
            # Another domain's object where one is left, else this domain's own.
            left = [d for d in decoys if d != domain and decoys[d]] or [domain]
            other_domain = rng.choice(left)
            thing = decoys[other_domain].pop()
            decoy_texts.append(gen.statement(bases[n][1], thing, bases[n][3]))
        texts = [text for text, _ in reworded] + decoy_texts
        rows = _proposal(corpus, f"paraphrase-{domain}", texts)
        origin.update(zip(rows, [*kept, None, None], strict=True))
        held_out.update(zip(rows, [flag for _, flag in reworded], strict=False))

        subset = rng.sample(numbers, 3)
        reworded = [gen.paraphrase(gen.statement(*bases[n][1:]), rng) for n in subset]
        rows = _proposal(corpus, f"subset-{domain}", [text for text, _ in reworded])
        origin.update(zip(rows, subset, strict=True))
        held_out.update(zip(rows, [flag for _, flag in reworded], strict=True))
    return Planted(corpus, origin, held_out)


def planted_competency_pairs(planted: Planted) -> set[tuple[int, int]]:
    pairs = set()
    for one, other in itertools.combinations(planted.corpus.proposals, 2):
        for a in one.statements:
            for b in other.statements:
                same = planted.origin[a.row] is not None
                if same and planted.origin[a.row] == planted.origin[b.row]:
                    pairs.add((a.row, b.row))
    return pairs


def found_competency_pairs(report: OverlapReport) -> set[tuple[int, int]]:
    pairs = report.proposal_pairs
    return {
        (min(a, b), max(a, b))
        for a, b in zip(pairs.left.tolist(), pairs.right.tolist(), strict=True)
    }


def planted_credential_pairs(planted: Planted, share: float) -> set[tuple[int, int]]:
    found = set()
    for one, other in itertools.combinations(planted.corpus.proposals, 2):
        shares = []
        for left, right in ((one, other), (other, one)):
            origins = {planted.origin[s.row] for s in right.statements} - {None}
            covered = sum(planted.origin[s.row] in origins for s in left.statements)
            shares.append(covered / len(left.statements))
        if max(shares) >= share:
            found.add((one.number, other.number))
    return found


def found_credential_pairs(report: OverlapReport) -> set[tuple[int, int]]:
    return {
        (overlap.proposal.number, overlap.other.number)
        for overlap in report.all_credential_overlaps()
        if overlap.score >= report.thresholds.credential
    }


def precision_recall(
    found: set[tuple[int, int]], planted: set[tuple[int, int]]
) -> tuple[float, float]:
    hits = len(found & planted)
    return hits / max(1, len(found)), hits / max(1, len(planted))


def thresholds(competency: float) -> Thresholds:
    defaults = Thresholds.from_config(Config())
    return Thresholds(
        competency=competency,
        credential=defaults.credential,
        library=defaults.library,
        certification=defaults.certification,
        max_matches=defaults.max_matches,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    arguments = parser.parse_args()
    planted = build(arguments.seed)
    defaults = Thresholds.from_config(Config())
    competency_truth = planted_competency_pairs(planted)
    credential_truth = planted_credential_pairs(planted, defaults.credential)
    corpus = planted.corpus
    print(
        f"{len(corpus.proposals)} proposals, {len(corpus.statements)} competencies,"
        f" {len(competency_truth)} planted competency overlaps,"
        f" {len(credential_truth)} planted credential overlaps"
    )

    report = analyze(corpus, defaults)
    found = found_competency_pairs(report)
    precision, recall = precision_recall(found, competency_truth)
    print(
        f"competency level at {defaults.competency}: precision {precision:.3f},"
        f" recall {recall:.3f}"
    )
    held = {p for p in competency_truth if planted.held_out.get(p[1], False)}
    _, held_recall = precision_recall(found & held, held)
    print(f"  recall on paraphrases with held-out words: {held_recall:.3f}")
    precision, recall = precision_recall(
        found_credential_pairs(report), credential_truth
    )
    print(
        f"credential level at {defaults.credential}: precision {precision:.3f},"
        f" recall {recall:.3f}"
    )

    print("competency threshold sweep (precision, recall):")
    for value in (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7):
        sweep = analyze(corpus, thresholds(value))
        p, r = precision_recall(found_competency_pairs(sweep), competency_truth)
        cp, cr = precision_recall(found_credential_pairs(sweep), credential_truth)
        print(
            f"  {value:.2f}: competency {p:.3f} {r:.3f}, credential {cp:.3f} {cr:.3f}"
        )


if __name__ == "__main__":
    main()
