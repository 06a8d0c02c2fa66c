"""Step, item, token and cost budgets end model work cleanly and keep what was done."""

from __future__ import annotations

from langchain_core.messages import AIMessage
from langgraph.runtime import Runtime
from llm_fakes import FakeModels
from llm_harness import run_llm
from llm_policies import reply_for

from nodes.context import Context
from nodes.deps import default_deps
from nodes.explorer.llm import explore_with_model
from nodes.structurer.llm import propose_with_model
from nodes.usage import UsageBook


def spent(tokens_in: int, tokens_out: int) -> AIMessage:
    return AIMessage(
        "",
        usage_metadata={"input_tokens": tokens_in, "output_tokens": tokens_out, "total_tokens": tokens_in + tokens_out},
    )


def test_turn_limit_ends_the_loop_and_still_asks_for_the_manifest(tmp_path, tiny_sources):
    models = FakeModels()
    state, deps, _ = run_llm(tmp_path, tiny_sources[:1], models, max_model_calls=2)
    deps.store.close_all()
    (record,) = state["explorations"]
    assert record["status"] == "ok" and record["reason"] == "turn limit reached (2 model calls)"
    (model,) = models.of("explorer")
    assert [names for names, _ in model.seen][-1] == ["Manifest"] and len(model.seen) == 3
    # It listed one message and sampled it, but never downloaded: the manifest says so item by item.
    assert record["downloaded"] == 0 and record["listed"] == 1
    assert record["skipped"][0]["reason"] == "not selected by the explorer"
    assert state["report"]["usage"]["stopped"] == [
        {"agent": "explore-gmail-0", "reason": "turn limit reached (2 model calls)"}
    ]


def test_item_limit_refuses_downloads_and_tells_the_model(tmp_path, tiny_sources):
    seen_results = []

    def policy(messages, tools):
        seen_results.extend(m["content"] for m in messages if m["role"] == "tool")
        return reply_for(messages, tools)

    state, deps, _ = run_llm(tmp_path, tiny_sources[:1], FakeModels(policy), max_items_per_source=1)
    deps.store.close_all()
    (record,) = state["explorations"]
    assert record["downloaded"] == 1 and record["items"][0]["kind"] == "message"
    refused = {s["item_id"]: s["reason"] for s in record["skipped"]}
    assert len(refused) == 2 and all("item limit reached (1)" in r for r in refused.values())
    assert any('"successful": false' in r and "item limit reached" in r for r in seen_results)


def test_run_token_budget_stops_every_agent_cleanly(tmp_path, tiny_sources):
    models = FakeModels()
    state, deps, _ = run_llm(tmp_path, tiny_sources, models, concurrency=1, max_tokens=1)
    deps.store.close_all()
    report = state["report"]
    calls = {name: row["calls"] for name, row in report["usage"]["agents"].items()}
    assert sorted(calls.values()) == [0, 0, 1]  # one explorer spent the budget on its first turn
    statuses = sorted(r["status"] for r in state["explorations"])
    assert statuses == ["ok", "skipped", "skipped"] or statuses == ["skipped", "skipped", "skipped"]
    assert all("run token budget reached" in r["reason"] for r in state["explorations"])
    assert {s["agent"] for s in report["usage"]["stopped"]} == {
        f"explore-{r['source_key']}" for r in state["explorations"]
    }
    assert report["entries"]["inserted"] == 0 and report["usage"]["total"]["total_tokens"] > 1


def test_spent_budget_skips_new_agents_before_they_start(tmp_path, tiny_sources):
    deps = default_deps(chat_model=FakeModels())
    ctx = Context(
        client_id="c",
        db=str(tmp_path / "kb.db"),
        workspace_root=str(tmp_path / "ws"),
        isolation="process",
        model="fake:m",
        max_tokens=100,
    )
    deps.usage.record(ctx, "r1", "explore-gmail-0", "fake:m", spent(90, 20))
    out = explore_with_model(
        {"run_id": "r1", "source": tiny_sources[1], "source_key": "drive-1", "hints": []},
        Runtime(context=ctx),
        {},
        deps=deps,
    )
    assert out["record"]["status"] == "skipped" and out["record"]["reason"].startswith("run token budget reached")
    batch = {"run_id": "r1", "batch": {"batch_id": "b-1", "items": []}, "parsed": [], "tree": []}
    out = propose_with_model(batch, Runtime(context=ctx), {}, deps=deps)
    assert out["record"]["status"] == "skipped" and "110 of 100 tokens" in out["record"]["reason"]
    assert deps.chat_model.made == []  # no model was even built
    deps.store.close_all()


def test_cost_budget_uses_the_price_table():
    book = UsageBook()
    ctx = Context(max_cost=0.5, price_table={"gpt-4o-mini": {"input": 1.0, "output": 4.0}})
    book.record(ctx, "r", "a", "openai:gpt-4o-mini", spent(100_000, 50_000))  # 0.1 + 0.2
    assert book.run_totals("r")["cost"] == 0.3 and book.over_budget(ctx, "r") == ""
    book.record(ctx, "r", "b", "openai:gpt-4o-mini", spent(200_000, 0))
    assert book.over_budget(ctx, "r").startswith("run cost budget reached (0.5000 of 0.5)")
    assert book.agent("r", "a")["cost"] == 0.3 and book.agent("r", "b")["calls"] == 1


def test_agent_token_budget_is_per_agent():
    book = UsageBook()
    ctx = Context(max_agent_tokens=50)
    book.record(ctx, "r", "a", "m", spent(40, 20))
    assert book.over_budget(ctx, "r", "a").startswith("agent token budget reached (60 of 50")
    assert book.over_budget(ctx, "r", "b") == "" and book.over_budget(ctx, "other", "a") == ""
