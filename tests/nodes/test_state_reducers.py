"""Reducers of keys written by parallel branches are keyed and order-independent."""

import itertools

from nodes.state import concat_sorted, merge_by


def test_merge_by_key_gives_the_same_result_in_any_branch_order():
    merge = merge_by("source_key")
    records = [{"source_key": k, "n": i} for i, k in enumerate(["sheets-2", "gmail-0", "drive-1"])]
    results = set()
    for perm in itertools.permutations(records):
        state: list = []
        for rec in perm:
            state = merge(state, [rec])
        results.add(tuple(r["source_key"] for r in state))
    assert results == {("drive-1", "gmail-0", "sheets-2")}


def test_merge_by_replaces_a_record_with_the_same_key():
    merge = merge_by("batch_id")
    assert merge([{"batch_id": "b1", "v": 1}], [{"batch_id": "b1", "v": 2}]) == [{"batch_id": "b1", "v": 2}]
    assert merge(None, None) == []


def test_concat_sorted_is_canonical():
    a = {"source_type": "gmail", "phase": "explore", "file_type": "", "title": "b"}
    b = {"source_type": "drive", "phase": "structure", "file_type": "pdf", "title": "a"}
    assert concat_sorted([a], [b]) == concat_sorted([b], [a]) == [b, a]
