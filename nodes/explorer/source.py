"""Explorer node: bind the source's scoped tools and a sandbox, then let the brain explore."""

from __future__ import annotations

from langgraph.runtime import Runtime

from nodes.context import Context
from nodes.deps import Deps
from nodes.explorer.offline import explore_offline
from nodes.explorer.start import empty_record, failure_reason, source_sandbox, start
from nodes.progress import emit
from nodes.state import ExplorerState


def explore_source(state: ExplorerState, runtime: Runtime[Context], *, deps: Deps) -> dict:
    """Explore one source; any error becomes a failed record instead of ending the run."""
    run = start(state, runtime)
    try:
        with source_sandbox(deps, run) as (sandbox, tools, known):
            record = explore_offline(
                run.ctx,
                run.source,
                run.key,
                tools,
                sandbox,
                lambda ev, **kw: emit(runtime, ev, **kw),
                known,
                state.get("hints"),
            )
    except Exception as exc:  # one bad source must never end the run
        record = empty_record(run, "failed", failure_reason(runtime, run, exc))
    record["hints_read"] = len(state.get("hints") or [])
    return {"record": record}
