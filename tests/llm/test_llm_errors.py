"""Tool errors go back to the model; platform errors and missing keys end the source as a failed record."""

from __future__ import annotations

import pytest
from llm_fakes import FakeModels
from llm_harness import run_llm
from llm_policies import payload, reply_for, turns

from graphs.pipeline import build_pipeline_graph
from nodes.context import Context
from nodes.deps import default_deps, make_explorer_tools
from nodes.explorer.tool_gate import is_platform_problem


def clumsy(messages, tools):
    """Ask for a tool it does not have and call one with missing arguments, then explore normally."""
    done = turns(messages)
    if not done:
        return {
            "content": "",
            "tool_calls": [
                {"name": "GOOGLEDRIVE_LIST_FILES", "args": {}},
                {"name": "GMAIL_GET_ATTACHMENT", "args": {"message_id": "nope"}},
            ],
        }
    if len(done) == 1:
        return {"content": "", "tool_calls": [{"name": "GMAIL_FETCH_EMAILS", "args": {"page_token": "bogus"}}]}
    starts = [i for i, m in enumerate(messages) if m["role"] == "assistant"]
    end = starts[2] if len(starts) > 2 else len(messages)
    return reply_for(messages[: starts[0]] + messages[end:], tools)


def test_tool_errors_reach_the_model_and_the_explorer_goes_on(tmp_path, tiny_sources):
    seen = []

    def policy(messages, tools):
        seen.append([m for m in messages if m["role"] == "tool"])
        return clumsy(messages, tools)

    state, deps, _ = run_llm(tmp_path, tiny_sources[:1], FakeModels(policy))
    deps.store.close_all()
    first, second = seen[1], seen[2][2:]
    assert "not a valid tool" in first[0]["content"] and "GMAIL_FETCH_EMAILS" in first[0]["content"]
    assert payload(first[1]["content"])["successful"] is False  # unknown message: an error envelope
    assert "invalid page token" in payload(second[0]["content"])["error"]
    (record,) = state["explorations"]
    assert record["status"] == "ok" and record["downloaded"] == 3
    assert record["failures"] == []  # a made-up id is the model's mistake, not a failed item of the source


def test_a_platform_error_fails_the_source_and_keeps_the_run_going(tmp_path, tiny_sources):
    def no_account(ctx, source, sandbox):
        runner = make_explorer_tools(ctx, source, sandbox)
        if source["type"] != "drive":
            return runner
        listing = next(t for t in runner.tools if t.name == "GOOGLEDRIVE_LIST_FILES")
        listing.func = lambda **kw: {"successful": False, "data": {}, "error": "No connected account found for user"}
        return runner

    deps = default_deps(chat_model=FakeModels(), explorer_tools=no_account)
    ctx = Context(
        client_id="c",
        sources=tiny_sources,
        db=str(tmp_path / "kb.db"),
        workspace_root=str(tmp_path / "ws"),
        isolation="process",
        model="fake:m",
    )
    report = build_pipeline_graph(deps).invoke({}, context=ctx)["report"]
    deps.store.close_all()
    status = {s["type"]: (s["status"], s["reason"]) for s in report["sources"]}
    assert status["drive"][0] == "failed" and "No connected account found" in status["drive"][1]
    assert status["drive"][1].startswith("PlatformError")
    assert status["gmail"][0] == status["sheets"][0] == "ok" and report["entries"]["inserted"] > 0


def test_a_missing_key_fails_each_source_with_the_variable_named(tmp_path, tiny_sources, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    state, deps, _ = run_llm(tmp_path, tiny_sources[1:2], None, model="openai:gpt-4o-mini")
    deps.store.close_all()
    (record,) = state["explorations"]
    assert record["status"] == "failed" and "OPENAI_API_KEY is not set" in record["reason"]


@pytest.mark.parametrize(
    "text",
    [
        "Unauthorized: token has expired",
        "HTTP 401 from provider",
        "ConnectedAccountNotFound",
        "No active connection for gmail",
    ],
)
def test_platform_problems_are_recognised(text):
    assert is_platform_problem(text)
    assert not is_platform_problem("message not found: 'abc'") and not is_platform_problem("invalid page token")
