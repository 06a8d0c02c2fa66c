"""Every backend keeps exactly three levels, with node ids that are stable and shared."""

from __future__ import annotations

import pytest

from kb.models import KBError, LevelError, ScopeError, SourceItem, node_id


def test_ensure_path_builds_three_levels_with_stable_ids(store):
    domain, skill, group = store.ensure_path("acme", "Finance", "Payroll", "Monthly runs")
    assert (domain.level, skill.level, group.level) == ("domain", "skill", "entry_group")
    assert domain.parent_id is None and skill.parent_id == domain.id and group.parent_id == skill.id
    assert domain.id == node_id("acme", None, "finance")
    assert group.id == node_id("acme", skill.id, "monthly-runs")
    again = store.ensure_path("acme", "  finance ", "PAYROLL", "Monthly   Runs")
    assert [n.id for n in again] == [domain.id, skill.id, group.id]
    assert [n.name for n in again] == ["Finance", "Payroll", "Monthly runs"]  # a node keeps its name
    assert len(store.tree("acme")) == 3


def test_group_description_is_filled_once(store):
    *_, group = store.ensure_path("acme", "Finance", "Payroll", "Runs")
    assert group.description == ""
    *_, group = store.ensure_path("acme", "Finance", "Payroll", "Runs", "Pay runs")
    assert group.description == "Pay runs"
    *_, group = store.ensure_path("acme", "Finance", "Payroll", "Runs", "Something else")
    assert group.description == "Pay runs"


def test_no_fourth_level(store):
    *_, group = store.ensure_path("acme", "Finance", "Payroll", "Monthly runs")
    for level in ("domain", "skill", "entry_group"):
        with pytest.raises(LevelError):
            store.ensure_node("acme", level, "Too deep", parent_id=group.id)
    assert len(store.tree("acme")) == 3


def test_a_parent_must_be_the_level_above(store):
    domain, skill, _ = store.ensure_path("acme", "Finance", "Payroll", "Monthly runs")
    for level, parent in [
        ("skill", None),
        ("entry_group", None),
        ("entry_group", domain.id),
        ("skill", skill.id),
        ("domain", domain.id),
        ("leaf", skill.id),
        ("skill", "no-such-node"),
    ]:
        with pytest.raises(LevelError):
            store.ensure_node("acme", level, "Misplaced", parent_id=parent)
    assert store.ensure_node("acme", "entry_group", "Bonuses", parent_id=skill.id).level == "entry_group"
    assert store.ensure_node("acme", "skill", "Invoices", parent_id=domain.id).level == "skill"
    assert len(store.tree("acme")) == 5


@pytest.mark.parametrize("names", [("", "Payroll", "Runs"), ("Finance", "  ", "Runs"), ("Finance", "Payroll", "!!!")])
def test_every_level_needs_a_name(store, names):
    with pytest.raises(LevelError):
        store.ensure_path("acme", *names)
    assert store.tree("acme") == []


def test_tree_and_children_order(store):
    store.ensure_path("acme", "Legal", "Contracts", "NDAs")
    finance, payroll, _ = store.ensure_path("acme", "Finance", "Payroll", "Runs")
    store.ensure_path("acme", "Finance", "Invoices", "Vendors")
    assert [n.name for n in store.children("acme", None)] == ["Finance", "Legal"]
    assert [n.name for n in store.children("acme", finance.id)] == ["Invoices", "Payroll"]
    assert [n.level for n in store.tree("acme")] == ["domain"] * 2 + ["skill"] * 3 + ["entry_group"] * 3
    assert store.children("acme", "no-such-node") == []


def test_trees_are_scoped_by_client(store):
    domain, _, _ = store.ensure_path("acme", "Finance", "Payroll", "Runs")
    other, _, _ = store.ensure_path("globex", "Finance", "Payroll", "Runs")
    assert other.id != domain.id
    with pytest.raises(LevelError):
        store.ensure_node("globex", "skill", "Payroll", parent_id=domain.id)
    assert {n.client_id for n in store.tree("globex")} == {"globex"}
    assert store.children("globex", domain.id) == []
    assert store.counts("initech") == {"domain": 0, "skill": 0, "entry_group": 0, "entries": 0, "items": 0}


@pytest.mark.parametrize("client_id", ["", "   "])
def test_every_client_call_needs_a_client(store, client_id, make_draft):
    calls = [
        lambda: store.ensure_path(client_id, "Finance", "Payroll", "Runs"),
        lambda: store.ensure_node(client_id, "domain", "Finance"),
        lambda: store.upsert_entries(client_id, [make_draft("text")], "run-1"),
        lambda: store.delete_item_entries(client_id, "gmail", "item-1"),
        lambda: store.tree(client_id),
        lambda: store.children(client_id, None),
        lambda: store.entries(client_id),
        lambda: store.search(client_id, "payroll"),
        lambda: store.record_items([SourceItem(client_id, "gmail", "item-1", "1", "h", "ok")]),
        lambda: store.get_item(client_id, "gmail", "item-1"),
        lambda: store.items(client_id),
        lambda: store.counts(client_id),
    ]
    for call in calls:
        with pytest.raises(ScopeError):
            call()


def test_a_closed_store_refuses_calls(store):
    store.close()
    with pytest.raises(KBError):
        store.tree("acme")
