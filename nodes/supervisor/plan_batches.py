"""Supervisor node: cut the joined items into batches, one structurer each."""

from __future__ import annotations

from langgraph.runtime import Runtime

from nodes.context import Context, context_of
from nodes.progress import emit
from nodes.state import PipelineState


def plan_batches(state: PipelineState, runtime: Runtime[Context]) -> dict:
    """Chunk items (already ordered by source and group, so a thread stays together) by `batch_size`."""
    ctx = context_of(runtime)
    items = [] if state.get("aborted") else state.get("items") or []
    size = max(1, ctx.batch_size)
    batches = [
        {"batch_id": f"batch-{n:05d}", "items": items[start : start + size]}
        for n, start in enumerate(range(0, len(items), size))
    ]
    emit(runtime, "batches_planned", batches=len(batches), items=len(items))
    return {"batches": batches}
