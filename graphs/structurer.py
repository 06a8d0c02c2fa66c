"""The structurer graph: one batch -> forum hints -> parse -> entries -> tree paths (offline or model) -> patterns."""

from __future__ import annotations

from functools import partial

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.runtime import Runtime

from nodes.context import Context, context_of
from nodes.deps import Deps, default_deps
from nodes.forum.read_hints import read_structure_hints
from nodes.models import model_name
from nodes.state import StructurerInput, StructurerOutput, StructurerState
from nodes.structurer.extract_entries import extract_entries
from nodes.structurer.llm import propose_with_model
from nodes.structurer.parse_items import parse_items
from nodes.structurer.post_patterns import post_patterns
from nodes.structurer.propose_paths import propose_paths


def route_structurer_brain(state: StructurerState, runtime: Runtime[Context]) -> str:
    """The model brain when a structurer model is configured, else the offline brain."""
    return "propose_with_model" if model_name(context_of(runtime), "structurer") else "propose_paths"


def build_structurer_graph(deps: Deps, checkpointer: BaseCheckpointSaver | bool | None = None) -> CompiledStateGraph:
    """Wire the structurer for one batch of downloaded items."""
    builder = StateGraph(
        StructurerState, input_schema=StructurerInput, output_schema=StructurerOutput, context_schema=Context
    )
    builder.add_node("read_hints", partial(read_structure_hints, deps=deps))
    builder.add_node("parse_items", parse_items)
    builder.add_node("extract_entries", extract_entries)
    builder.add_node("propose_paths", partial(propose_paths, deps=deps))
    builder.add_node("propose_with_model", partial(propose_with_model, deps=deps))
    builder.add_node("post_patterns", post_patterns)
    builder.add_edge(START, "read_hints")
    builder.add_edge("read_hints", "parse_items")
    builder.add_edge("parse_items", "extract_entries")
    builder.add_conditional_edges("extract_entries", route_structurer_brain, ["propose_paths", "propose_with_model"])
    builder.add_edge("propose_paths", "post_patterns")
    builder.add_edge("propose_with_model", "post_patterns")
    builder.add_edge("post_patterns", END)
    return builder.compile(name="structurer", checkpointer=checkpointer)


graph = build_structurer_graph(default_deps())
