"""Every backend upserts entries idempotently by content hash, deletes by item and prunes, counts."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

from kb.models import entry_id


def test_upsert_is_idempotent_and_ids_are_stable(store, make_draft):
    drafts = [
        make_draft("Payroll closes on the 25th.", item_id="m1"),
        make_draft("Bonuses are paid in March.", title="Bonus", item_id="m2"),
    ]
    first = store.upsert_entries("acme", drafts, "run-1")
    assert (first.inserted, first.unchanged) == (2, 0)
    assert first.entry_ids == [entry_id("acme", d.hash("acme")) for d in drafts]
    again = store.upsert_entries("acme", [*drafts, drafts[0]], "run-2")
    assert (again.inserted, again.unchanged) == (0, 3)
    assert again.entry_ids == [*first.entry_ids, first.entry_ids[0]]
    assert sorted(e.id for e in store.entries("acme")) == sorted(first.entry_ids)
    assert {e.run_id for e in store.entries("acme")} == {"run-1"}


def test_a_duplicate_inside_one_batch_is_stored_once(store, make_draft):
    d = make_draft("Same text twice.")
    result = store.upsert_entries("acme", [d, d], "run-1")
    assert (result.inserted, result.unchanged) == (1, 1)
    assert len(store.entries("acme")) == 1
    assert store.upsert_entries("acme", [], "run-1").entry_ids == []


def test_entries_carry_their_place(store, make_draft):
    store.upsert_entries(
        "acme",
        [
            make_draft("Payroll closes on the 25th.", group_description="Pay runs"),
            make_draft("Vendors are paid net 30.", skill="Payables", group="Vendors", item_id="v1"),
        ],
        "run-1",
    )
    domain, skill, group = store.ensure_path("acme", "Finance", "Payroll", "Monthly runs")
    assert group.description == "Pay runs"
    [entry] = store.entries("acme", group.id)
    assert (entry.domain_id, entry.skill_id, entry.tree_node_id) == (domain.id, skill.id, group.id)
    assert (entry.client_id, entry.source_type, entry.file_type, entry.item_id) == ("acme", "gmail", "eml", "item-1")
    assert entry.locator == "gmail:item-1" and entry.content == "Payroll closes on the 25th."
    assert len(store.entries("acme")) == 2


def test_entries_are_scoped_by_client(store, make_draft):
    d = make_draft("Payroll closes on the 25th.")
    a = store.upsert_entries("acme", [d], "run-1")
    b = store.upsert_entries("globex", [d], "run-1")
    assert b.inserted == 1 and a.entry_ids != b.entry_ids
    assert [e.client_id for e in store.entries("globex")] == ["globex"]
    assert store.delete_item_entries("initech", "gmail", "item-1") == 0
    assert len(store.entries("acme")) == 1


def test_delete_removes_an_items_entries_and_prunes_empty_nodes(store, make_draft):
    store.upsert_entries(
        "acme",
        [
            make_draft("Payroll closes on the 25th.", item_id="m1"),
            make_draft("Payroll is approved by HR.", title="Approval", item_id="m1"),
            make_draft("Bonuses are paid in March.", group="Bonuses", item_id="m2"),
            make_draft(
                "The NDA with the trader expires.", domain="Legal", skill="Contracts", group="NDAs", item_id="m3"
            ),
        ],
        "run-1",
    )
    assert store.delete_item_entries("acme", "gmail", "m1") == 2
    assert store.delete_item_entries("acme", "gmail", "m1") == 0
    assert sorted(n.name for n in store.tree("acme")) == ["Bonuses", "Contracts", "Finance", "Legal", "NDAs", "Payroll"]
    assert store.delete_item_entries("acme", "drive", "m3") == 0  # another source's item
    assert store.delete_item_entries("acme", "gmail", "m3") == 1
    assert sorted(n.name for n in store.tree("acme")) == ["Bonuses", "Finance", "Payroll"]
    assert store.counts("acme") == {"domain": 1, "skill": 1, "entry_group": 1, "entries": 1, "items": 0}


def test_many_entries_in_one_call(store, make_draft):
    drafts = [
        make_draft(f"Entry number {i} about payroll.", title=f"Entry {i}", item_id=f"m{i}", group=f"Group {i % 3}")
        for i in range(250)
    ]
    result = store.upsert_entries("acme", drafts, "run-1")
    assert (result.inserted, len(result.entry_ids)) == (250, 250)
    assert len(store.entries("acme")) == 250
    assert store.counts("acme") == {"domain": 1, "skill": 1, "entry_group": 3, "entries": 250, "items": 0}


def test_concurrent_writers_store_each_entry_once(store, make_draft):
    shared = [make_draft(f"Shared note {i} on payroll.", title=f"Shared {i}", item_id=f"s{i}") for i in range(20)]

    def write(worker: int):
        own = [
            make_draft(
                f"Worker {worker} note {i}.", title=f"W{worker}-{i}", item_id=f"w{worker}-{i}", group=f"Group {worker}"
            )
            for i in range(10)
        ]
        return store.upsert_entries("acme", [*shared, *own], f"run-{worker}")

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(write, range(4)))
    assert sum(r.inserted for r in results) == 20 + 4 * 10
    assert len(store.entries("acme")) == 60
    assert len({e.content_hash for e in store.entries("acme")}) == 60


def test_merged_duplicates_keep_their_other_locators(store, make_draft):
    d = replace(
        make_draft("The NDA runs for two years."), also_at=("gmail:m2#body;quoted=1", "drive:Legal/nda.pdf#page=1")
    )
    store.upsert_entries("acme", [d, make_draft("Vendors are paid net 30.", item_id="v1")], "run-1")
    by_content = {e.content: e for e in store.entries("acme")}
    assert by_content["The NDA runs for two years."].also_at == ("drive:Legal/nda.pdf#page=1", "gmail:m2#body;quoted=1")
    assert by_content["Vendors are paid net 30."].also_at == ()
