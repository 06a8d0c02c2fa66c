"""Reciprocal rank fusion: scores, weights, ties and duplicates."""

from __future__ import annotations

import pytest

from kb.search.rrf import reciprocal_rank_fusion


def test_entries_both_lists_rank_high_come_first():
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["b", "d", "a"]], k=60)
    assert [key for key, _ in fused] == ["b", "a", "d", "c"]
    scores = dict(fused)
    assert scores["b"] == pytest.approx(1 / 62 + 1 / 61)
    assert scores["a"] == pytest.approx(1 / 61 + 1 / 63) and scores["c"] == pytest.approx(1 / 63)


def test_weights_and_k_shift_the_balance():
    lexical, dense = ["x", "y"], ["y", "x", "z"]
    assert [k for k, _ in reciprocal_rank_fusion([lexical, dense], k=1, weights=(1.0, 0.2))][0] == "x"
    assert [k for k, _ in reciprocal_rank_fusion([lexical, dense], k=1, weights=(0.2, 1.0))][0] == "y"
    with pytest.raises(ValueError):
        reciprocal_rank_fusion([lexical, dense], weights=(1.0,))


def test_ties_keep_first_appearance_and_repeats_count_once():
    fused = reciprocal_rank_fusion([["p", "q", "p"], ["q", "p"]], k=10)
    assert [k for k, _ in fused] == ["p", "q"]
    assert dict(fused)["p"] == pytest.approx(1 / 11 + 1 / 12)
    assert reciprocal_rank_fusion([[], []]) == []
