"""TF-IDF vectors of statements and a thresholded similarity search over them.

Every statement (proposal competencies, library items, certification
domains) becomes a row of one sparse matrix, weighted by sublinear term
frequency and smoothed inverse document frequency and scaled to unit
length, so a dot product of two rows is their cosine similarity. Pairs are
found with sparse matrix products over blocks of rows, so the cost follows
the number of term-sharing pairs rather than the square of the row count.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt
from scipy import sparse

from mcval.overlap.text import terms

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]

# A term in more rows than this is common: pairs are not sought through it
# alone, because every two of its rows would be multiplied, but it still counts
# in the similarity of the pairs found.
# NOTE: a pair that shares only common terms is not found by this search, even
# when its cosine reaches the threshold. Only identical rows are paired apart.
COMMON_TERM_ROWS = 500
# Rows multiplied at once: large enough to keep the work in compiled code,
# small enough that one block's product stays a few hundred megabytes at most.
_BLOCK_ROWS = 2048


@dataclass(frozen=True)
class Pairs:
    """Row pairs with their cosine similarity, as three arrays of equal length."""

    left: IntArray
    right: IntArray
    similarity: FloatArray

    @staticmethod
    def empty() -> Pairs:
        return Pairs(
            np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32)
        )


class TermIndex:
    """The TF-IDF matrix of a list of statements, one row per statement."""

    def __init__(self, texts: list[str]) -> None:
        self.vocabulary: dict[str, int] = {}
        rows: list[int] = []
        columns: list[int] = []
        counts: list[float] = []
        for row, text in enumerate(texts):
            for term, count in Counter(terms(text)).items():
                column = self.vocabulary.setdefault(term, len(self.vocabulary))
                rows.append(row)
                columns.append(column)
                counts.append(count)
        shape = (len(texts), len(self.vocabulary))
        frequency = sparse.csr_matrix(
            (np.asarray(counts, np.float32), (rows, columns)), shape=shape
        )
        self.matrix = _normalized(_weighted(frequency))

    def shared_terms(self, first: int, second: int) -> list[tuple[str, float]]:
        """Return the terms two rows share, with each term's part of their cosine."""
        one, other = self.matrix[first], self.matrix[second]
        weights = dict(zip(one.indices.tolist(), one.data.tolist(), strict=True))
        terms_by_column = self._terms_by_column
        shared = [
            (terms_by_column[column], weights[column] * weight)
            for column, weight in zip(
                other.indices.tolist(), other.data.tolist(), strict=True
            )
            if column in weights
        ]
        return sorted(shared, key=lambda item: -item[1])

    @cached_property
    def _terms_by_column(self) -> list[str]:
        return sorted(self.vocabulary, key=self.vocabulary.__getitem__)


def _idf(document_frequency: npt.NDArray[np.int64], documents: int) -> FloatArray:
    smoothed = np.log((1.0 + documents) / (1.0 + document_frequency)) + 1.0
    result: FloatArray = smoothed.astype(np.float32)
    return result


def _weighted(frequency: sparse.csr_matrix) -> sparse.csr_matrix:
    weighted = frequency.copy()
    weighted.data = 1.0 + np.log(weighted.data)
    document_frequency = np.bincount(weighted.indices, minlength=weighted.shape[1])
    idf = _idf(document_frequency, weighted.shape[0])
    weighted.data *= idf[weighted.indices]
    return weighted


def _normalized(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    squared = matrix.multiply(matrix).sum(axis=1)
    norms = np.sqrt(np.asarray(squared, np.float32).ravel())
    norms[norms == 0] = 1.0
    scaled = sparse.csr_matrix(sparse.diags(1.0 / norms) @ matrix, dtype=np.float32)
    scaled.sort_indices()
    return scaled


def similar_pairs(
    matrix: sparse.csr_matrix,
    left: IntArray,
    right: IntArray,
    threshold: float,
) -> Pairs:
    """Return pairs of a `left` row and a `right` row at or above `threshold`.

    When `left` and `right` are the same rows, each unordered pair is
    returned once and no row is paired with itself.
    """
    same = left.shape == right.shape and bool(np.array_equal(left, right))
    rare, common = _split_common_terms(matrix)
    # Each row's weight in common terms bounds what those terms can add to a
    # cosine (Cauchy-Schwarz), so pairs are sought through rare terms only.
    residual = np.sqrt(np.asarray(common.multiply(common).sum(axis=1)).ravel())
    right_matrix = rare[right].T.tocsc()
    found: list[Pairs] = []
    for start in range(0, len(left), _BLOCK_ROWS):
        block = left[start : start + _BLOCK_ROWS]
        # Within one list of rows, only the columns from this block on can
        # hold pairs not yet found.
        first_column = start if same else 0
        product = sparse.csr_matrix(rare[block] @ right_matrix[:, first_column:])
        coordinates = product.tocoo()
        one = block[coordinates.row]
        other = right[coordinates.col.astype(np.int64) + first_column]
        keep = coordinates.data >= threshold - residual[one] * residual[other]
        if same:
            keep &= coordinates.col.astype(np.int64) + first_column > (
                coordinates.row.astype(np.int64) + start
            )
        one, other = one[keep], other[keep]
        similarity = coordinates.data[keep] + _row_products(common, one, other)
        exact = similarity >= threshold
        found.append(Pairs(one[exact], other[exact], similarity[exact]))
    if not found:
        return Pairs.empty()
    return Pairs(
        np.concatenate([pairs.left for pairs in found]),
        np.concatenate([pairs.right for pairs in found]),
        np.concatenate([pairs.similarity for pairs in found]).astype(np.float32),
    )


def identical_rows(matrix: sparse.csr_matrix, rows: IntArray) -> Pairs:
    """Return pairs of rows with exactly the same terms, similarity 1.

    The pair search skips the most common terms, so two statements made only
    of common words would otherwise never be compared. Identical ones are
    found here instead, by grouping rows on their terms.
    """
    groups: dict[bytes, list[int]] = {}
    for row in rows.tolist():
        start, end = matrix.indptr[row], matrix.indptr[row + 1]
        if end > start:
            key = matrix.indices[start:end].tobytes() + matrix.data[start:end].tobytes()
            groups.setdefault(key, []).append(row)
    left: list[int] = []
    right: list[int] = []
    for members in groups.values():
        for position, first in enumerate(members):
            for second in members[position + 1 :]:
                left.append(first)
                right.append(second)
    ones = np.ones(len(left), dtype=np.float32)
    return Pairs(np.array(left, dtype=np.int64), np.array(right, dtype=np.int64), ones)


def join_pairs(first: Pairs, second: Pairs) -> Pairs:
    """Return the pairs of both, each unordered pair once, at its higher similarity."""
    best: dict[tuple[int, int], float] = {}
    for pairs in (first, second):
        for a, b, value in zip(
            pairs.left.tolist(),
            pairs.right.tolist(),
            pairs.similarity.tolist(),
            strict=True,
        ):
            key = (min(a, b), max(a, b))
            best[key] = max(value, best.get(key, 0.0))
    if not best:
        return Pairs.empty()
    keys = list(best)
    return Pairs(
        np.array([a for a, _ in keys], dtype=np.int64),
        np.array([b for _, b in keys], dtype=np.int64),
        np.array([best[key] for key in keys], dtype=np.float32),
    )


def _split_common_terms(
    matrix: sparse.csr_matrix,
) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """Split the matrix into its rare-term and common-term columns."""
    document_frequency = np.bincount(matrix.indices, minlength=matrix.shape[1])
    is_common = document_frequency > COMMON_TERM_ROWS
    mask = sparse.diags(is_common.astype(np.float32))
    common = sparse.csr_matrix(matrix @ mask)
    common.eliminate_zeros()
    rare = sparse.csr_matrix(matrix - common)
    rare.eliminate_zeros()
    return rare, common


def _row_products(
    matrix: sparse.csr_matrix, one: IntArray, other: IntArray
) -> FloatArray:
    """Return the dot product of rows one[k] and other[k] for each k."""
    if len(one) == 0 or matrix.nnz == 0:
        return np.zeros(len(one), np.float32)
    products = matrix[one].multiply(matrix[other]).sum(axis=1)
    return np.asarray(products, np.float32).ravel()
