"""Run the pipeline graph for the CLI: checkpointer, graph, streamed progress, then the report."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

from cli.output import err
from cli.progress import RunProgress
from cli.runs import open_checkpointer, remember_run, run_config
from nodes.context import Context


def run_pipeline(
    ctx: Context, concurrency: int, show_progress: bool, checkpoints: Path | None = None, resume: bool = False
) -> dict:
    """Run the pipeline with `ctx` (durably when `checkpoints` is given); show progress; return the report."""
    # The graph, its agents and their libraries load here, not at start-up: a re-run with nothing
    # to do (graphs.rerun_marks) never needs them.
    from nodes.deps import default_deps

    deps = default_deps()
    try:
        with ExitStack() as stack:
            saver = stack.enter_context(open_checkpointer(checkpoints)) if checkpoints else None
            graph, config = build_run(deps, ctx, saver, concurrency, resume)
            with RunProgress(err, enabled=show_progress) as progress:
                report = stream_report(graph, config, ctx, progress, resume)
            return report or saved_report(graph, config, saver)
    finally:
        deps.store.close_all()


def build_run(deps, ctx: Context, saver, concurrency: int, resume: bool) -> tuple:
    """The compiled pipeline and its run config; a new durable run is remembered in the checkpoints."""
    from graphs.pipeline import build_pipeline_graph

    graph = build_pipeline_graph(deps, checkpointer=saver, branch_checkpoints=saver is None)
    if saver is None:
        return graph, {"max_concurrency": concurrency}
    if not resume:
        remember_run(saver, ctx)
    return graph, run_config(ctx.run_id, concurrency)


def stream_report(graph, config: dict, ctx: Context, progress: RunProgress, resume: bool) -> dict:
    """Stream the run, feeding its progress events to `progress`; return the report node's report."""
    report: dict = {}
    # Every node is idempotent, so the default "async" durability is enough: a step whose
    # checkpoint was lost in a crash is simply run again on resume.
    # subgraphs=True: the explorers' and structurers' progress events come from inside
    # the subgraphs, and LangGraph only streams those when asked to.
    for ns, mode, chunk in graph.stream(
        None if resume else {}, config=config, context=ctx, stream_mode=["custom", "updates"], subgraphs=True
    ):
        if mode == "custom":
            progress.handle(chunk)
        elif not ns and "report" in chunk:
            report = chunk["report"]["report"]
    return report


def saved_report(graph, config: dict, saver) -> dict:
    """The report a durable run stored in its checkpoints (a resumed run that had already finished)."""
    if saver is None:
        return {}
    return graph.get_state(config).values.get("report") or {}
