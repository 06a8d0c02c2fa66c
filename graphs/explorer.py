"""The explorer graph: one source -> forum hints -> exploration (offline or model brain) -> manifest -> findings."""

from __future__ import annotations

from functools import partial

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.runtime import Runtime

from nodes.context import Context, context_of
from nodes.deps import Deps, default_deps
from nodes.explorer.collect_manifest import collect_manifest
from nodes.explorer.llm import explore_with_model
from nodes.explorer.post_findings import post_findings
from nodes.explorer.source import explore_source
from nodes.forum.read_hints import read_explore_hints
from nodes.models import model_name
from nodes.state import ExplorerInput, ExplorerOutput, ExplorerState


def route_explorer_brain(state: ExplorerState, runtime: Runtime[Context]) -> str:
    """The model brain when an explorer model is configured, else the offline brain."""
    return "explore_with_model" if model_name(context_of(runtime), "explorer") else "explore_source"


def build_explorer_graph(deps: Deps, checkpointer: BaseCheckpointSaver | bool | None = None) -> CompiledStateGraph:
    """Wire the explorer for one source; `deps` supplies store, sandbox and tool factories."""
    builder = StateGraph(
        ExplorerState, input_schema=ExplorerInput, output_schema=ExplorerOutput, context_schema=Context
    )
    builder.add_node("read_hints", partial(read_explore_hints, deps=deps))
    builder.add_node("explore_source", partial(explore_source, deps=deps))
    builder.add_node("explore_with_model", partial(explore_with_model, deps=deps))
    builder.add_node("collect_manifest", collect_manifest)
    builder.add_node("post_findings", post_findings)
    builder.add_edge(START, "read_hints")
    builder.add_conditional_edges("read_hints", route_explorer_brain, ["explore_source", "explore_with_model"])
    builder.add_edge("explore_source", "collect_manifest")
    builder.add_edge("explore_with_model", "collect_manifest")
    builder.add_edge("collect_manifest", "post_findings")
    builder.add_edge("post_findings", END)
    return builder.compile(name="explorer", checkpointer=checkpointer)


graph = build_explorer_graph(default_deps())
