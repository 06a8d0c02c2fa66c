"""Every backend searches one client's entries, within a domain, skill or group subtree.

Ranking differs (SQLite: BM25 with stemming; Convex: its search index, re-scored by term
coverage), so these tests check membership and the top few hits, not exact order.
"""

from __future__ import annotations

import pytest

from kb.models import LevelError


@pytest.fixture
def kb(store, make_draft):
    rows = [
        (
            "The fitness center membership fee is billed monthly with payroll.",
            "Fitness center fee",
            "HR",
            "Benefits",
            "Wellness",
        ),
        ("The parking garage charges a monthly fee for reserved spots.", "Parking", "Facilities", "Parking", "Garage"),
        (
            "Quarterly bonus amounts are paid with the March payroll run.",
            "Bonus timing",
            "Finance",
            "Payroll",
            "Bonuses",
        ),
        ("The payroll run closes on the 25th of every month.", "Payroll close", "Finance", "Payroll", "Monthly runs"),
        ("Vendor invoices are paid net 30 after approval.", "Vendor terms", "Finance", "Payables", "Vendors"),
        ("The cafeteria is open from 7am to 3pm on weekdays.", "Cafeteria hours", "Facilities", "Food", "Cafeteria"),
    ]
    drafts = [
        make_draft(content, title=title, domain=d, skill=s, group=g, item_id=f"d{i}")
        for i, (content, title, d, s, g) in enumerate(rows)
    ]
    store.upsert_entries("acme", drafts, "run-1")
    store.upsert_entries("globex", [make_draft("Globex payroll closes early.", item_id="g1")], "run-1")
    return store


def titles(hits):
    return [h.entry.title for h in hits]


def test_a_question_finds_the_right_entry(kb):
    hits = kb.search("acme", "what is the fitness center membership fee?")
    assert "Fitness center fee" in titles(hits)[:2]
    hit = next(h for h in hits if h.entry.title == "Fitness center fee")
    assert hit.path == ("HR", "Benefits", "Wellness")
    assert "**" in hit.snippet
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_search_is_scoped_by_client(kb):
    assert {h.entry.client_id for h in kb.search("acme", "payroll")} == {"acme"}
    assert titles(kb.search("globex", "payroll")) == ["Note"]
    assert kb.search("initech", "payroll") == []


def test_search_within_a_domain(kb):
    hits = kb.search("acme", "payroll", under=("Finance",))
    assert set(titles(hits)) == {"Payroll close", "Bonus timing"}
    assert {h.path[0] for h in hits} == {"Finance"}


def test_search_within_a_skill_and_a_group(kb):
    # The word match leads; entries related by meaning within the scope may follow it.
    hits = kb.search("acme", "paid", under=("finance", "payroll"))
    assert titles(hits)[0] == "Bonus timing" and {h.path[:2] for h in hits} == {("Finance", "Payroll")}
    assert titles(kb.search("acme", "paid", under="Finance/Payables")) == ["Vendor terms"]
    assert titles(kb.search("acme", "payroll", under=("Finance", "Payroll", "monthly-runs"))) == ["Payroll close"]


def test_unknown_or_too_deep_scopes(kb):
    assert kb.search("acme", "payroll", under=("Legal",)) == []
    assert kb.search("acme", "payroll", under=("HR", "Payroll")) == []
    with pytest.raises(LevelError):
        kb.search("acme", "payroll", under=("a", "b", "c", "d"))


def test_empty_queries_and_limits(kb):
    assert kb.search("acme", "") == []
    assert kb.search("acme", "what is the") == []
    assert kb.search("acme", "monthly", limit=0) == []
    assert len(kb.search("acme", "monthly", limit=1)) == 1
    assert len(kb.search("acme", "monthly fee payroll", limit=10)) >= 3


def test_deleted_entries_are_not_found(kb):
    kb.delete_item_entries("acme", "gmail", "d3")
    assert "Payroll close" not in titles(kb.search("acme", "payroll"))
