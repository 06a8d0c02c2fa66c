"""Every client-data call names a client, and a client sees only its own rows."""

from __future__ import annotations

import pytest

from kb.models import ScopeError, SourceItem


@pytest.fixture
def two_clients(store, make_draft):
    store.upsert_entries("acme", [make_draft("Acme payroll closes on the 25th.", item_id="m1")], "r1")
    store.upsert_entries("globex", [make_draft("Globex payroll closes on the 1st.", item_id="m1")], "r1")
    store.record_items([SourceItem("acme", "gmail", "m1", "1", "h", "ok")])
    return store


def test_clients_never_see_each_other(two_clients):
    s = two_clients
    assert [e.content for e in s.entries("globex")] == ["Globex payroll closes on the 1st."]
    assert {n.client_id for n in s.tree("globex")} == {"globex"}
    hits = s.search("globex", "payroll closes")
    assert [h.entry.client_id for h in hits] == ["globex"]
    assert s.search("initech", "payroll closes") == []
    assert s.items("globex") == [] and s.get_item("globex", "gmail", "m1") is None
    assert s.counts("globex")["items"] == 0 and s.counts("acme")["items"] == 1


def test_one_clients_entry_group_is_invisible_to_another(two_clients):
    _, _, group = two_clients.ensure_path("acme", "Finance", "Payroll", "Monthly runs")
    assert two_clients.entries("globex", group.id) == []
    assert two_clients.children("globex", group.parent_id) == []


def test_deleting_one_clients_item_leaves_the_other_alone(two_clients):
    assert two_clients.delete_item_entries("acme", "gmail", "m1") == 1
    assert two_clients.counts("acme")["entries"] == 0
    assert two_clients.counts("globex")["entries"] == 1


@pytest.mark.parametrize("client", ["", "   ", None])
def test_a_client_is_required(store, make_draft, client):
    calls = [
        lambda: store.ensure_path(client, "Finance", "Payroll", "Runs"),
        lambda: store.ensure_node(client, "domain", "Finance"),
        lambda: store.upsert_entries(client, [make_draft("x")], "r1"),
        lambda: store.delete_item_entries(client, "gmail", "m1"),
        lambda: store.tree(client),
        lambda: store.children(client, None),
        lambda: store.entries(client),
        lambda: store.search(client, "payroll"),
        lambda: store.record_items([SourceItem(client, "gmail", "m1", "1", "h", "ok")]),
        lambda: store.get_item(client, "gmail", "m1"),
        lambda: store.items(client),
        lambda: store.counts(client),
    ]
    for call in calls:
        with pytest.raises(ScopeError):
            call()
