"""Full-text search: BM25 over plain-language questions, scoped by client and subtree."""

from __future__ import annotations

import pytest

from kb.models import LevelError


@pytest.fixture
def kb(store, make_draft):
    drafts = [
        make_draft(
            "The fitness center membership costs $45 per month, billed with payroll.",
            title="Fitness center fee",
            domain="HR",
            skill="Benefits",
            group="Wellness",
            item_id="d1",
        ),
        make_draft(
            "The parking garage charges a monthly fee of $120 for reserved spots.",
            title="Parking",
            domain="Facilities",
            skill="Parking",
            group="Garage",
            item_id="d2",
        ),
        make_draft(
            "Quarterly bonuses are paid with the March payroll run.",
            title="Bonus timing",
            domain="Finance",
            skill="Payroll",
            group="Bonuses",
            item_id="d3",
        ),
        make_draft(
            "The payroll run closes on the 25th of every month.",
            title="Payroll close",
            domain="Finance",
            skill="Payroll",
            group="Monthly runs",
            item_id="d4",
        ),
        make_draft(
            "Vendor invoices are paid net 30 after approval.",
            title="Vendor terms",
            domain="Finance",
            skill="Payables",
            group="Vendors",
            item_id="d5",
        ),
        make_draft(
            "The cafeteria is open from 7am to 3pm on weekdays.",
            title="Cafeteria hours",
            domain="Facilities",
            skill="Food",
            group="Cafeteria",
            item_id="d6",
        ),
        make_draft(
            "Employees receive a fitness tracker at onboarding.",
            title="Onboarding kit",
            domain="HR",
            skill="Onboarding",
            group="Kit",
            item_id="d7",
        ),
    ]
    store.upsert_entries("acme", drafts, "run-1")
    return store


def test_natural_language_question_finds_the_right_entry(kb):
    hits = kb.search("acme", "what is the monthly fee for the fitness center?")
    assert hits, "expected at least one hit"
    assert hits[0].entry.title == "Fitness center fee"
    assert hits[0].path == ("HR", "Benefits", "Wellness")
    assert "**" in hits[0].snippet
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert hits[0].to_dict()["path"] == "HR/Benefits/Wellness"


def test_stemming_matches_other_word_forms(kb):
    hits = kb.search("acme", "when are bonuses paid?")
    assert hits[0].entry.title == "Bonus timing"


def test_search_within_a_domain(kb):
    hits = kb.search("acme", "monthly payroll fee", under=("Finance",))
    assert {h.path[0] for h in hits} == {"Finance"}
    assert {h.entry.title for h in hits} == {"Payroll close", "Bonus timing"}


def test_search_within_a_domain_and_skill(kb):
    hits = kb.search("acme", "paid", under=("finance", "payroll"))
    # The word match leads; related entries of the scope (by meaning) may follow it.
    assert hits[0].entry.title == "Bonus timing"
    assert {h.path[:2] for h in hits} == {("Finance", "Payroll")}
    assert kb.search("acme", "paid", under="Finance/Payables")[0].entry.title == "Vendor terms"


def test_search_within_a_group(kb):
    hits = kb.search("acme", "payroll", under=("Finance", "Payroll", "monthly-runs"))
    assert [h.entry.title for h in hits] == ["Payroll close"]


def test_unknown_scope_finds_nothing(kb):
    assert kb.search("acme", "payroll", under=("Legal",)) == []
    assert kb.search("acme", "payroll", under=("HR", "Payroll")) == []


def test_scope_deeper_than_three_levels_is_an_error(kb):
    with pytest.raises(LevelError):
        kb.search("acme", "payroll", under=("Finance", "Payroll", "Monthly runs", "Extra"))


@pytest.mark.parametrize("query", ["", "   ", "what is the", "?!", "and or not"])
def test_empty_or_stop_word_queries_return_nothing(kb, query):
    assert kb.search("acme", query) == []


@pytest.mark.parametrize("query", ['fee" OR', "fee AND (", "NEAR(fee", "fee*", "title:fee", "-fee ^", "'fee'"])
def test_query_syntax_in_user_input_is_harmless(kb, query):
    titles = [h.entry.title for h in kb.search("acme", query)]
    assert "Fitness center fee" in titles


def test_limit(kb):
    assert len(kb.search("acme", "payroll month fee paid", limit=2)) == 2
    assert kb.search("acme", "payroll", limit=0) == []
