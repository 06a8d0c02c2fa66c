"""Each explorer's model is bound to its own source's read tools plus the sandbox tools, nothing else."""

from __future__ import annotations

from llm_fakes import FakeModels
from llm_harness import run_llm

from tools.sandbox.tools import SANDBOX_TOOL_NAMES
from tools.sources.toolkits import READ_TOOLS, SOURCE_TOOLKIT


def test_each_explorer_sees_only_its_source_tools_and_the_sandbox(tmp_path, tiny_sources):
    models = FakeModels()
    state, deps, _ = run_llm(tmp_path, tiny_sources, models)
    deps.store.close_all()
    explorers = models.of("explorer")
    assert len(explorers) == 3
    by_source = {}
    for model in explorers:
        loop_tools = model.bound[0]
        source = next(s for s, toolkit in SOURCE_TOOLKIT.items() if set(READ_TOOLS[toolkit]) & set(loop_tools))
        by_source[source] = model
        assert sorted(loop_tools) == sorted(READ_TOOLS[SOURCE_TOOLKIT[source]] + tuple(SANDBOX_TOOL_NAMES))
        others = {t for s, toolkit in SOURCE_TOOLKIT.items() if s != source for t in READ_TOOLS[toolkit]}
        assert not others & set(loop_tools)
        # Every turn of the loop carried that same set; the one later binding is the manifest schema.
        turns = [names for names, _ in model.seen if names != ["Manifest"]]
        assert turns and all(names == loop_tools for names in turns)
        assert model.bound[1:] == [["Manifest"]]
    assert sorted(by_source) == ["drive", "gmail", "sheets"]
    for model in models.of("structurer"):
        assert model.bound == [["BatchPlan"]]  # a structurer reads data only: it has no tools at all
    assert all(r["status"] == "ok" for r in state["explorations"])
