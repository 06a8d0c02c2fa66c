"""Both backends, fed the same calls, store the same ids, bodies and counts, and find the same entries."""

from __future__ import annotations

import pytest

from kb.models import ForumDraft, SourceItem

pytestmark = pytest.mark.allow_hosts(["127.0.0.1"])


@pytest.fixture
def both(open_store):
    return [open_store("sqlite"), open_store("convex")]


def fill(store, make_draft):
    store.ensure_path("acme", "Finance", "Payroll", "Monthly runs", "Pay runs")
    store.upsert_entries(
        "acme",
        [
            make_draft("The payroll run closes on the 25th.", title="Payroll close", item_id="m1"),
            make_draft(
                "Bonus amounts are paid with the March run.", title="Bonus timing", group="Bonuses", item_id="m2"
            ),
            make_draft(
                "Vendor invoices are paid net 30.",
                title="Vendor terms",
                skill="Payables",
                group="Vendors",
                item_id="m3",
            ),
            make_draft(
                "NDA renewal with the trader.",
                title="Confidentiality",
                domain="Legal",
                skill="Contracts",
                group="NDAs",
                item_id="m4",
            ),
        ],
        "run-1",
    )
    store.delete_item_entries("acme", "gmail", "m4")
    store.post_forum(
        [
            ForumDraft("gmail", "explore", "eml", "Tip", "Ask Bob Smith at bob@acme.example"),
            ForumDraft("gmail", "explore", "eml", "Tip", "ask bob smith at BOB@ACME.EXAMPLE!"),
        ],
        names=["Bob Smith"],
    )
    store.record_items([SourceItem("acme", "gmail", f"m{i}", "1", "h", "ok") for i in range(1, 5)])


def test_convex_agrees_with_the_embedded_store(both, make_draft):
    for store in both:
        fill(store, make_draft)
    sqlite, convex = both
    assert convex.tree("acme") == sqlite.tree("acme")
    assert sorted(convex.entries("acme"), key=lambda e: e.id) == sorted(sqlite.entries("acme"), key=lambda e: e.id)
    assert convex.search_forum() == sqlite.search_forum()
    assert convex.items("acme") == sqlite.items("acme")
    assert convex.counts("acme") == sqlite.counts("acme")
    for query, under in [
        ("paid", ()),
        ("payroll", ("Finance",)),
        ("paid", ("Finance", "Payables")),
        ("confidentiality", ()),
        ("payroll close", ("finance", "payroll", "monthly-runs")),
    ]:
        found = [{h.entry.id for h in s.search("acme", query, under, limit=50)} for s in both]
        assert found[0] == found[1], (query, under)
