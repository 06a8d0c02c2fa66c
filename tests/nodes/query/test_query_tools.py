"""The KB tools agents bind: scoped to one client, subtree search, tree browsing, forum search, locators."""

from __future__ import annotations

import pytest

from tools.kb_tools import KB_TOOL_NAMES, kb_tools


def tools_for(store, client="acme", forum_min_clients=1) -> dict:
    return {t.name: t for t in kb_tools(store, client, forum_min_clients=forum_min_clients)}


def test_the_tools_take_no_client_id_and_describe_every_argument(kb_store):
    tools = tools_for(kb_store)
    assert tuple(tools) == KB_TOOL_NAMES
    for t in tools.values():
        assert "client" not in " ".join(t.args), f"{t.name} must not let a model pick the client"
        assert t.description and all(a.get("description") for a in t.args.values())
    with pytest.raises(ValueError):
        kb_tools(kb_store, " ")


def test_search_is_scoped_by_client_and_every_hit_has_a_locator(kb_store):
    acme = tools_for(kb_store)["search_kb"].invoke({"query": "consulting fee invoice"})
    assert sorted(h["locator"] for h in acme["hits"]) == [
        "drive:Legal/consulting.docx#paragraphs=3-5",
        "gmail:<m7@acme.test>/invoice.pdf#page=1",
    ]
    assert all(h["path"].count("/") == 2 and h["excerpt"] and h["entry_id"] for h in acme["hits"])
    globex = tools_for(kb_store, "globex")["search_kb"].invoke({"query": "consulting fee invoice"})
    assert [h["locator"] for h in globex["hits"]] == ["drive:globex/invoice-12.pdf#page=1"]


@pytest.mark.parametrize(
    "under, expected",
    [
        ("Legal", ["drive:Legal/consulting.docx#paragraphs=3-5"]),
        ("finance/invoices", ["gmail:<m7@acme.test>/invoice.pdf#page=1"]),
        ("Finance/Payroll", []),
        ("Nowhere", []),
    ],
)
def test_search_within_a_subtree(kb_store, under, expected):
    found = tools_for(kb_store)["search_kb"].invoke({"query": "consulting fee", "under": under})
    assert [h["locator"] for h in found["hits"]] == expected
    assert all(h["path"].lower().startswith(under.lower()) for h in found["hits"])


def test_a_scope_deeper_than_three_levels_is_an_error_not_a_crash(kb_store):
    found = tools_for(kb_store)["search_kb"].invoke({"query": "fee", "under": "a/b/c/d"})
    assert found["hits"] == [] and "three" in found["error"]


def test_browse_walks_the_three_levels_down_to_entries(kb_store):
    browse = tools_for(kb_store)["browse_kb_tree"]
    root = browse.invoke({})
    assert [c["path"] for c in root["children"]] == ["Finance", "Legal"]
    assert [c["path"] for c in browse.invoke({"path": "Finance"})["children"]] == [
        "Finance/Invoices",
        "Finance/Payroll",
    ]
    groups = browse.invoke({"path": "finance/invoices"})
    assert groups["level"] == "skill" and [c["name"] for c in groups["children"]] == ["Supplier invoices"]
    leaf = browse.invoke({"path": "Finance/Invoices/Supplier invoices"})
    assert leaf["level"] == "entry_group"
    assert [e["locator"] for e in leaf["entries"]] == ["gmail:<m7@acme.test>/invoice.pdf#page=1"]
    assert "no skill named 'Vendors'" in browse.invoke({"path": "Finance/Vendors"})["error"]


def test_browse_never_shows_another_clients_tree(kb_store):
    globex = tools_for(kb_store, "globex")["browse_kb_tree"]
    assert [c["path"] for c in globex.invoke({"path": "Finance"})["children"]] == ["Finance/Invoices"]
    assert "error" in globex.invoke({"path": "Legal"})


def test_forum_search_filters_and_cites_each_post(kb_store):
    forum = tools_for(kb_store)["search_forum"]
    posts = forum.invoke({"query": "scanned pdf"})["posts"]
    assert posts and posts[0]["title"] == "Scanned pdf" and posts[0]["locator"] == f"forum:{posts[0]['id']}"
    assert [p["title"] for p in forum.invoke({"phase": "explore"})["posts"]] == ["Paging"]
    assert forum.invoke({"query": "pdf", "source_type": "gmail"})["posts"] == []
    # By default a pattern reaches a client only once two clients saw it (or it saw it itself).
    gated = tools_for(kb_store, forum_min_clients=2)["search_forum"]
    assert gated.invoke({"query": "scanned pdf"})["posts"] == []
