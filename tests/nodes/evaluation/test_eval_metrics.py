"""Evaluation measures over stored entries: coverage, duplicates, citations, group sizes, hit@k."""

from __future__ import annotations

import json

import pytest

from kb.eval.metrics import citations, coverage, duplicates, item_key, shingles, single_entry_groups
from kb.eval.questions import Question, hit_at_k, load_questions, matches


def _write(store, drafts):
    store.upsert_entries("acme", drafts, "r1")
    return store.entries("acme")


def test_shingles_ignore_case_and_punctuation_and_keep_short_texts():
    assert shingles("The fee is 25 dollars, monthly.") == shingles("the FEE is 25 dollars monthly")
    assert shingles("two words") == {("two", "words")}
    assert shingles("  ") == set()


def test_coverage_is_the_share_of_each_items_shingles_found_in_entries(store, make_draft):
    kept = "one two three four five six seven eight nine ten"
    entries = _write(store, [make_draft(kept, locator="drive:a.txt#p=1", item_id="a")])
    lost = "alpha beta gamma delta epsilon zeta eta theta iota kappa"
    report = coverage({"drive:a.txt": kept, "drive:b.txt": "one two three four five six seven " + lost}, entries)
    assert report["items"]["drive:a.txt"] == 1.0
    # b's text: 7 words of a, then 10 new ones -> 13 shingles, 3 of them inside a's text
    assert report["items"]["drive:b.txt"] == pytest.approx(3 / 13)
    assert report["mean"] == pytest.approx((1 + 3 / 13) / 2)
    assert coverage({}, entries)["mean"] is None
    # an item shorter than one shingle counts as kept when its words run inside an entry
    short = coverage({"drive:c.txt": "three four", "drive:d.txt": "four three"}, entries)["items"]
    assert short == {"drive:c.txt": 1.0, "drive:d.txt": 0.0}


def test_duplicates_count_exact_and_near_copies(store, make_draft):
    base = "the pipeline restart will cost about two million dollars according to the estimate"
    entries = _write(
        store,
        [
            make_draft(base, title="A", locator="gmail:1#body", item_id="1"),
            make_draft(base.upper() + "!", title="B", locator="gmail:2#body", item_id="2"),
            make_draft(base + " thanks", title="C", locator="gmail:3#body", item_id="3"),
            make_draft(
                "an unrelated note about the holiday party schedule for december", locator="gmail:4#body", item_id="4"
            ),
        ],
    )
    report = duplicates(entries)
    assert report["entries"] == 4
    assert report["exact"] == 1 and report["exact_rate"] == 0.25
    assert report["near"] == 3 and report["near_rate"] == 0.75


def test_citations_resolve_against_the_items_in_the_sources(store, make_draft):
    entries = _write(
        store,
        [
            make_draft("x y", locator="drive:HR/a.pdf#page=2", item_id="a"),
            make_draft("z w", locator="drive:HR/gone.pdf#page=1", item_id="b"),
        ],
    )
    assert item_key("gmail:abc/file.pdf#page=2") == "gmail:abc/file.pdf"
    report = citations(entries, {"drive:HR/a.pdf"})
    assert report["resolved"] == 1 and report["rate"] == 0.5
    assert report["unresolved"] == ["drive:HR/gone.pdf#page=1"]


def test_single_entry_group_share(store, make_draft):
    entries = _write(
        store,
        [
            make_draft("one", group="G1", item_id="1", locator="gmail:1"),
            make_draft("two", group="G1", item_id="2", locator="gmail:2"),
            make_draft("three", group="G2", item_id="3", locator="gmail:3"),
        ],
    )
    report = single_entry_groups(store.tree("acme"), entries)
    assert report == {"groups": 2, "single": 1, "rate": 0.5}


def test_hit_at_k_finds_expected_locators_and_lists_misses(store, make_draft):
    _write(
        store,
        [
            make_draft("The fitness center costs 25 dollars a month", locator="drive:HR/gym.pdf#page=1", item_id="g"),
            make_draft("Gas prices rose at Henry Hub", locator="drive:Market/gasdaily.pdf#page=3", item_id="m"),
        ],
    )
    questions = [
        Question("monthly fee of the fitness center", ("gym.pdf",)),
        Question("henry hub gas prices", ("drive:Market/gasdaily.pdf#page=3",)),
        Question("fitness center", ("nowhere.doc",)),
    ]
    report = hit_at_k(store, "acme", questions, k=5)
    assert report["questions"] == 3 and report["hits"] == 2
    assert report["rate"] == pytest.approx(2 / 3)
    assert [m["question"] for m in report["misses"]] == ["fitness center"]
    assert report["misses"][0]["top"] == ["drive:HR/gym.pdf#page=1"]
    assert hit_at_k(store, "other-client", questions[:1])["hits"] == 0


def test_question_files_are_json_lines_and_bad_lines_are_named(tmp_path):
    good = tmp_path / "q.jsonl"
    good.write_text(
        json.dumps({"question": "q1", "expected": "a.pdf", "kind": "pdf"})
        + "\n\n"
        + json.dumps({"question": "q2", "expected": ["x", "y"], "under": "Legal"})
        + "\n"
    )
    qs = load_questions(good)
    assert [q.expected for q in qs] == [("a.pdf",), ("x", "y")] and qs[1].under == "Legal"
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"question": "q1", "expected": "a"}) + '\n{"question": "q2"}\n')
    with pytest.raises(ValueError, match="bad.jsonl:2"):
        load_questions(bad)
    assert matches("drive:HR/Gym.PDF#page=1", ["gym.pdf"]) and not matches("drive:x", ["y"])
