"""What the `run`, `demo`, `tree`, `search` and `forum` subcommands do: run the graph, or read the KB and print it."""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

from cli.output import dump, err, out, print_summary, print_tree, tree_json
from cli.pipeline_run import run_pipeline
from cli.runs import checkpoint_path, failed_items, open_checkpointer, saved_context
from cli.sample import sample_sources
from graphs.rerun_marks import keep_mark, sources_fingerprint, unchanged_run
from kb.open_store import open_store
from nodes.context import Context
from nodes.models import check_models
from nodes.run_ids import new_run_id


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
    ctx = Context(
        client_id=args.client,
        sources=args.source,
        db=args.db,
        kb=args.kb,
        model=args.model,
        workspace_root=args.workspace_root,
        isolation=args.isolation,
        batch_size=args.batch_size,
        max_items_per_source=args.max_items,
        run_id=args.run_id or new_run_id(),
        keep_workspaces=args.keep_workspaces,
        full_refresh=args.full_refresh,
        base_url=args.base_url,
        explorer_model=args.explorer_model,
        structurer_model=args.structurer_model,
        max_tokens=args.max_tokens,
        max_cost=args.max_cost,
        price_table=args.price_table,
        taxonomy=args.taxonomy,
    )
    if ctx.taxonomy:
        from kb.taxonomy import load_taxonomy

        try:
            load_taxonomy(ctx.taxonomy)  # a bad file is named before any work starts
        except OSError as exc:
            raise ValueError(f"--taxonomy {ctx.taxonomy}: {exc.strerror or exc}") from None
        except ValueError as exc:
            raise ValueError(f"--taxonomy {ctx.taxonomy}: {exc}") from None
    return ctx, False


def cmd_run(args: argparse.Namespace) -> int:
    checkpoints = checkpoint_path(args.db, args.checkpoints)
    ctx, resume = run_settings(args, checkpoints)
    check_models(ctx)  # a missing API key is named before any work starts
    started = time.time()
    fingerprint = "" if resume else sources_fingerprint(ctx)  # taken before any source is listed
    report = unchanged_run(ctx, checkpoints, fingerprint, started)
    if report is None:
        show = not args.json and sys.stderr.isatty()
        if show:
            err.print(f"run {ctx.run_id} (resume with: grove run --resume {ctx.run_id})", highlight=False)
        report = run_pipeline(ctx, args.concurrency, show_progress=show, checkpoints=checkpoints, resume=resume)
        keep_mark(ctx, checkpoints, fingerprint, report)
    if args.json:
        dump(report)
    else:
        print_summary(report)
    failed = report.get("status") == "aborted" or any(s["status"] == "failed" for s in report.get("sources", []))
    return 1 if failed else 0


def cmd_demo(args: argparse.Namespace) -> int:
    ctx = Context(client_id=args.client, sources=sample_sources(args.sample), db=args.db)
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
        posts = store.search_forum(
            args.query, source_type=args.source_type, phase=args.phase, file_type=args.file_type, limit=args.limit
        )
    finally:
        store.close()
    if args.json:
        dump({"query": args.query, "posts": [p.to_dict() for p in posts]})
        return 0
    for p in posts:
        out.print(
            f"[bold]{p.title}[/] [dim]({p.source_type}/{p.phase}/{p.file_type or '-'}, support {p.support_count})[/]",
            highlight=False,
        )
        out.print(f"   {p.body}", highlight=False)
    if not posts:
        out.print("no forum posts match")
    return 0
