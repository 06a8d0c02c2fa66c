"""The pipeline (supervisor) graph: explorers fan out per source, structurers per batch, then the KB node."""

from __future__ import annotations

from functools import partial

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Send

from graphs.agent_runs import agent_node, explorer_call, structurer_call
from graphs.explorer import build_explorer_graph
from graphs.structurer import build_structurer_graph
from nodes.consolidation.consolidate import consolidate
from nodes.context import Context
from nodes.deps import Deps, default_deps
from nodes.state import PipelineInput, PipelineOutput, PipelineState
from nodes.supervisor.join_explorations import join_explorations
from nodes.supervisor.join_structures import join_structures
from nodes.supervisor.plan_batches import plan_batches
from nodes.supervisor.plan_sources import plan_sources
from nodes.supervisor.report import report
from nodes.supervisor.write_kb import write_kb


def route_sources(state: PipelineState) -> list[Send] | str:
    """One explorer per source; with no sources, go straight to the join."""
    planned = state.get("planned") or []
    if not planned:
        return "join_explorations"
    return [Send("explore", {"run_id": state["run_id"], **p}) for p in planned]


def route_batches(state: PipelineState) -> list[Send] | str:
    """One structurer per batch; with nothing to structure, go straight to the join."""
    batches = state.get("batches") or []
    if not batches:
        return "join_structures"
    tree = state.get("tree") or []
    return [Send("structure", {"run_id": state["run_id"], "batch": b, "tree": tree}) for b in batches]


def build_pipeline_graph(
    deps: Deps, checkpointer: BaseCheckpointSaver | None = None, branch_checkpoints: bool = True
) -> CompiledStateGraph:
    """Wire the supervisor around the explorer and structurer subgraphs (durable with a checkpointer).

    With `branch_checkpoints=False` the branches keep no checkpoints of their own: a branch cut short
    is simply run again on resume, while the supervisor's checkpoints keep every finished branch's
    output. That keeps a CLI run's checkpoint file small; Studio and servers keep the default, under
    which the branches show as subgraphs.
    """
    branch_saver = None if branch_checkpoints else False
    builder = StateGraph(
        PipelineState, input_schema=PipelineInput, output_schema=PipelineOutput, context_schema=Context
    )
    builder.add_node("plan_sources", plan_sources)
    builder.add_node("explore", agent_node(build_explorer_graph(deps, checkpointer=branch_saver), explorer_call))
    builder.add_node("join_explorations", partial(join_explorations, deps=deps))
    builder.add_node("plan_batches", plan_batches)
    builder.add_node("structure", agent_node(build_structurer_graph(deps, checkpointer=branch_saver), structurer_call))
    builder.add_node("join_structures", join_structures)
    builder.add_node("consolidate", partial(consolidate, deps=deps))
    builder.add_node("write_kb", partial(write_kb, deps=deps))
    builder.add_node("report", partial(report, deps=deps))
    builder.add_edge(START, "plan_sources")
    builder.add_conditional_edges("plan_sources", route_sources, ["explore", "join_explorations"])
    builder.add_edge("explore", "join_explorations")
    builder.add_edge("join_explorations", "plan_batches")
    builder.add_conditional_edges("plan_batches", route_batches, ["structure", "join_structures"])
    builder.add_edge("structure", "join_structures")
    builder.add_edge("join_structures", "consolidate")
    builder.add_edge("consolidate", "write_kb")
    builder.add_edge("write_kb", "report")
    builder.add_edge("report", END)
    return builder.compile(name="pipeline", checkpointer=checkpointer)


graph = build_pipeline_graph(default_deps())
