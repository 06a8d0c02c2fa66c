"""The kb_query graph runs alone, as Studio or a server runs it: a question in, an answer with locators out."""

from __future__ import annotations

from graphs.kb_query import build_kb_query_graph
from nodes.context import Context
from nodes.deps import default_deps


def ask(kb_store, question: str, context_client: str = "acme", **extra) -> dict:
    deps = default_deps(store=lambda ctx: kb_store)
    return build_kb_query_graph(deps).invoke(
        {"question": question, **extra}, context=Context(client_id=context_client, db=kb_store.path)
    )


def test_answer_lists_the_hits_with_paths_and_locators(kb_store):
    out = ask(kb_store, "What was the consulting fee on invoice 77?")
    assert out["client_id"] == "acme"
    assert out["sources"][0] == "gmail:<m7@acme.test>/invoice.pdf#page=1"
    assert set(out["sources"]) == {h["locator"] for h in out["hits"]}
    assert "Finance/Invoices/Supplier invoices" in out["answer"]
    assert all(f"source: {loc}" in out["answer"] for loc in out["sources"])
    assert "globex" not in out["answer"]


def test_subtree_and_client_come_from_the_input(kb_store):
    out = ask(kb_store, "consulting fee", under="Legal", limit=1)
    assert out["sources"] == ["drive:Legal/consulting.docx#paragraphs=3-5"] and "under Legal" in out["answer"]
    out = ask(kb_store, "consulting fee", context_client="acme", client_id="globex")
    assert out["client_id"] == "globex" and out["sources"] == ["drive:globex/invoice-12.pdf#page=1"]


def test_no_match_says_so_and_cites_nothing(kb_store):
    out = ask(kb_store, "quarterly yacht regatta")
    assert out["hits"] == [] and out["sources"] == [] and out["answer"].startswith("No entry of client acme")
    out = ask(kb_store, "fee", under="a/b/c/d")
    assert out["sources"] == [] and "three" in out["answer"]


def test_the_input_schema_asks_for_a_question(kb_store):
    schema = build_kb_query_graph(default_deps(store=lambda ctx: kb_store)).get_input_jsonschema()
    assert schema["required"] == ["question"]
    assert {"question", "under", "client_id", "limit"} == set(schema["properties"])
