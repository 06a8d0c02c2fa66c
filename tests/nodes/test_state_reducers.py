"""Reducers of keys written by parallel branches: keyed, whole records kept, the same result in any branch order."""

import itertools

from nodes.state import concat_sorted, merge_by, merge_usage


def test_merge_by_key_gives_the_same_records_in_any_branch_order():
    merge = merge_by("source_key")
    records = [
        {"source_key": k, "items": [f"{k}/a", f"{k}/b"], "status": "ok"} for k in ["sheets-2", "gmail-0", "drive-1"]
    ]
    results = []
    for perm in itertools.permutations(records):
        state: list = []
        for rec in perm:
            state = merge(state, [rec])
        results.append(state)
    expected = sorted(records, key=lambda r: r["source_key"])
    assert all(result == expected for result in results)


def test_merge_by_replaces_only_the_record_with_the_same_key():
    merge = merge_by("batch_id")
    left = [{"batch_id": "b1", "v": 1}, {"batch_id": "b2", "v": 1}]
    assert merge(left, [{"batch_id": "b1", "v": 2}]) == [{"batch_id": "b1", "v": 2}, {"batch_id": "b2", "v": 1}]
    assert merge(left, []) == left and merge(None, left) == left
    assert merge(None, None) == []


def test_concat_sorted_keeps_every_draft_in_a_canonical_order():
    a = {"source_type": "gmail", "phase": "explore", "file_type": "", "title": "b"}
    b = {"source_type": "drive", "phase": "structure", "file_type": "pdf", "title": "a"}
    assert concat_sorted([a], [b]) == concat_sorted([b], [a]) == [b, a]
    assert concat_sorted([a, b], [a]) == [b, a, a]  # appended, never de-duplicated
    assert concat_sorted(None, None) == []


def test_merge_usage_keeps_each_agents_latest_row():
    left = {"explorer:gmail": {"tokens": 10}, "structurer:b1": {"tokens": 5}}
    merged = merge_usage(left, {"explorer:gmail": {"tokens": 30}, "explorer:drive": {"tokens": 7}})
    assert merged == {"explorer:drive": {"tokens": 7}, "explorer:gmail": {"tokens": 30}, "structurer:b1": {"tokens": 5}}
    assert list(merged) == sorted(merged)
