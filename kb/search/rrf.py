"""Reciprocal rank fusion: merge ranked lists by summing weight / (k + rank) per list a key appears in."""

from __future__ import annotations

from typing import Hashable, Sequence, TypeVar

K = 60
Key = TypeVar("Key", bound=Hashable)


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[Key]], k: int = K, weights: Sequence[float] | None = None
) -> list[tuple[Key, float]]:
    """Return (key, score) best first; ties keep the order of first appearance across the lists.

    Each ranking lists keys best first; a key repeated within one list counts once, at its
    best rank. `k` dampens the lead of the very first ranks (60 in the original method; lower
    keeps each list's top more decisive); `weights` (default 1 each) scale each list's votes.
    """
    weights = list(weights) if weights is not None else [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError(f"{len(rankings)} rankings but {len(weights)} weights")
    scores: dict[Key, float] = {}
    for ranking, weight in zip(rankings, weights):
        seen: set = set()
        for rank, key in enumerate(ranking, 1):
            if key in seen:
                continue
            seen.add(key)
            scores[key] = scores.get(key, 0.0) + weight / (k + rank)
    first = {key: n for n, key in enumerate(scores)}
    return sorted(scores.items(), key=lambda kv: (-kv[1], first[kv[0]]))
