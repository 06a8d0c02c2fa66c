"""What both explorer brains do around their exploration: name the agent, hold its sandbox, record a failure."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from langgraph.runtime import Runtime

from nodes.context import Context, context_of
from nodes.deps import Deps
from nodes.explorer.base import ledger_of
from nodes.progress import emit
from nodes.state import ExplorerState, SourceRecord


@dataclass(frozen=True)
class Exploration:
    """One explorer's run: its settings, its source, and the names its workspace and usage go by."""

    ctx: Context
    source: dict
    key: str
    run_id: str
    agent: str


def start(state: ExplorerState, runtime: Runtime[Context], **event: Any) -> Exploration:
    """Name the exploration and announce it on the progress stream."""
    ctx = context_of(runtime)
    source, key = state["source"], state["source_key"]
    emit(runtime, "source_started", source=key, type=source.get("type"), **event)
    return Exploration(ctx, source, key, state.get("run_id") or ctx.run_id or "adhoc", f"explore-{key}")


@contextmanager
def source_sandbox(deps: Deps, run: Exploration) -> Iterator[tuple[Any, Any, Any]]:
    """The agent's sandbox, the source's scoped tools and the ledger's known items; the sandbox is closed after.

    Closing releases the workspace; its files stay for the structurers.
    """
    sandbox = deps.sandbox(run.ctx, run.run_id, run.agent)
    try:
        tools = deps.explorer_tools(run.ctx, run.source, sandbox)
        yield sandbox, tools, ledger_of(deps.store(run.ctx), run.ctx.client_id, run.source["type"])
    finally:
        sandbox.close()


def failure_reason(runtime: Runtime[Context], run: Exploration, exc: Exception) -> str:
    """Announce that the source failed and return the reason a record carries."""
    reason = f"{type(exc).__name__}: {exc}"
    emit(runtime, "source_failed", source=run.key, reason=reason)
    return reason


def empty_record(run: Exploration, status: str, reason: str, **extra: Any) -> SourceRecord:
    """The record of a source that yielded nothing (failed or skipped), with the reason."""
    return SourceRecord(
        source_key=run.key,
        source_type=run.source.get("type", ""),
        status=status,
        reason=reason,
        listed=0,
        downloaded=0,
        bytes=0,
        skipped=[],
        failures=[],
        items=[],
        **extra,
    )
