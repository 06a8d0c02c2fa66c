"""Ids are derived, not random: a second run, or a second store on the same file, reuses them."""

from __future__ import annotations

from kb.models import entry_id, node_id
from kb.sqlite.store import SqliteStore


def test_ids_are_stable_across_store_instances(db_path, make_draft):
    drafts = [make_draft("Payroll closes on the 25th."), make_draft("Bonuses pay in March.", item_id="i2")]
    first = SqliteStore(db_path)
    path1 = first.ensure_path("acme", "Finance", "Payroll", "Monthly runs")
    ids1 = first.upsert_entries("acme", drafts, "run-1").entry_ids
    tree1 = first.tree("acme")
    first.close()

    second = SqliteStore(db_path)
    try:
        path2 = second.ensure_path("acme", "finance", "PAYROLL", "Monthly  runs")
        result = second.upsert_entries("acme", drafts, "run-2")
        assert [n.id for n in path2] == [n.id for n in path1]
        assert result.entry_ids == ids1
        assert (result.inserted, result.unchanged) == (0, 2)
        assert second.tree("acme") == tree1
        assert len(second.entries("acme")) == 2
    finally:
        second.close()


def test_ids_follow_the_published_derivation(store, make_draft):
    domain, skill, group = store.ensure_path("acme", "Finance", "Payroll", "Monthly runs")
    assert domain.id == node_id("acme", None, "finance")
    assert skill.id == node_id("acme", domain.id, "payroll")
    assert group.id == node_id("acme", skill.id, "monthly-runs")
    draft = make_draft("Payroll closes on the 25th.")
    [eid] = store.upsert_entries("acme", [draft], "run-1").entry_ids
    assert eid == entry_id("acme", draft.hash("acme"))
    assert store.entries("acme")[0].content_hash == draft.hash("acme")


def test_same_names_in_two_clients_get_different_ids(store):
    a = store.ensure_path("acme", "Finance", "Payroll", "Monthly runs")
    b = store.ensure_path("globex", "Finance", "Payroll", "Monthly runs")
    assert {n.id for n in a}.isdisjoint(n.id for n in b)


def test_a_known_node_keeps_its_name_and_gains_a_missing_description(store):
    store.ensure_path("acme", "Finance", "Payroll", "Monthly runs")
    _, _, group = store.ensure_path("acme", "FINANCE", "payroll", "monthly runs", "Pay runs")
    assert (group.name, group.description) == ("Monthly runs", "Pay runs")
    _, _, again = store.ensure_path("acme", "Finance", "Payroll", "Monthly runs", "Other text")
    assert again.description == "Pay runs"
    assert len(store.tree("acme")) == 3
