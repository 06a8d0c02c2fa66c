"""Model calls carry each agent's run name, tags and metadata, as LangSmith shows them."""

from __future__ import annotations

import hashlib
import threading

from langchain_core.callbacks import BaseCallbackHandler
from llm_fakes import FakeModels
from llm_harness import run_llm


class ModelStarts(BaseCallbackHandler):
    """Records the name, tags and metadata of every chat model run, and the names of agent-named chains."""

    def __init__(self) -> None:
        self.runs: list[dict] = []
        self.chains: set[str] = set()
        self.lock = threading.Lock()

    def on_chat_model_start(self, serialized, messages, *, run_id, tags=None, metadata=None, name=None, **kwargs):
        with self.lock:
            self.runs.append({"name": name, "tags": set(tags or []), "metadata": dict(metadata or {})})

    def on_chain_start(self, serialized, inputs, *, run_id, tags=None, metadata=None, name=None, **kwargs):
        if name and name.startswith(("explore-", "structure-")):
            with self.lock:
                self.chains.add(name)


def test_model_calls_are_named_tagged_and_labelled_per_agent(tmp_path, tiny_sources):
    starts = ModelStarts()
    state, deps, ctx = run_llm(tmp_path, tiny_sources, FakeModels(), callbacks=[starts], client_id="acme")
    deps.store.close_all()
    run_id = state["run_id"]
    agents = {"explore-gmail-0", "explore-drive-1", "explore-sheets-2", "structure-batch-00000"}
    # Loop turns are chat model runs named after their agent; structured calls are chains of that name.
    assert {r["name"] for r in starts.runs if r["metadata"]["step"].startswith("turn-")} == agents - {
        "structure-batch-00000"
    }
    assert agents <= starts.chains
    client_hash = hashlib.sha256(b"acme").hexdigest()[:16]
    for run in starts.runs:
        meta = run["metadata"]
        assert meta["grove_run_id"] == run_id and meta["client_id_hash"] == client_hash and meta["agent"] in agents
        assert "acme" not in str(meta.values())
        assert {"grove", f"phase:{meta['phase']}", "brain:model"} <= run["tags"]
        if meta["phase"] == "explore":
            assert f"source:{meta['agent'].split('-')[1]}" in run["tags"]
    steps = {r["metadata"]["step"] for r in starts.runs}
    assert {"turn-1", "manifest", "plan"} <= steps
