"""Pipeline behaviour on small exports: tool scoping, failure isolation, concurrency, idempotency."""

from __future__ import annotations

import threading
import time

from nodes.context import Context
from nodes.deps import default_deps, make_explorer_tools
from tools.sandbox.tools import SANDBOX_TOOL_NAMES
from tools.sources.toolkits import READ_TOOLS, SOURCE_TOOLKIT


def test_each_explorer_is_bound_only_to_its_own_source_tools_plus_sandbox_tools(tmp_path, tiny_sources, pipeline):
    run_pipeline, _ = pipeline
    bound: dict[str, set[str]] = {}

    def recording(ctx, source, sandbox):
        runner = make_explorer_tools(ctx, source, sandbox)
        bound[source["type"]] = set(runner.names)
        return runner

    state, deps = run_pipeline(tmp_path, tiny_sources, deps=default_deps(explorer_tools=recording))
    deps.store.close_all()
    assert set(bound) == {"gmail", "drive", "sheets"}
    for source_type, names in bound.items():
        assert names == set(READ_TOOLS[SOURCE_TOOLKIT[source_type]]) | set(SANDBOX_TOOL_NAMES)
        others = {n for st, tk in SOURCE_TOOLKIT.items() if st != source_type for n in READ_TOOLS[tk]}
        assert not names & others
        assert not any("SEND" in n or "DELETE" in n or "CREATE" in n for n in names)
    assert all(s["status"] == "ok" for s in state["report"]["sources"])


def test_small_export_lands_every_item_with_its_locator(tmp_path, tiny_sources, pipeline):
    run_pipeline, _ = pipeline
    state, deps = run_pipeline(tmp_path, tiny_sources)
    store = deps.store(Context(client_id="a", db=str(tmp_path / "kb.db")))
    locators = {e.locator.split("#")[0] for e in store.entries("a")}
    deps.store.close_all()
    assert "drive:Legal/nda.txt" in locators and "drive:HR/handbook.md" in locators
    assert any(loc.startswith("sheets:Trades") for loc in locators)
    assert sum(loc.startswith("gmail:") and "/" not in loc for loc in locators) == 2
    assert any(loc.startswith("gmail:") and loc.endswith("/invoice.txt") for loc in locators)
    assert state["report"]["failures"] == []


def test_a_broken_source_fails_alone(tmp_path, tiny_sources, pipeline):
    run_pipeline, _ = pipeline
    sources = tiny_sources + [{"type": "drive", "path": str(tmp_path / "missing")}]
    state, deps = run_pipeline(tmp_path, sources)
    deps.store.close_all()
    report = state["report"]
    statuses = {s["source"]: s["status"] for s in report["sources"]}
    assert statuses == {"gmail-0": "ok", "drive-1": "ok", "sheets-2": "ok", "drive-3": "failed"}
    failed = next(s for s in report["sources"] if s["source"] == "drive-3")
    assert "missing" in failed["reason"]
    assert report["entries"]["inserted"] > 0


def test_an_explorer_crash_becomes_a_failed_record(tmp_path, tiny_sources, pipeline):
    run_pipeline, _ = pipeline

    def flaky(ctx, source, sandbox):
        if source["type"] == "sheets":
            raise RuntimeError("connector exploded")
        return make_explorer_tools(ctx, source, sandbox)

    state, deps = run_pipeline(tmp_path, tiny_sources, deps=default_deps(explorer_tools=flaky))
    deps.store.close_all()
    sheets = next(s for s in state["report"]["sources"] if s["type"] == "sheets")
    assert sheets["status"] == "failed" and "connector exploded" in sheets["reason"]
    assert state["report"]["entries"]["inserted"] > 0


def test_a_structurer_crash_fails_its_batch_only(tmp_path, tiny_sources, pipeline):
    run_pipeline, _ = pipeline
    from kb.taxonomy import load_taxonomy

    calls = {"n": 0}

    def taxonomy(ctx):
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("taxonomy unreadable")
        return load_taxonomy()

    state, deps = run_pipeline(
        tmp_path, tiny_sources, deps=default_deps(taxonomy=taxonomy), batch_size=2, concurrency=1
    )
    deps.store.close_all()
    batches = state["report"]["batches"]
    assert batches["failed"] == 1 and batches["ok"] == batches["total"] - 1 >= 1
    assert any("taxonomy unreadable" in f["reason"] for f in state["report"]["failures"])
    assert state["report"]["entries"]["inserted"] > 0


def test_max_concurrency_bounds_the_explorers_running_at_once(tmp_path, tiny_sources, pipeline):
    run_pipeline, _ = pipeline
    drive = next(s for s in tiny_sources if s["type"] == "drive")
    sources = [dict(drive) for _ in range(4)]
    lock, active, peak = threading.Lock(), [0], [0]

    def slow(ctx, source, sandbox):
        runner = make_explorer_tools(ctx, source, sandbox)
        original = runner.invoke

        def invoke(name, args):
            with lock:
                active[0] += 1
                peak[0] = max(peak[0], active[0])
            try:
                time.sleep(0.05)
                return original(name, args)
            finally:
                with lock:
                    active[0] -= 1

        runner.invoke = invoke
        return runner

    state, deps = run_pipeline(tmp_path, sources, deps=default_deps(explorer_tools=slow), concurrency=2)
    deps.store.close_all()
    assert 1 <= peak[0] <= 2
    assert [s["status"] for s in state["report"]["sources"]] == ["ok"] * 4


def test_no_sources_still_reports(tmp_path, pipeline):
    run_pipeline, _ = pipeline
    state, deps = run_pipeline(tmp_path, [])
    deps.store.close_all()
    assert state["report"]["sources"] == [] and state["report"]["entries"]["inserted"] == 0
