"""Explorer node: bind the source's scoped tools and a sandbox, then let the brain explore."""

from __future__ import annotations

from langgraph.runtime import Runtime

from nodes.context import Context, context_of
from nodes.deps import Deps
from nodes.explorer.base import ledger_of
from nodes.explorer.offline import explore_offline
from nodes.progress import emit
from nodes.state import ExplorerState, SourceRecord


def explore_source(state: ExplorerState, runtime: Runtime[Context], *, deps: Deps) -> dict:
    """Explore one source; any error becomes a failed record instead of ending the run."""
    ctx = context_of(runtime)
    source, key = state["source"], state["source_key"]
    run_id = state.get("run_id") or ctx.run_id or "adhoc"
    emit(runtime, "source_started", source=key, type=source.get("type"))
    sandbox = None
    try:
        sandbox = deps.sandbox(ctx, run_id, f"explore-{key}")
        tools = deps.explorer_tools(ctx, source, sandbox)
        known = ledger_of(deps.store(ctx), ctx.client_id, source["type"])
        record = explore_offline(ctx, source, key, tools, sandbox, lambda ev, **kw: emit(runtime, ev, **kw), known,
                                 state.get("hints"))
    except Exception as exc:  # one bad source must never end the run
        reason = f"{type(exc).__name__}: {exc}"
        emit(runtime, "source_failed", source=key, reason=reason)
        record = SourceRecord(source_key=key, source_type=source.get("type", ""), status="failed", reason=reason,
                              listed=0, downloaded=0, bytes=0, skipped=[], failures=[], items=[])
    finally:
        if sandbox is not None:
            sandbox.close()  # releases the workspace; its files stay for the structurers
    record["hints_read"] = len(state.get("hints") or [])
    return {"record": record}
