"""Run names, tags and metadata each explorer and structurer call carries into traces (LangSmith)."""

from __future__ import annotations

from typing import Callable

from langchain_core.runnables import RunnableConfig
from langchain_core.runnables.config import merge_configs
from langgraph.graph.state import CompiledStateGraph
from langgraph.runtime import Runtime

from nodes.context import Context, context_of
from nodes.tracing import client_id_hash

Describe = Callable[[dict, Context], RunnableConfig]


def _call_config(
    name: str, phase: str, source_types: list[str], payload: dict, ctx: Context, **extra: str
) -> RunnableConfig:
    types = sorted({t for t in source_types if t})
    return {
        "run_name": name,
        "tags": ["grove", f"phase:{phase}", *(f"source:{t}" for t in types)],
        "metadata": {
            "grove_run_id": payload.get("run_id", ""),
            "client_id_hash": client_id_hash(ctx.client_id),
            "phase": phase,
            "source_types": types,
            **extra,
        },
    }


def explorer_call(payload: dict, ctx: Context) -> RunnableConfig:
    """Name, tags and metadata of one explorer call (one source)."""
    key = payload.get("source_key", "")
    return _call_config(
        f"explore {key}", "explore", [(payload.get("source") or {}).get("type", "")], payload, ctx, source_key=key
    )


def structurer_call(payload: dict, ctx: Context) -> RunnableConfig:
    """Name, tags and metadata of one structurer call (one batch, maybe of several source types)."""
    batch = payload.get("batch") or {}
    types = [item.get("source_type", "") for item in batch.get("items") or []]
    return _call_config(
        f"structure {batch.get('batch_id', '')}", "structure", types, payload, ctx, batch_id=batch.get("batch_id", "")
    )


def agent_node(graph: CompiledStateGraph, describe: Describe) -> Callable[..., dict]:
    """Wrap a subgraph as the node a Send targets, invoking it with its call's run name, tags and metadata.

    Tags and metadata are inherited by every run inside the call (nodes, tools, model calls).
    The subgraph stays visible to Studio and to `get_graph(xray=True)`: LangGraph finds it
    through this closure.
    """

    def call(payload: dict, config: RunnableConfig, runtime: Runtime[Context]) -> dict:
        return graph.invoke(payload, merge_configs(config, describe(payload, context_of(runtime))))

    call.__name__ = call.__qualname__ = f"{graph.name}_call"
    return call
