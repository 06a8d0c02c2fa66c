"""Supervisor node: the single join after the structurers."""

from __future__ import annotations

from langgraph.runtime import Runtime

from nodes.context import Context
from nodes.progress import emit
from nodes.state import PipelineState


def join_structures(state: PipelineState, runtime: Runtime[Context]) -> dict:
    """Wait for every structurer branch; the reducer has already merged their records by batch id."""
    records = state.get("structures") or []
    emit(runtime, "structures_joined", batches=len(records),
         drafts=sum(len(r.get("drafts") or []) for r in records))
    return {}
