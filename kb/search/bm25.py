"""BM25 over a candidate set: the IDF counts come from the candidates, not the whole index."""

from __future__ import annotations

import math
from typing import Mapping, Sequence

K1, B = 1.2, 0.75
# FTS5 floors a non-positive IDF (a word in more than half the documents) to this, as here.
_MIN_IDF = 1e-6


def bm25_scores(
    sizes: Mapping[int, int],
    hits: Sequence[Mapping[int, float]],
    documents: int,
) -> dict[int, float]:
    """Return the BM25 score (higher is better) of each document of `sizes`.

    `sizes` maps a document to its length; `hits` holds, per query term, the weighted count of
    the term in each document holding it; `documents` is how many documents the scope holds
    (the IDF's N), at least the number of candidates.
    """
    if not sizes:
        return {}
    average = sum(sizes.values()) / len(sizes) or 1.0
    total = max(documents, len(sizes))
    scores = dict.fromkeys(sizes, 0.0)
    for term_hits in hits:
        held = [doc for doc in term_hits if doc in scores]
        idf = math.log((total - len(held) + 0.5) / (len(held) + 0.5))
        idf = idf if idf > 0 else _MIN_IDF
        for doc in held:
            tf = term_hits[doc]
            norm = K1 * (1 - B + B * sizes[doc] / average)
            scores[doc] += idf * tf * (K1 + 1) / (tf + norm)
    return scores
