"""`grove eval`: measure a client's KB (coverage, duplicates, citations, groups, placement, hit@k)."""

from __future__ import annotations

import argparse
import json
import sys

from rich.console import Console
from rich.table import Table

from cli.args import db_arg, parse_source
from kb.eval.placements import load_placements
from kb.eval.questions import load_questions
from kb.open_store import open_store


def add_eval_parser(sub: argparse._SubParsersAction) -> None:
    """Register `grove eval` and its options."""
    p = sub.add_parser("eval", help="measure a client's KB: coverage, duplicates, citations, groups, placement, hit@k")
    p.set_defaults(func=cmd_eval)
    p.add_argument("--client", required=True)
    p.add_argument(
        "--source",
        action="append",
        type=parse_source,
        default=[],
        metavar="TYPE=PATH",
        help="the sources the KB was built from (as for `grove run`): re-parsed for coverage and citations",
    )
    p.add_argument(
        "--questions",
        default="",
        metavar="FILE.jsonl",
        help='JSON lines {"question": ..., "expected": locator or path fragment}',
    )
    p.add_argument(
        "--placements",
        default="",
        metavar="FILE.jsonl",
        help='JSON lines {"item": locator or path fragment, "domain": ..., "skill": ...}: where items belong',
    )
    p.add_argument("--k", type=int, default=5, help="hits looked at per question (hit@k)")
    db_arg(p)
    p.add_argument("--kb", default="", choices=["", "sqlite", "convex"])
    p.add_argument("--json", action="store_true", help="print the JSON report only")
    for flag, text in (
        ("--min-coverage", "mean coverage"),
        ("--max-duplicates", "near-duplicate entry rate"),
        ("--min-citations", "share of citations that resolve"),
        ("--max-single-groups", "share of single-entry groups"),
        ("--min-hit-rate", "hit@k"),
        ("--min-placement", "share of labelled items in their expected domain"),
    ):
        p.add_argument(flag, type=float, default=None, help=f"fail (exit 1) when the {text} crosses this")


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def print_table(report: dict, out: Console) -> None:
    """Print the report's measures as one table, then the retrieval misses."""
    table = Table(title=f"grove eval — client {report['client_id']} ({report['entries']} entries)")
    for column in ("measure", "value", "detail"):
        table.add_column(column)
    cov, dup, cit = report["coverage"], report["duplicates"], report["citations"]
    groups, ret, placed = report["single_entry_groups"], report["retrieval"], report.get("placement")
    if cov:
        table.add_row("coverage", _pct(cov["mean"]), f"{cov['items']} items, pooled {_pct(cov['weighted'])}")
    table.add_row("duplicates (exact)", _pct(dup["exact_rate"]), f"{dup['exact']} of {dup['entries']} entries")
    table.add_row("duplicates (near)", _pct(dup["near_rate"]), f"{dup['near']} of {dup['entries']} entries")
    if cit:
        table.add_row("citations resolve", _pct(cit["rate"]), f"{cit['resolved']} of {cit['entries']} entries")
    table.add_row("single-entry groups", _pct(groups["rate"]), f"{groups['single']} of {groups['groups']} groups")
    if placed:
        table.add_row(
            "placement (domain)",
            _pct(placed["domain_rate"]),
            f"{placed['found']} of {placed['labelled']} labelled items found",
        )
        if placed["skill_rate"] is not None:
            table.add_row(
                "placement (skill)", _pct(placed["skill_rate"]), f"{placed['skills_labelled']} with a skill label"
            )
    if ret:
        table.add_row(
            f"hit@{ret['k']}", _pct(ret["rate"]), f"{ret['hits']} of {ret['questions']} questions, MRR {ret['mrr']:.2f}"
        )
    out.print(table)
    for miss in (ret or {}).get("misses", []):
        out.print(
            f"[yellow]miss[/] {miss['question']}  [dim]expected {' | '.join(miss['expected'])}[/]", highlight=False
        )
    for wrong in (placed or {}).get("wrong", []):
        out.print(
            f"[yellow]placed[/] {wrong['item']}  [dim]under {wrong['placed']}, expected {wrong['expected']}[/]",
            highlight=False,
        )
    for line in report.get("failed_thresholds", []):
        out.print(f"[red]threshold failed[/] {line}", highlight=False)


def cmd_eval(args: argparse.Namespace) -> int:
    from nodes.evaluation.evaluate import Thresholds, check, evaluate  # the parsers load only when eval runs

    questions = load_questions(args.questions) if args.questions else []
    placements = load_placements(args.placements) if args.placements else []
    store = open_store(args.db or None, args.kb or None)
    try:
        report = evaluate(store, args.client, args.source, questions, args.k, placements)
    finally:
        store.close()
    limits = Thresholds(
        args.min_coverage,
        args.max_duplicates,
        args.min_citations,
        args.max_single_groups,
        args.min_hit_rate,
        args.min_placement,
    )
    report["failed_thresholds"] = check(report, limits)
    if args.json:
        json.dump(report, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print_table(report, Console())
    return 1 if report["failed_thresholds"] else 0
