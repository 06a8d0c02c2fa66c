"""Run the pipeline through the model brain with a given chat model factory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from langgraph.checkpoint.memory import InMemorySaver

from graphs.pipeline import build_pipeline_graph
from nodes.context import Context
from nodes.deps import default_deps


def run_llm(
    tmp_path: Path,
    sources: list[dict],
    models: Any = None,
    *,
    concurrency: int = 4,
    callbacks: list | None = None,
    **settings: Any,
) -> tuple[dict, Any, Context]:
    """Run the whole pipeline with `models` as the chat model factory; return (full state, deps, ctx).

    A checkpointer keeps the whole state (the pipeline's output is only the report), and proves the
    model brain's state is serialisable.
    """
    deps = default_deps(**({"chat_model": models} if models is not None else {}))
    ctx = Context(
        client_id=settings.pop("client_id", "acme"),
        sources=sources,
        db=str(tmp_path / "kb.db"),
        workspace_root=str(tmp_path / "ws"),
        isolation="process",
        model=settings.pop("model", "fake:model"),
        **settings,
    )
    config: dict = {"max_concurrency": concurrency, "configurable": {"thread_id": "llm-test"}}
    if callbacks:
        config["callbacks"] = callbacks
    graph = build_pipeline_graph(deps, checkpointer=InMemorySaver())
    graph.invoke({}, context=ctx, config=config)
    return graph.get_state(config).values, deps, ctx
