"""Hybrid ranking shared by every backend: BM25 hits and nearest-vector hits fused by reciprocal rank."""

from __future__ import annotations

from typing import Sequence

from kb.models import SearchHit
from kb.search.rrf import reciprocal_rank_fusion

# How many hits each ranking hands to the fusion.
DEPTH = 50
# BM25 leads: the dense ranking comes from a small static-embedding model, so its votes weigh
# 0.75 of BM25's; with k = 10 its best match still outscores BM25's fifth (0.75/11 > 1/15), so
# a question in other words than its entry keeps that entry in the top five. A low k keeps a
# list's first ranks decisive over entries both lists rank lower.
FUSION_K = 10
WEIGHTS = (1.0, 0.75)
# Below this cosine similarity an entry is unrelated to the question (it shares neither words
# nor topic), so the dense side does not offer it: a search never returns the whole scope.
MIN_SIMILARITY = 0.15


def related(dense: Sequence[SearchHit]) -> list[SearchHit]:
    """The dense hits (score: cosine similarity, best first) close enough to the question."""
    return [h for h in dense if h.score >= MIN_SIMILARITY]


def fuse_hits(lexical: Sequence[SearchHit], dense: Sequence[SearchHit], limit: int) -> list[SearchHit]:
    """Fuse the two rankings; each hit's score becomes its fused score, its snippet BM25's if it has one."""
    dense = related(dense)
    by_id = {h.entry.id: h for h in dense}
    by_id.update({h.entry.id: h for h in lexical})  # BM25 snippets mark the query words
    fused = reciprocal_rank_fusion(
        [[h.entry.id for h in lexical], [h.entry.id for h in dense]], k=FUSION_K, weights=WEIGHTS
    )
    out = []
    for entry_id, score in fused[: max(limit, 0)]:
        hit = by_id[entry_id]
        out.append(SearchHit(entry=hit.entry, path=hit.path, snippet=hit.snippet, score=score))
    return out
