"""The real ChatOpenAI against a loopback OpenAI-compatible server: tool calls, structured output, usage."""

from __future__ import annotations

import pytest
from llm_harness import run_llm
from llm_server import OpenAICompatibleServer

from tools.sandbox.tools import SANDBOX_TOOL_NAMES
from tools.sources.toolkits import READ_TOOLS, SOURCE_TOOLKIT


@pytest.mark.allow_hosts(["127.0.0.1"])
def test_pipeline_over_the_openai_wire_format(tmp_path, tiny_sources, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    with OpenAICompatibleServer() as server:
        state, deps, _ = run_llm(tmp_path, tiny_sources, None, model="openai:test-model", base_url=server.url)
        requests = list(server.requests)
    deps.store.close_all()
    report = state["report"]
    assert [s["status"] for s in report["sources"]] == ["ok", "ok", "ok"], report["sources"]
    assert report["brain"] == "model:openai:test-model" and report["brains"]["fallbacks"] == []
    assert report["entries"]["inserted"] == 6 and report["forum"]["posted"] > 0
    assert {r["path"] for r in requests} == {"/v1/chat/completions"} and {r["model"] for r in requests} == {
        "test-model"
    }

    # Tool-calling turns carried exactly one source's read tools plus the sandbox tools.
    loops = [r for r in requests if not r["schema"]]
    allowed = [sorted(READ_TOOLS[toolkit] + tuple(SANDBOX_TOOL_NAMES)) for toolkit in SOURCE_TOOLKIT.values()]
    assert loops and all(sorted(r["tools"]) in allowed for r in loops)
    assert {r["schema"] for r in requests if r["schema"]} == {"Manifest", "BatchPlan"}

    # Usage in the report is what the server said, per call, summed.
    total = report["usage"]["total"]
    assert total["calls"] == len(requests)
    assert total["input_tokens"] == sum(r["usage"]["prompt_tokens"] for r in requests)
    assert total["output_tokens"] == sum(r["usage"]["completion_tokens"] for r in requests)
    assert all(row["unreported_calls"] == 0 for row in report["usage"]["agents"].values())
