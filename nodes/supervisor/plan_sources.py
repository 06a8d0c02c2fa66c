"""Supervisor node: fix the run id and the list of sources the explorers fan out over."""

from __future__ import annotations

import time

from langgraph.runtime import Runtime

from nodes.context import Context, context_of, source_key
from nodes.progress import emit
from nodes.run_ids import new_run_id
from nodes.state import PipelineState


def plan_sources(state: PipelineState, runtime: Runtime[Context]) -> dict:
    """Name each configured source and start the run clock."""
    ctx = context_of(runtime)
    run_id = state.get("run_id") or ctx.run_id or new_run_id()
    planned = []
    for i, src in enumerate(ctx.sources):
        source = {"connection": "local", **src}
        planned.append({"source_key": source_key(source, i), "source": source})
    emit(runtime, "run_started", run_id=run_id, client_id=ctx.client_id, sources=len(planned))
    return {"run_id": run_id, "started_at": state.get("started_at") or time.time(), "planned": planned}
