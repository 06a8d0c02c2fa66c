"""The whole pipeline through the model brain produces the same kinds of records as the offline brain."""

from __future__ import annotations

import pytest
from llm_fakes import FakeModels
from llm_harness import run_llm

from nodes.context import Context
from nodes.usage import total_of


@pytest.fixture
def llm_run(tmp_path, tiny_sources):
    models = FakeModels()
    state, deps, ctx = run_llm(tmp_path, tiny_sources, models)
    yield state, deps.store(ctx), models, ctx
    deps.store.close_all()


def test_sources_are_explored_into_offline_shaped_records(llm_run, tmp_path):
    state, _, _, _ = llm_run
    records = {r["source_type"]: r for r in state["explorations"]}
    assert {t: r["status"] for t, r in records.items()} == {"gmail": "ok", "drive": "ok", "sheets": "ok"}
    assert {t: r["downloaded"] for t, r in records.items()} == {"gmail": 3, "drive": 2, "sheets": 1}
    for record in records.values():
        assert record["brain"] == "model" and record["tool_calls"] > 0 and record["failures"] == []
        for item in record["items"]:
            assert item["path"].startswith(str(tmp_path / "ws")) and len(item["sha256"]) == 64
            assert item["locator"].startswith(record["source_type"] + ":") and item["group_key"] and item["hints"]
        reasons = {d["item_id"]: d["why"] for d in record["manifest"]["downloaded"]}
        assert sorted(reasons) == sorted(i["item_id"] for i in record["items"]) and all(reasons.values())
    # drive: one file downloaded in the loop, the other fetched because the manifest asked for all listed
    assert records["drive"]["manifest"]["downloaded"][0]["why"] in (
        "business record",
        "every listed item not skipped was wanted",
    )
    assert {i["kind"] for i in records["gmail"]["items"]} == {"message", "attachment"}
    assert records["sheets"]["items"][0]["item_id"].endswith("/Trades")


def test_entries_are_placed_with_locators_of_their_sections(llm_run):
    state, store, _, ctx = llm_run
    report = state["report"]
    assert report["entries"]["inserted"] == report["entries"]["total"] == 6
    assert report["tree"]["domains"] == 2 and report["batches"] == {"total": 1, "ok": 1, "failed": 0}
    (batch,) = state["structures"]
    assert batch["brain"] == "model" and not batch.get("fallback_reason")
    items = {i["item_id"]: i for r in state["explorations"] for i in r["items"]}
    for draft in batch["drafts"]:
        item_locator, _, section = draft["locator"].partition("#")
        assert item_locator == items[draft["item_id"]]["locator"] and section
        assert draft["content"] and draft["domain"] in ("Finance", "Operations")
    hits = store.search(ctx.client_id, "travel budget", limit=3)
    assert hits and "12,500" in hits[0].entry.content and hits[0].path[0] == "Finance"


def test_agents_post_scrubbed_patterns_to_the_forum(llm_run):
    state, store, _, _ = llm_run
    titles = {(d["phase"], d["title"]) for d in state["forum_drafts"]}
    assert {("explore", "gmail listings"), ("explore", "drive listings"), ("explore", "sheets listings")} <= titles
    assert any(phase == "structure" and title.startswith("Filing ") for phase, title in titles)
    posts = store.search_forum("sample", phase="explore", limit=10)
    assert {p.source_type for p in posts} >= {"gmail", "drive", "sheets"}


def test_report_says_which_brain_ran_and_what_each_agent_spent(llm_run):
    state, _, models, _ = llm_run
    report = state["report"]
    assert report["brain"] == "model:fake:model"
    assert report["brains"] == {"explorer": "model:fake:model", "structurer": "model:fake:model", "fallbacks": []}
    agents = report["usage"]["agents"]
    assert sorted(agents) == ["explore-drive-1", "explore-gmail-0", "explore-sheets-2", "structure-batch-00000"]
    for name, row in agents.items():
        assert row["calls"] > 0 and row["input_tokens"] > 0 and row["output_tokens"] > 0, name
        assert row["total_tokens"] == row["input_tokens"] + row["output_tokens"] and row["unreported_calls"] == 0
    assert report["usage"]["total"] == total_of(agents)
    assert report["usage"]["total"]["calls"] == sum(len(m.seen) for _, m in models.made)


def test_offline_run_reports_the_offline_brain_and_no_usage(tmp_path, tiny_sources):
    state, deps, _ = run_llm(tmp_path, tiny_sources, model="")
    report = state["report"]
    deps.store.close_all()
    assert report["brain"] == "offline" and report["usage"]["agents"] == {}
    assert report["usage"]["total"]["total_tokens"] == 0
    assert all(r.get("brain") != "model" for r in state["explorations"])


def test_separate_explorer_and_structurer_brains(tmp_path, tiny_sources):
    models = FakeModels()
    state, deps, _ = run_llm(tmp_path, tiny_sources[1:2], models, model="", explorer_model="fake:small")
    deps.store.close_all()
    assert [role for role, _ in models.made] == ["explorer"]
    assert state["report"]["brain"] == "explorer=model:fake:small,structurer=offline"
    assert state["report"]["entries"]["inserted"] > 0
    assert Context(explorer_model="a:b").model == ""
