"""Upserts are idempotent: the same content twice is one entry."""

from __future__ import annotations

from kb.sqlite.store import SqliteStore


def test_same_content_twice_is_one_entry(store, make_draft):
    draft = make_draft("The gym costs 30 dollars a month.")
    first = store.upsert_entries("acme", [draft], "run-1")
    second = store.upsert_entries("acme", [draft], "run-2")
    assert (first.inserted, first.unchanged) == (1, 0)
    assert (second.inserted, second.unchanged) == (0, 1)
    assert first.entry_ids == second.entry_ids
    [entry] = store.entries("acme")
    assert entry.run_id == "run-1"


def test_duplicates_inside_one_batch(store, make_draft):
    drafts = [make_draft("A"), make_draft("B", item_id="i2"), make_draft("A")]
    result = store.upsert_entries("acme", drafts, "run-1")
    assert (result.inserted, result.unchanged) == (2, 1)
    assert len(result.entry_ids) == 3 and result.entry_ids[0] == result.entry_ids[2]
    assert store.counts("acme")["entries"] == 2


def test_empty_batch_writes_nothing(store):
    result = store.upsert_entries("acme", [], "run-1")
    assert (result.inserted, result.unchanged, result.entry_ids) == (0, 0, [])
    assert store.tree("acme") == []


def test_entries_spread_over_several_groups(store, make_draft):
    drafts = [
        make_draft("Payroll closes on the 25th.", group="Monthly runs"),
        make_draft("Contractors invoice weekly.", skill="Payables", group="Contractors", item_id="i2"),
        make_draft("New hires sign the W-4.", domain="HR", skill="Onboarding", group="Forms", item_id="i3"),
    ]
    store.upsert_entries("acme", drafts, "run-1")
    assert store.counts("acme") == {"domain": 2, "skill": 3, "entry_group": 3, "entries": 3, "items": 0}
    _, _, forms = store.ensure_path("acme", "HR", "Onboarding", "Forms")
    assert [e.title for e in store.entries("acme", forms.id)] == ["Note"]
    assert store.entries("acme", forms.id)[0].content == "New hires sign the W-4."


def test_thousands_of_drafts_in_one_call(tmp_path, make_draft):
    with SqliteStore(tmp_path / "bulk.db") as s:
        drafts = [make_draft(f"fact number {i}", group=f"group {i % 20}", item_id=f"i{i}") for i in range(3000)]
        result = s.upsert_entries("acme", drafts, "run-1")
        assert (result.inserted, result.unchanged) == (3000, 0)
        assert s.counts("acme")["entry_group"] == 20
        again = s.upsert_entries("acme", drafts, "run-2")
        assert (again.inserted, again.unchanged) == (0, 3000)
