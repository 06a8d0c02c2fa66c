"""The explorer graph: one source -> forum hints -> exploration -> manifest -> findings."""

from __future__ import annotations

from functools import partial

from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph

from nodes.collect_manifest import collect_manifest
from nodes.context import Context
from nodes.deps import Deps, default_deps
from nodes.explore_source import explore_source
from nodes.post_findings import post_findings
from nodes.read_hints import read_explore_hints
from nodes.state import ExplorerInput, ExplorerOutput, ExplorerState


def build_explorer_graph(deps: Deps) -> CompiledStateGraph:
    """Wire the explorer for one source; `deps` supplies store, sandbox and tool factories."""
    builder = StateGraph(ExplorerState, input_schema=ExplorerInput, output_schema=ExplorerOutput, context_schema=Context)
    builder.add_node("read_hints", partial(read_explore_hints, deps=deps))
    builder.add_node("explore_source", partial(explore_source, deps=deps))
    builder.add_node("collect_manifest", collect_manifest)
    builder.add_node("post_findings", post_findings)
    builder.add_edge(START, "read_hints")
    builder.add_edge("read_hints", "explore_source")
    builder.add_edge("explore_source", "collect_manifest")
    builder.add_edge("collect_manifest", "post_findings")
    builder.add_edge("post_findings", END)
    return builder.compile(name="explorer")


graph = build_explorer_graph(default_deps())
