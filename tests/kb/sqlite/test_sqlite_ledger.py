"""The item ledger: one row per (client, source type, item), updated in place."""

from __future__ import annotations

from kb.models import SourceItem


def test_record_then_update(store):
    store.record_items(
        [
            SourceItem("acme", "gmail", "m1", "1", "h1", "ok", "", "run-1"),
            SourceItem("acme", "drive", "f1", "7", "h2", "failed", "EncryptedUnsupported", "run-1"),
        ]
    )
    store.record_items([SourceItem("acme", "gmail", "m1", "2", "h3", "ok", "", "run-2")])
    assert store.get_item("acme", "gmail", "m1") == SourceItem("acme", "gmail", "m1", "2", "h3", "ok", "", "run-2")
    assert store.get_item("acme", "drive", "f1").reason == "EncryptedUnsupported"
    assert store.get_item("acme", "gmail", "missing") is None
    assert [i.item_id for i in store.items("acme")] == ["f1", "m1"]
    assert [i.item_id for i in store.items("acme", "gmail")] == ["m1"]
    assert store.counts("acme")["items"] == 2


def test_same_item_id_in_two_clients_is_two_rows(store):
    store.record_items(
        [
            SourceItem("acme", "gmail", "m1", "1", "h1", "ok"),
            SourceItem("globex", "gmail", "m1", "1", "h9", "skipped", "limit"),
        ]
    )
    assert store.get_item("acme", "gmail", "m1").status == "ok"
    assert store.get_item("globex", "gmail", "m1").status == "skipped"
    store.record_items([])
    assert len(store.items("acme")) == len(store.items("globex")) == 1
