"""The kb_query graph: a question (and optional subtree) -> the client's best entries -> an answer with locators."""

from __future__ import annotations

from functools import partial

from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph

from nodes.context import Context
from nodes.deps import Deps, default_deps
from nodes.query.compose_answer import compose_answer
from nodes.query.retrieve_entries import retrieve_entries
from nodes.query.state import QueryInput, QueryOutput, QueryState


def build_kb_query_graph(deps: Deps) -> CompiledStateGraph:
    """Wire search then answer; `deps.store` opens the KB the run settings name."""
    builder = StateGraph(QueryState, input_schema=QueryInput, output_schema=QueryOutput, context_schema=Context)
    builder.add_node("retrieve_entries", partial(retrieve_entries, deps=deps))
    builder.add_node("compose_answer", compose_answer)
    builder.add_edge(START, "retrieve_entries")
    builder.add_edge("retrieve_entries", "compose_answer")
    builder.add_edge("compose_answer", END)
    return builder.compile(name="kb_query")


graph = build_kb_query_graph(default_deps())
