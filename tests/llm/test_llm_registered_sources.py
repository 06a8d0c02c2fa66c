"""The model brain explores Slack, Notion and Xero through their declarations: samples, downloads, manifest fetches."""

from __future__ import annotations

from pathlib import Path

import pytest
from llm_fakes import FakeModels
from llm_harness import run_llm
from llm_policies import payload, reply_for, turns

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "client-c-slack-notion-xero"
# Per source: the listing call, a sample call and a download call built from the listing, as a model would make.
PLANS = {
    "SLACK_LIST_ALL_CHANNELS": (
        {"limit": 10},
        lambda d: ("SLACK_FETCH_CONVERSATION_HISTORY", {"channel": d["channels"][0]["id"], "limit": 2}),
        lambda d: ("SLACK_FETCH_CONVERSATION_HISTORY", {"channel": d["channels"][-1]["id"]}),
    ),
    "NOTION_SEARCH_NOTION_PAGE": (
        {"query": "", "page_size": 10},
        lambda d: ("NOTION_FETCH_BLOCK_CONTENTS", {"block_id": d["response_data"]["results"][0]["id"]}),
        lambda d: ("NOTION_GET_PAGE_MARKDOWN", {"page_id": d["response_data"]["results"][0]["id"]}),
    ),
    "XERO_LIST_ACCOUNTS": (
        {"where": 'Type=="REVENUE"'},
        lambda d: ("XERO_LIST_INVOICES", {"where": 'Status=="AUTHORISED"'}),
        lambda d: ("XERO_LIST_ACCOUNTS", {}),
    ),
}


def explorer(messages: list[dict], tools: list[str]) -> dict:
    if tools == ["Manifest"]:  # keep what was downloaded and fetch every other listed unit
        reply = reply_for(messages, tools)
        reply["tool_calls"][0]["args"].update(fetch_all_listed=True, fetch=[])
        return reply
    if tools == ["BatchPlan"]:
        return reply_for(messages, tools)
    listing = next(name for name in PLANS if name in tools)
    args, sample, download = PLANS[listing]
    done = turns(messages)
    if not done:
        return {"content": "", "tool_calls": [{"name": listing, "args": args}]}
    if len(done) > 1:  # older results are shortened in later turns: decide while the listing is fresh
        return {"content": "Explored.", "tool_calls": []}
    data = payload(done[0][0]["content"])["data"]
    return {
        "content": "",
        "tool_calls": [{"name": name, "args": call_args} for name, call_args in (sample(data), download(data))],
    }


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("llm-c")
    sources = [{"type": kind, "path": str(SAMPLE / kind)} for kind in ("slack", "notion", "xero")]
    state, deps, ctx = run_llm(tmp, sources, FakeModels(explorer), client_id="c")
    yield state
    deps.store.close_all()


def test_samples_are_not_downloads_and_downloads_land_as_the_offline_brain_lands_them(run):
    records = {r["source_type"]: r for r in run["explorations"]}
    assert {k: (r["status"], r["brain"]) for k, r in records.items()} == {
        "slack": ("ok", "model"),
        "notion": ("ok", "model"),
        "xero": ("ok", "model"),
    }
    # The manifest asked for every listed unit: channels (the model never listed files), pages, record kinds.
    assert {k: r["downloaded"] for k, r in records.items()} == {"slack": 4, "notion": 5, "xero": 2}
    slack = records["slack"]
    assert sorted(i["item_id"].split("/")[0] for i in slack["items"]) == ["C02OPS1", "C02PPL1", "C02WHL1", "C02WHL1"]
    whys = {d["item_id"]: d["why"] for d in slack["manifest"]["downloaded"]}
    assert len(whys) == 4 and all(whys.values())
    xero = records["xero"]
    # A filtered listing is a sample: invoices were listed by it and fetched by the manifest, contacts never listed.
    assert [i["item_id"] for i in xero["items"]] == ["accounts", "invoices"]
    assert {d["item_id"]: d["why"] for d in xero["manifest"]["downloaded"]}[
        "invoices"
    ] == "every listed item not skipped was wanted"
    assert run["report"]["items"]["failed"] == 0 and run["report"]["entries"]["inserted"] > 20
