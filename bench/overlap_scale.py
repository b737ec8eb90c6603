"""Measure the time and memory of overlap detection as the repository grows.

Generates N proposals of eight competencies each. Every statement is an
action followed by nine words drawn from a Zipf-distributed vocabulary of
30,000 made-up words, so a few words are common and most are rare, as in
text. The shipped libraries and certification registry are added. One proposal
in fifty restates four competencies of another, so overlaps are found and
explained as well. Each size runs in its own process, which times the
analysis (index, similarity search) and the per-proposal results that the
rules read (credential overlaps, library and certification matches, gaps),
and reports the peak resident memory of that process. YAML loading is not
included; bench/validate_bench.py measures it.

Usage: python bench/overlap_scale.py [--sizes 1000 2500 5000 10000]
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import overlap_corpus as gen

from mcval.overlap.analysis import Thresholds, analyze
from mcval.overlap.corpus import Corpus, add_library, add_registry
from mcval.overlap.model import ProposalEntry
from mcval.repository import load_repository
from mcval.settings import Config, load_config

REPO_ROOT = Path(__file__).resolve().parents[1]
VOCABULARY = 30_000
WORDS_PER_STATEMENT = 9
COMPETENCIES = 8


def made_up_words(rng: random.Random) -> list[str]:
    letters = "bcdfghjklmnprstvwz"
    vowels = "aeiou"
    words = set()
    while len(words) < VOCABULARY:
        syllables = rng.randint(2, 4)
        words.add(
            "".join(rng.choice(letters) + rng.choice(vowels) for _ in range(syllables))
        )
    return sorted(words)


def build(size: int, seed: int = 1) -> Corpus:
    rng = random.Random(seed)
    words = made_up_words(rng)
    ranks = np.arange(1, VOCABULARY + 1, dtype=np.float64)
    weights = (1.0 / ranks**1.1) / np.sum(1.0 / ranks**1.1)
    sampler = np.random.default_rng(seed)
    corpus = Corpus([], [], {}, {})
    # Libraries and the registry as shipped, so those searches run too.
    shipped = load_repository(REPO_ROOT, load_config(REPO_ROOT))
    texts: list[list[str]] = []
    for number in range(size):
        if number % 50 == 49:
            source = texts[rng.randrange(len(texts))]
            own = [gen.paraphrase(text, rng)[0] for text in source[:4]]
        else:
            own = []
        while len(own) < COMPETENCIES:
            drawn = sampler.choice(VOCABULARY, WORDS_PER_STATEMENT, p=weights)
            own.append(
                rng.choice(gen.ACTIONS) + " " + " ".join(words[i] for i in drawn)
            )
        texts.append(own)
        _add(corpus, f"p{number}", own)
    for document in shipped.libraries:
        add_library(corpus, document)
    for document in shipped.registries:
        add_registry(corpus, document)
    return corpus


def _add(corpus: Corpus, name: str, texts: list[str]) -> None:
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
        entry.statements.append(
            corpus.add("proposal", name, f"c{index}", text, entry.path, index)
        )
    corpus.proposals.append(entry)


def measure(size: int) -> dict[str, float]:
    corpus = build(size)
    started = time.perf_counter()
    report = analyze(corpus, Thresholds.from_config(Config()))
    analysed = time.perf_counter() - started
    overlaps = 0
    for proposal in report.proposals:
        overlaps += len(report.credential_overlaps(proposal))
        report.library_matches(proposal)
        report.certification_matches(proposal)
        report.library_gap(proposal)
        report.stacking_gaps(proposal)
    total = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "proposals": size,
        "competencies": len(report.corpus.statements),
        "analysis_s": round(analysed, 2),
        "total_s": round(total, 2),
        "peak_mib": round(peak),
        "matched_pairs": int(len(report.proposal_pairs.left)),
        "proposal_overlaps": overlaps // 2,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[1000, 2500, 5000, 10000]
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.one:
        print(json.dumps(measure(arguments.one)))
        return
    machine = platform.processor() or platform.machine()
    print(f"{machine}, Python {platform.python_version()}")
    print(
        "| proposals | statements | analysis (s) | with per-proposal results (s)"
        " | peak memory (MiB) | matched competency pairs"
        " | overlapping proposal pairs |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    rows = []
    for size in arguments.sizes:
        output = subprocess.run(
            [sys.executable, __file__, "--one", str(size)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        row = json.loads(output)
        rows.append(row)
        print(
            f"| {row['proposals']} | {row['competencies']} | {row['analysis_s']} |"
            f" {row['total_s']} | {row['peak_mib']} | {row['matched_pairs']} |"
            f" {row['proposal_overlaps']} |"
        )
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        exponent = math.log(last["total_s"] / first["total_s"]) / math.log(
            last["proposals"] / first["proposals"]
        )
        sizes = f"{first['proposals']} to {last['proposals']}"
        print(f"growth exponent of total time, {sizes}: {exponent:.2f}")


if __name__ == "__main__":
    main()
