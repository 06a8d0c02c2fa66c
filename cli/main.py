"""The `grove` command line: run, demo, tree, search, forum, export, eval, sandbox."""

from __future__ import annotations

import argparse
import sys

from cli.args import db_arg, parse_price_table, parse_source
from cli.commands import cmd_demo, cmd_forum, cmd_run, cmd_search, cmd_tree
from cli.eval import add_eval_parser
from cli.export import cmd_export
from cli.sandbox import add_sandbox_parser
from tools.sources.registry import all_types


def build_parser() -> argparse.ArgumentParser:
    """The `grove` parser; each subcommand names the function that runs it (`func`)."""
    parser = argparse.ArgumentParser(
        prog="grove", description="Turn a client's mail, files and sheets into a knowledge tree."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="explore sources, structure what they hold and write the KB")
    run.set_defaults(func=cmd_run)
    run.add_argument("--client", default="", help="client id; every KB row is scoped by it (required for a new run)")
    run.add_argument(
        "--source",
        action="append",
        type=parse_source,
        default=[],
        metavar="TYPE=PATH",
        help="; ".join(f"{t.name}=PATH: {t.export}" for t in all_types()) + "; or TYPE=composio (repeatable)",
    )
    db_arg(run)
    run.add_argument("--model", default="", help="provider:model for the agents (empty: offline brain)")
    run.add_argument(
        "--base-url", default="", help="OpenAI-compatible server for the models (default $OPENAI_BASE_URL)"
    )
    run.add_argument("--explorer-model", default="", help="provider:model for the explorers (default: --model)")
    run.add_argument("--structurer-model", default="", help="provider:model for the structurers (default: --model)")
    run.add_argument("--max-tokens", type=int, default=0, help="token budget of the run (0: unlimited)")
    run.add_argument("--max-cost", type=float, default=0.0, help="cost budget of the run, priced by --price-table")
    run.add_argument(
        "--price-table",
        type=parse_price_table,
        default={},
        metavar="JSON|FILE",
        help='prices per million tokens: {"gpt-4o-mini": {"input": 0.15, "output": 0.6}}',
    )
    run.add_argument(
        "--taxonomy",
        default="",
        metavar="FILE.json",
        help="a taxonomy replacing the built-in one (kb/taxonomy.json's shape: domains, skills, keywords)",
    )
    run.add_argument("--workspace-root", default="", help="root of the agents' sandbox workspaces")
    run.add_argument("--isolation", default="auto", choices=["auto", "strict", "process"])
    run.add_argument("--batch-size", type=int, default=16)
    run.add_argument("--max-items", type=int, default=2000, help="most items downloaded per source")
    run.add_argument(
        "--concurrency",
        type=int,
        default=16,
        help="most explorer or structurer branches running at once (max_concurrency)",
    )
    run.add_argument("--run-id", default="", help="name the run (default: generated); the report prints it")
    run.add_argument("--resume", default="", metavar="RUN_ID", help="continue a run that was stopped or killed")
    run.add_argument(
        "--retry-failed", default="", metavar="RUN_ID", help="run again over only the items that run RUN_ID left failed"
    )
    run.add_argument("--full-refresh", action="store_true", help="ignore the item ledger: re-download and re-parse all")
    run.add_argument(
        "--kb", default="", choices=["", "sqlite", "convex"], help="KB backend (default $GROVE_KB, else sqlite)"
    )
    run.add_argument("--checkpoints", default="", help="checkpoint database (default: beside the SQLite KB)")
    run.add_argument("--keep-workspaces", action="store_true")
    run.add_argument("--json", action="store_true", help="print the JSON report only")

    demo = sub.add_parser("demo", help="run the pipeline offline on the bundled sample and print the tree")
    demo.set_defaults(func=cmd_demo)
    db_arg(demo)
    demo.add_argument("--client", default="demo")
    demo.add_argument(
        "--sample",
        default="",
        metavar="DIR",
        help="sample export folder (default $GROVE_SAMPLE, else examples/client-a-enron of a checkout)",
    )
    demo.add_argument("--json", action="store_true")

    tree = sub.add_parser("tree", help="print a client's knowledge tree")
    tree.set_defaults(func=cmd_tree)
    tree.add_argument("--client", required=True)
    db_arg(tree)
    tree.add_argument("--json", action="store_true")

    search = sub.add_parser("search", help="search a client's entries with a plain question or keywords")
    search.set_defaults(func=cmd_search)
    search.add_argument("query")
    search.add_argument("--client", required=True)
    search.add_argument("--under", default="", metavar="DOMAIN[/SKILL[/GROUP]]")
    search.add_argument("--limit", type=int, default=5)
    db_arg(search)
    search.add_argument("--json", action="store_true")

    forum = sub.add_parser("forum", help="search the cross-client forum of agent findings")
    forum.set_defaults(func=cmd_forum)
    forum.add_argument("query", nargs="?", default="")
    forum.add_argument("--source-type")
    forum.add_argument("--phase", choices=["explore", "structure"])
    forum.add_argument("--file-type")
    forum.add_argument("--limit", type=int, default=10)
    db_arg(forum)
    forum.add_argument("--json", action="store_true")

    export = sub.add_parser("export", help="write a client's KB as one HTML page or a Markdown folder")
    export.set_defaults(func=cmd_export)
    export.add_argument("--client", required=True)
    export.add_argument("--format", choices=["html", "markdown"], default="html")
    export.add_argument(
        "--out", default="", help="file (html) or folder (markdown); default <client>.html / <client>-kb"
    )
    db_arg(export)

    add_eval_parser(sub)
    add_sandbox_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse `argv` and run the chosen subcommand; a bad value or a file error exits 2 with the reason."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (ValueError, OSError) as exc:
        print(f"grove {args.command}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
