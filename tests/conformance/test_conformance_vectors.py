"""Every backend runs hybrid search: a question sharing no word with its entry finds it by meaning,
within the client and the subtree asked, and an entry is embedded once."""

from __future__ import annotations

import pytest

from kb.search.embed import default_embedder


class CountingEmbedder:
    """The bundled model, counting the texts it embeds."""

    def __init__(self) -> None:
        self.inner = default_embedder()
        self.name, self.dim = self.inner.name, self.inner.dim
        self.count = 0

    def embed(self, texts):
        self.count += len(texts)
        return self.inner.embed(texts)


@pytest.fixture
def kb(store, make_draft):
    store._embedder = CountingEmbedder()
    rows = [
        (
            "Here is the restart and integration plan; its cost is estimated to be under two million dollars.",
            "ERCOT business plan",
            "Strategy",
            "Plans",
            "ERCOT",
        ),
        ("Employees accrue twenty-five days of paid vacation each year.", "Leave policy", "HR", "Policies", "Leave"),
        ("Invoices from vendors are settled net 30 after approval.", "Vendor terms", "Finance", "Payables", "Vendors"),
    ]
    drafts = [
        make_draft(content, title=title, domain=d, skill=s, group=g, item_id=f"d{i}")
        for i, (content, title, d, s, g) in enumerate(rows)
    ]
    store.upsert_entries("acme", drafts, "run-1")
    store.upsert_entries("globex", drafts[:1], "run-1")
    return store, drafts


def test_a_question_in_other_words_finds_the_entry_by_meaning(kb):
    store, _ = kb
    hits = store.search("acme", "how much would bringing the trading desk back online cost us?")
    assert hits and hits[0].entry.title == "ERCOT business plan"
    assert {h.entry.client_id for h in hits} == {"acme"}
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


QUESTION = "how much would bringing the trading desk back online cost us?"


def test_vector_hits_stay_in_the_subtree_and_the_client(kb):
    store, _ = kb
    assert all(h.path[0] == "HR" for h in store.search("acme", QUESTION, under="HR"))
    assert store.search("acme", QUESTION, under="Legal") == []
    assert store.search("initech", QUESTION) == []
    assert [h.entry.client_id for h in store.search("globex", QUESTION)] == ["globex"]


def test_unchanged_entries_are_not_embedded_again(kb):
    store, drafts = kb
    embedded = store._embedder.count
    assert embedded == 2 * 4  # a title and a text per entry (3 for acme, 1 for globex)
    store.upsert_entries("acme", drafts, "run-2")
    assert store._embedder.count == embedded


def test_deleted_entries_leave_no_vector_hit(kb):
    store, _ = kb
    store.delete_item_entries("acme", "gmail", "d0")
    assert all(h.entry.item_id != "d0" for h in store.search("acme", "restart plan cost estimate"))
