"""Supervisor node: the single join after the structurers."""

from __future__ import annotations

from langgraph.runtime import Runtime

from nodes.context import Context, context_of
from nodes.progress import emit
from nodes.state import PipelineState
from nodes.supervisor.join_explorations import too_many_failures


def join_structures(state: PipelineState, runtime: Runtime[Context]) -> dict:
    """Wait for every structurer branch, then apply the abort threshold to the structuring phase."""
    records = state.get("structures") or []
    failed = sum(len(r.get("failures") or []) for r in records)
    total = sum(len(r.get("parsed") or []) or len(r.get("failures") or []) for r in records)
    emit(runtime, "structures_joined", batches=len(records), drafts=sum(len(r.get("drafts") or []) for r in records))
    if not state.get("aborted") and too_many_failures(context_of(runtime), failed, total):
        # Everything structured is still written: the threshold only marks the run as aborted.
        return {"aborted": f"{failed} of {total} items failed while structuring"}
    return {}
