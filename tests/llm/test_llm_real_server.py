"""Opt-in: run grove on a few items against a real OpenAI-compatible server (llama.cpp, vLLM, Ollama, LM Studio).

Set GROVE_TEST_OPENAI_BASE_URL (e.g. http://127.0.0.1:8080/v1) and, if the server needs it, GROVE_TEST_OPENAI_MODEL.
"""

from __future__ import annotations

import os

import pytest
from llm_harness import run_llm

URL = os.environ.get("GROVE_TEST_OPENAI_BASE_URL", "")
MODEL = os.environ.get("GROVE_TEST_OPENAI_MODEL", "local-model")


@pytest.mark.slow  # a real model answers in seconds per call, not milliseconds
@pytest.mark.enable_socket
@pytest.mark.skipif(not URL, reason="set GROVE_TEST_OPENAI_BASE_URL to run against a real local model server")
def test_a_real_local_model_explores_and_structures_a_few_items(tmp_path, tiny_sources):
    state, deps, _ = run_llm(
        tmp_path,
        tiny_sources[1:],
        None,
        concurrency=2,
        model=f"openai:{MODEL}",
        base_url=URL,
        max_items_per_source=3,
        max_model_calls=8,
        batch_size=3,
        max_tokens=200_000,
    )
    deps.store.close_all()
    report = state["report"]
    assert report["brains"]["explorer"] == f"model:openai:{MODEL}"
    assert all(s["status"] != "failed" for s in report["sources"]), report["sources"]
    usage = report["usage"]["total"]
    assert usage["calls"] >= 2 and (usage["total_tokens"] > 0 or usage["unreported_calls"] == usage["calls"])
    # Whatever the model chose, each batch was written by it or, with a reason, by the offline brain.
    for batch in state.get("structures") or []:
        assert batch["brain"] == "model" or batch.get("fallback_reason")
    print({"usage": report["usage"]["agents"], "entries": report["entries"], "brain": report["brain"]})
