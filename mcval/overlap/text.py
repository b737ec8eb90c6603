"""Turn a competency statement into terms that survive rewording.

A term is the English Snowball stem of a word that is not a stop word, or
the concept that the word's stem belongs to in the concept table. Word
order is ignored, so reordered clauses keep all their terms.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

import snowballstemmer

from mcval.overlap.concepts import CONCEPT_GROUPS

# Function words, and words that every competency statement uses the same way.
STOP_WORDS = frozenset(
    """
    a about above across after again against all along also among an and any
    are as at be been before being below between both but by can could did do
    does doing during each either etc every few for from further had has have
    having he her here hers him his how i if in into is it its itself least
    less many may me might more most much must my no nor not of off on once
    one only or other others our out over own per same she should so some such
    than that the their them themselves then there these they this those
    through to too two three four five six seven eight nine ten twelve under
    until up upon us very via was we were what when where whether which while
    who whom whose why will with within without would you your yours
    able given including least new based
    """.split()
)

_WORD = re.compile(r"[a-z0-9]+")
# "e-mail" and "co-worker" are one word; other hyphens separate words.
_JOINED_PREFIX = re.compile(r"\b(e|co)-(?=[a-z])")
_STEMMER = snowballstemmer.stemmer("english")


def _concepts_by_stem() -> dict[str, str]:
    concepts: dict[str, str] = {}
    for group in CONCEPT_GROUPS:
        label = "~" + group[0]
        for word in group:
            stem = _STEMMER.stemWord(word)
            if concepts.get(stem, label) != label:
                raise ValueError(f"'{word}' shares its stem with another concept")
            concepts[stem] = label
    return concepts


_CONCEPTS = _concepts_by_stem()
_term_cache: dict[str, str] = {}


def words(text: str) -> list[str]:
    """Return the lower-case words of `text`, with e-mail written as email."""
    folded = unicodedata.normalize("NFKC", text).lower().replace("\u2019", "'")
    folded = _JOINED_PREFIX.sub(r"\1", folded.replace("'s", ""))
    return _WORD.findall(folded)


def term_of(word: str) -> str | None:
    """Return the term a lower-case word counts as, or None for a stop word."""
    cached = _term_cache.get(word)
    if cached is not None:
        return cached or None
    term = ""
    if word not in STOP_WORDS and not word.isdigit() and len(word) > 1:
        stem = _STEMMER.stemWord(word)
        term = _CONCEPTS.get(stem, stem)
    # The cache is bounded by the vocabulary of the repository.
    _term_cache[word] = term
    return term or None


def terms(text: str) -> list[str]:
    """Return the terms of `text` in order, repeats included."""
    return [term for term in map(term_of, words(text)) if term is not None]


def surface_words(text: str) -> Iterator[tuple[str, str]]:
    """Yield each term of `text` with the word that produced it."""
    for word in words(text):
        term = term_of(word)
        if term is not None:
            yield term, word
