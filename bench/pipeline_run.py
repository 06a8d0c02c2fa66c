"""Run the pipeline graph in this process, as `grove run` does, and time it (Python start-up excluded)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any


def run_pipeline(
    root: Path,
    sources: list[dict],
    deps: Any = None,
    concurrency: int = 16,
    keys: tuple[str, ...] = ("report",),
    **settings: Any,
) -> tuple[dict, float]:
    """Invoke the pipeline over `sources` with its KB and workspaces under `root`.

    Returns (the final state's `keys`, seconds of `invoke`).
    """
    # Imported here, not at module level: parser child processes re-import the main module.
    from graphs.pipeline import build_pipeline_graph
    from nodes.context import Context
    from nodes.deps import default_deps

    deps = deps or default_deps()
    ctx = Context(
        client_id=settings.pop("client_id", "bench"),
        sources=sources,
        db=str(root / "kb.db"),
        workspace_root=str(root / "ws"),
        **settings,
    )
    graph = build_pipeline_graph(deps)
    started = time.perf_counter()
    try:
        state = graph.invoke({}, context=ctx, config={"max_concurrency": concurrency}, output_keys=list(keys))
    finally:
        seconds = time.perf_counter() - started
        deps.store.close_all()
    return state, seconds


def quiet_logs() -> None:
    """Silence per-sandbox warnings (e.g. 'commands run as root'): they say nothing about speed."""
    import logging

    logging.getLogger("tools").setLevel(logging.ERROR)
    logging.getLogger("nodes").setLevel(logging.ERROR)
