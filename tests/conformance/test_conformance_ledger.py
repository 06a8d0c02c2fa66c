"""Every backend keeps the item ledger: rows upserted by key, read back per client and source."""

from __future__ import annotations

from dataclasses import replace

from kb.models import SourceItem


def item(item_id: str, source_type: str = "gmail", client_id: str = "acme", **fields) -> SourceItem:
    base = dict(revision="1", content_hash="h1", status="ok", reason="", last_seen_run_id="run-1")
    return SourceItem(client_id=client_id, source_type=source_type, item_id=item_id, **{**base, **fields})


def test_record_then_get_and_list(store):
    rows = [item("m2"), item("m1"), item("f1", source_type="drive"), item("m1", client_id="globex")]
    store.record_items(rows)
    assert store.get_item("acme", "gmail", "m1") == rows[1]
    assert store.get_item("acme", "gmail", "nope") is None
    assert store.get_item("initech", "gmail", "m1") is None
    assert store.items("acme") == [rows[2], rows[1], rows[0]]
    assert store.items("acme", "gmail") == [rows[1], rows[0]]
    assert store.items("globex") == [rows[3]]
    assert store.counts("acme")["items"] == 3


def test_recording_again_updates_the_row(store):
    store.record_items([item("m1")])
    changed = replace(
        item("m1"), revision="2", content_hash="h2", status="failed", reason="too_large", last_seen_run_id="run-2"
    )
    store.record_items([changed])
    store.record_items([])
    assert store.items("acme") == [changed]


def test_many_rows(store):
    rows = [item(f"m{i:04d}") for i in range(1200)]
    store.record_items(rows)
    assert store.items("acme") == rows
    assert store.counts("acme")["items"] == 1200
