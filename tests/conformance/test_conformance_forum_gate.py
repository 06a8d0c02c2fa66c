"""Every backend gates the forum by k distinct clients, and forgets a deleted client's patterns alike."""

from __future__ import annotations

import inspect

import pytest

from kb.convex_store.store import ConvexStore
from kb.models import ForumDraft, ScopeError, SourceItem
from kb.sqlite.store import SqliteStore

SHARED = ForumDraft("gmail", "explore", "eml", "Shared", "Replies quote the first mail.")
PAIR = ForumDraft("gmail", "explore", "eml", "Pair", "Invoices arrive as PDF attachments.")
ALONE = ForumDraft("gmail", "explore", "eml", "Alone", "Receipts arrive in a weekly digest.")


@pytest.fixture
def gated(store):
    for client in ("acme", "globex", "initech"):
        store.post_forum([SHARED], client_id=client)
    for client in ("acme", "globex"):
        store.post_forum([PAIR, PAIR], client_id=client)
    store.post_forum([ALONE], client_id="acme")
    store.post_forum([ForumDraft("drive", "explore", "pdf", "Anonymous", "Scans arrive rotated.")])
    return store


def titles(posts):
    return sorted(p.title for p in posts)


def test_without_a_gate_every_post_shows(gated):
    assert titles(gated.search_forum()) == ["Alone", "Anonymous", "Pair", "Shared"]
    assert titles(gated.search_forum(min_clients=1, client_id="nobody")) == ["Alone", "Anonymous", "Pair", "Shared"]


def test_a_pattern_shows_once_k_clients_saw_it_or_to_a_client_that_did(gated):
    assert titles(gated.search_forum(min_clients=2)) == ["Pair", "Shared"]
    assert titles(gated.search_forum(min_clients=3)) == ["Shared"]
    assert titles(gated.search_forum(min_clients=3, client_id="globex")) == ["Pair", "Shared"]
    assert titles(gated.search_forum(min_clients=3, client_id="acme")) == ["Alone", "Pair", "Shared"]
    assert titles(gated.search_forum(min_clients=2, client_id="umbrella")) == ["Pair", "Shared"]
    assert gated.search_forum(min_clients=4) == []


def test_the_gate_applies_with_query_words_and_filters(gated):
    assert titles(gated.search_forum("arrive", min_clients=2)) == ["Pair"]
    assert titles(gated.search_forum("arrive", min_clients=2, client_id="acme")) == ["Alone", "Pair"]
    assert titles(gated.search_forum("arrive", source_type="drive")) == ["Anonymous"]
    assert gated.search_forum("arrive", source_type="drive", min_clients=2, client_id="acme") == []
    # A hidden best match leaves room for the next one rather than an empty page.
    [best] = gated.search_forum("receipts weekly arrive", limit=1, min_clients=2)
    assert best.title == "Pair"


def test_a_client_counts_once_however_often_it_posts(gated):
    # Support counts the clients that posted a pattern, once each, like the gate.
    [pair] = gated.post_forum([PAIR], client_id="acme")
    assert pair.support_count == 2
    assert titles(gated.search_forum(min_clients=3)) == ["Shared"]
    [pair] = gated.post_forum([PAIR], client_id="initech")
    assert pair.support_count == 3
    assert titles(gated.search_forum(min_clients=3)) == ["Pair", "Shared"]


def test_deleting_a_client_forgets_it_and_the_patterns_left_below_k(store, make_draft):
    for client in ("acme", "globex"):
        store.upsert_entries(client, [make_draft(f"{client} pays staff monthly.")], "r1")
        store.record_items([SourceItem(client, "gmail", "item-1", "1", "h", "ok")])
        store.post_forum([SHARED, PAIR], client_id=client)
    store.post_forum([SHARED], client_id="initech")
    store.post_forum([ALONE], client_id="acme")
    removed = store.delete_client("acme", min_clients=2)
    assert removed == {"knowledge_entries": 1, "knowledge_tree": 3, "source_items": 1, "forum_entries": 2}
    assert store.tree("acme") == [] and store.entries("acme") == [] and store.items("acme") == []
    assert set(store.counts("acme").values()) == {0} and store.counts("globex")["entries"] == 1
    assert titles(store.search_forum()) == ["Shared"]
    assert titles(store.search_forum(min_clients=2, client_id="acme")) == ["Shared"]
    assert store.delete_client("acme") == {
        "knowledge_entries": 0,
        "knowledge_tree": 0,
        "source_items": 0,
        "forum_entries": 0,
    }
    with pytest.raises(ScopeError):
        store.delete_client(" ")


def _public(cls) -> dict[str, inspect.Signature]:
    return {name: inspect.signature(fn) for name, fn in vars(cls).items() if callable(fn) and not name.startswith("_")}


def test_both_stores_offer_the_same_methods_with_the_same_signatures():
    sqlite, convex = _public(SqliteStore), _public(ConvexStore)
    assert sorted(sqlite) == sorted(convex)
    for name, signature in sqlite.items():
        assert list(signature.parameters.values()) == list(convex[name].parameters.values()), name
