"""What each `grove` subcommand does: run the graph, or read the KB and print it."""

from __future__ import annotations

import argparse
import sys
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path

from rich.console import Console
from rich.tree import Tree

from graphs.cli import dump, sample_sources
from graphs.cli_eval import cmd_eval  # noqa: F401  (dispatched by name from graphs.cli)
from graphs.cli_export import cmd_export  # noqa: F401  (dispatched by name from graphs.cli)
from graphs.cli_sandbox import cmd_sandbox  # noqa: F401  (dispatched by name from graphs.cli)
from graphs.cli_progress import RunProgress
from graphs.cli_runs import (
    checkpoint_path,
    failed_items,
    open_checkpointer,
    remember_run,
    run_config,
    saved_context,
)
from graphs.pipeline import build_pipeline_graph
from kb.open_store import open_store
from nodes.context import Context
from nodes.deps import default_deps
from nodes.models import check_models
from nodes.plan_sources import new_run_id

err = Console(stderr=True)
out = Console()


def run_pipeline(ctx: Context, concurrency: int, show_progress: bool, checkpoints: Path | None = None,
                 resume: bool = False) -> dict:
    """Run the pipeline with `ctx` (durably when `checkpoints` is given); show progress; return the report."""
    deps = default_deps()
    report: dict = {}
    try:
        with ExitStack() as stack:
            saver = stack.enter_context(open_checkpointer(checkpoints)) if checkpoints else None
            graph = build_pipeline_graph(deps, checkpointer=saver, branch_checkpoints=saver is None)
            if saver is None:
                config: dict = {"max_concurrency": concurrency}
            else:
                config = run_config(ctx.run_id, concurrency)
                if not resume:
                    remember_run(saver, ctx)
            with RunProgress(err, enabled=show_progress) as progress:
                # Every node is idempotent, so the default "async" durability is enough: a step whose
                # checkpoint was lost in a crash is simply run again on resume.
                # subgraphs=True: the explorers' and structurers' progress events come from inside
                # the subgraphs, and LangGraph only streams those when asked to.
                for ns, mode, chunk in graph.stream(None if resume else {}, config=config, context=ctx,
                                                    stream_mode=["custom", "updates"], subgraphs=True):
                    if mode == "custom":
                        progress.handle(chunk)
                    elif not ns and "report" in chunk:
                        report = chunk["report"]["report"]
            if not report and saver is not None:
                report = graph.get_state(config).values.get("report") or {}
    finally:
        deps.store.close_all()
    return report


def run_settings(args: argparse.Namespace, checkpoints: Path) -> tuple[Context, bool]:
    """Build the run's Context from the arguments, or from the checkpoints of the run being resumed or retried."""
    if args.resume:
        with open_checkpointer(checkpoints) as saver:
            return saved_context(saver, args.resume), True
    if args.retry_failed:
        with open_checkpointer(checkpoints) as saver:
            base = saved_context(saver, args.retry_failed)
        store = open_store(base.db or None, base.kb or None)
        try:
            only = failed_items(store, base.client_id, args.retry_failed)
        finally:
            store.close()
        if not only:
            raise ValueError(f"run {args.retry_failed} left no failed items to retry")
        return replace(base, run_id=args.run_id or new_run_id(), only_items=only), False
    if not args.client:
        raise ValueError("give --client (or --resume RUN_ID / --retry-failed RUN_ID)")
    if not args.source:
        raise ValueError("give at least one --source TYPE=PATH")
    ctx = Context(client_id=args.client, sources=args.source, db=args.db, kb=args.kb, model=args.model,
                  workspace_root=args.workspace_root, isolation=args.isolation, batch_size=args.batch_size,
                  max_items_per_source=args.max_items, run_id=args.run_id or new_run_id(),
                  keep_workspaces=args.keep_workspaces, full_refresh=args.full_refresh,
                  base_url=args.base_url, explorer_model=args.explorer_model, structurer_model=args.structurer_model,
                  max_tokens=args.max_tokens, max_cost=args.max_cost, price_table=args.price_table)
    return ctx, False


def cmd_run(args: argparse.Namespace) -> int:
    checkpoints = checkpoint_path(args.db, args.checkpoints)
    ctx, resume = run_settings(args, checkpoints)
    check_models(ctx)  # a missing API key is named before any work starts
    show = not args.json and sys.stderr.isatty()
    if show:
        err.print(f"run {ctx.run_id} (resume with: grove run --resume {ctx.run_id})", highlight=False)
    report = run_pipeline(ctx, args.concurrency, show_progress=show, checkpoints=checkpoints, resume=resume)
    if args.json:
        dump(report)
    else:
        print_summary(report)
    failed = report.get("status") == "aborted" or any(s["status"] == "failed" for s in report.get("sources", []))
    return 1 if failed else 0


def cmd_demo(args: argparse.Namespace) -> int:
    ctx = Context(client_id=args.client, sources=sample_sources(), db=args.db)
    report = run_pipeline(ctx, 8, show_progress=not args.json and sys.stderr.isatty())
    if args.json:
        dump(report)
        return 0
    print_summary(report)
    store = open_store(args.db or None)
    try:
        print_tree(store, args.client)
    finally:
        store.close()
    return 0


def print_summary(report: dict) -> None:
    out.print(f"[bold]run {report['run_id']}[/] client={report['client_id']} brain={report['brain']} "
              f"wall={report['wall_time_s']}s")
    for s in report["sources"]:
        out.print(f"  {s['source']:<10} {s['status']:<7} listed={s['listed']} downloaded={s['downloaded']} "
                  f"failed={s['failed']} skipped={s['skipped']} {s['reason']}")
    e, t = report["entries"], report["tree"]
    out.print(f"  entries: +{e['inserted']} new, {e['unchanged']} unchanged, {e['total']} in KB; "
              f"tree: {t['domains']} domains, {t['skills']} skills, {t['entry_groups']} groups")
    for f in report["failures"]:
        out.print(f"  [yellow]failed[/] {f['locator'] or f.get('source', '')}: {f['reason']}", highlight=False)


def tree_json(store, client_id: str) -> list[dict]:
    def walk(parent_id):
        return [{"id": n.id, "level": n.level, "name": n.name, "slug": n.slug,
                 **({"children": walk(n.id)} if n.level != "entry_group" else
                    {"entries": len(store.entries(client_id, n.id))})}
                for n in store.children(client_id, parent_id)]
    return walk(None)


def print_tree(store, client_id: str) -> None:
    root = Tree(f"[bold]{client_id}[/]")
    for domain in tree_json(store, client_id):
        d = root.add(f"[bold cyan]{domain['name']}[/]")
        for skill in domain["children"]:
            s = d.add(f"[green]{skill['name']}[/]")
            for group in skill["children"]:
                s.add(f"{group['name']} [dim]({group['entries']} entries)[/]", highlight=False)
    out.print(root)


def cmd_tree(args: argparse.Namespace) -> int:
    store = open_store(args.db or None)
    try:
        if args.json:
            dump({"client_id": args.client, "tree": tree_json(store, args.client)})
        else:
            print_tree(store, args.client)
    finally:
        store.close()
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    store = open_store(args.db or None)
    try:
        under = [p for p in args.under.split("/") if p]
        hits = [h.to_dict() for h in store.search(args.client, args.query, under=under, limit=args.limit)]
    finally:
        store.close()
    if args.json:
        dump({"query": args.query, "client_id": args.client, "under": args.under, "hits": hits})
        return 0
    if not hits:
        out.print("no entries match")
    for n, h in enumerate(hits, 1):
        out.print(f"[bold]{n}. {h['title']}[/]", highlight=False)
        out.print(f"   [cyan]{h['path']}[/]  [dim]{h['locator']}[/]", highlight=False)
        out.print(f"   {h['snippet']}", highlight=False)
    return 0


def cmd_forum(args: argparse.Namespace) -> int:
    store = open_store(args.db or None)
    try:
        posts = store.search_forum(args.query, source_type=args.source_type, phase=args.phase,
                                   file_type=args.file_type, limit=args.limit)
    finally:
        store.close()
    if args.json:
        dump({"query": args.query, "posts": [p.to_dict() for p in posts]})
        return 0
    for p in posts:
        out.print(f"[bold]{p.title}[/] [dim]({p.source_type}/{p.phase}/{p.file_type or '-'}, "
                  f"support {p.support_count})[/]", highlight=False)
        out.print(f"   {p.body}", highlight=False)
    if not posts:
        out.print("no forum posts match")
    return 0
