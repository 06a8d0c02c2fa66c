"""Deleting an item's entries prunes the groups, skills and domains it leaves empty."""

from __future__ import annotations


def test_delete_prunes_emptied_branches_only(store, make_draft):
    store.upsert_entries(
        "acme",
        [
            make_draft("Payroll closes on the 25th.", item_id="m1", group="Monthly runs"),
            make_draft("Payroll forms are PDFs.", item_id="m1", group="Forms"),
            make_draft("Bonuses pay in March.", item_id="m2", group="Bonuses"),
            make_draft("Legal holds last 7 years.", item_id="m1", domain="Legal", skill="Holds", group="Policy"),
            make_draft("Forms go to HR.", item_id="m3", group="Forms"),
        ],
        "run-1",
    )
    assert store.counts("acme")["entries"] == 5

    assert store.delete_item_entries("acme", "gmail", "m1") == 3

    names = sorted(n.name for n in store.tree("acme"))
    assert names == ["Bonuses", "Finance", "Forms", "Payroll"]  # Monthly runs and all of Legal went
    assert store.counts("acme") == {"domain": 1, "skill": 1, "entry_group": 2, "entries": 2, "items": 0}
    assert store.delete_item_entries("acme", "gmail", "m1") == 0


def test_deleting_the_last_entry_removes_the_whole_path(store, make_draft):
    store.upsert_entries("acme", [make_draft("Only fact.", item_id="m1")], "run-1")
    assert store.delete_item_entries("acme", "gmail", "m1") == 1
    assert store.tree("acme") == []
    # The path comes back with the same ids.
    store.upsert_entries("acme", [make_draft("Only fact.", item_id="m1")], "run-2")
    assert len(store.tree("acme")) == 3


def test_delete_matches_source_type(store, make_draft):
    store.upsert_entries(
        "acme",
        [
            make_draft("From mail.", item_id="x1", source_type="gmail"),
            make_draft("From drive.", item_id="x1", source_type="drive"),
        ],
        "run-1",
    )
    assert store.delete_item_entries("acme", "drive", "x1") == 1
    assert [e.source_type for e in store.entries("acme")] == ["gmail"]


def test_empty_groups_made_by_ensure_path_are_not_touched(store, make_draft):
    store.ensure_path("acme", "Finance", "Payroll", "Planned")
    store.upsert_entries("acme", [make_draft("Fact.", item_id="m1")], "run-1")
    store.delete_item_entries("acme", "gmail", "m1")
    assert sorted(n.name for n in store.tree("acme")) == ["Finance", "Payroll", "Planned"]
