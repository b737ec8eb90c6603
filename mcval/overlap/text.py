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
# Hyphens, en and em dashes, minus signs, and the non-breaking hyphen of word
# processors.
_DASHES = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2212]")
# organise, organised, organising, organisation: -is- between a consonant or
# vowel and the ending. Applied to every word alike, so a word that is only
# ever spelt -ise (exercise, advise) changes everywhere and still matches.
_ISE = re.compile(r"^(.{3,})is(e|ed|es|ing|ation|ations)$")
_BRITISH = {
    "licence": "license",
    "centre": "center",
    "colour": "color",
    "behaviour": "behavior",
    "judgement": "judgment",
    "catalogue": "catalog",
    "programme": "program",
    "practise": "practice",
    "labour": "labor",
    "favour": "favor",
    "honour": "honor",
    "neighbour": "neighbor",
    "organisation": "organization",
}


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
    """Return the lower-case words of `text`, spelt one way.

    Accents are dropped (résumé, resume), every dash counts as a hyphen,
    e-mail and co-worker lose theirs, and British -ise and -our spellings
    become -ize and -or, so spelling variants of one word share a term.
    """
    folded = unicodedata.normalize("NFKD", text.lower())
    folded = "".join(char for char in folded if not unicodedata.combining(char))
    folded = _DASHES.sub("-", folded).replace("\u2019", "'")
    folded = _JOINED_PREFIX.sub(r"\1", folded.replace("'s", ""))
    return [_american(word) for word in _WORD.findall(folded)]


def _american(word: str) -> str:
    """Return a British spelling in its American form, where a rule covers it."""
    known = _BRITISH.get(word)
    if known is not None:
        return known
    return _ISE.sub(r"\1iz\2", word)


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
