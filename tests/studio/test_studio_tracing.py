"""Every explorer and structurer call carries a run name, tags and metadata into LangSmith traces."""

from __future__ import annotations

import hashlib
import threading

import langsmith
from langchain_core.tracers.langchain import wait_for_all_tracers
from langsmith import tracing_context

from graphs.pipeline import build_pipeline_graph
from nodes.context import Context
from nodes.deps import default_deps

CLIENT = "acme-confidential"


class RecordingClient(langsmith.Client):
    """A LangSmith client that keeps the runs it is sent instead of posting them anywhere."""

    def __init__(self) -> None:
        super().__init__(api_key="not-a-key", api_url="http://127.0.0.1:9", auto_batch_tracing=False)
        self.recorded: dict[str, dict] = {}
        self._lock = threading.Lock()

    def create_run(self, name, inputs, run_type, *args, **kwargs):  # noqa: D102
        with self._lock:
            self.recorded[str(kwargs["id"])] = {"name": name, "run_type": run_type, **kwargs}

    def update_run(self, run_id, **kwargs):  # noqa: D102
        with self._lock:
            self.recorded.setdefault(str(run_id), {}).update({k: v for k, v in kwargs.items() if v is not None})


def traced_run(tmp_path, sources):
    client = RecordingClient()
    deps = default_deps()
    ctx = Context(
        client_id=CLIENT,
        sources=sources,
        db=str(tmp_path / "kb.db"),
        workspace_root=str(tmp_path / "ws"),
        isolation="process",
        batch_size=2,
    )
    with tracing_context(enabled=True, client=client, project_name="grove-tests"):
        out = build_pipeline_graph(deps).invoke({}, context=ctx)
    wait_for_all_tracers()
    deps.store.close_all()
    return out["report"], client.recorded


def metadata(run: dict) -> dict:
    return (run.get("extra") or {}).get("metadata") or {}


def test_each_agent_call_is_named_tagged_and_labelled(tmp_path, tiny_sources):
    report, runs = traced_run(tmp_path, tiny_sources)
    by_name = {r["name"]: r for r in runs.values() if "name" in r}
    digest = hashlib.sha256(CLIENT.encode()).hexdigest()[:16]

    explorers = {n: r for n, r in by_name.items() if n.startswith("explore ")}
    assert sorted(explorers) == ["explore drive-1", "explore gmail-0", "explore sheets-2"]
    for name, run in explorers.items():
        source_type = name.split()[1].split("-")[0]
        assert {"grove", "phase:explore", f"source:{source_type}"} <= set(run["tags"])
        assert metadata(run)["grove_run_id"] == report["run_id"]
        assert metadata(run)["client_id_hash"] == digest

    structurers = {n: r for n, r in by_name.items() if n.startswith("structure batch-")}
    assert len(structurers) == report["batches"]["total"] >= 2
    for run in structurers.values():
        assert "phase:structure" in run["tags"] and any(t.startswith("source:") for t in run["tags"])
        assert metadata(run)["client_id_hash"] == digest and metadata(run)["batch_id"] in run["name"]


def test_runs_inside_a_call_inherit_its_tags_and_the_client_id_never_appears(tmp_path, tiny_sources):
    _, runs = traced_run(tmp_path, tiny_sources)
    tools = [r for r in runs.values() if r.get("run_type") == "tool"]
    assert tools, "the explorers' tool calls are traced"
    gmail_tools = [r for r in tools if r["name"].startswith("GMAIL_")]
    assert gmail_tools and all({"phase:explore", "source:gmail"} <= set(r["tags"]) for r in gmail_tools)
    assert all(not any("source:sheets" == t for t in r["tags"]) for r in gmail_tools)
    for run in runs.values():
        values = [str(v) for v in metadata(run).values()] + list(run.get("tags") or [])
        assert not any(CLIENT in v for v in values), f"client id leaked into {run.get('name')}"
