"""What the `grove` subcommands print: JSON, the run summary and the tree."""

from __future__ import annotations

import json
import sys

from rich.console import Console
from rich.tree import Tree

err = Console(stderr=True)
out = Console()


def dump(data: object) -> None:
    """Print `data` as indented JSON on stdout."""
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")


def print_summary(report: dict) -> None:
    out.print(
        f"[bold]run {report['run_id']}[/] client={report['client_id']} brain={report['brain']} "
        f"wall={report['wall_time_s']}s"
    )
    if report.get("unchanged_since"):
        out.print(
            f"  every source unchanged since run {report['unchanged_since']}: nothing downloaded, parsed or written",
            highlight=False,
        )
    for s in report["sources"]:
        out.print(
            f"  {s['source']:<10} {s['status']:<7} listed={s['listed']} downloaded={s['downloaded']} "
            f"failed={s['failed']} skipped={s['skipped']} {s['reason']}"
        )
    e, t = report["entries"], report["tree"]
    out.print(
        f"  entries: +{e['inserted']} new, {e['unchanged']} unchanged, {e['total']} in KB; "
        f"tree: {t['domains']} domains, {t['skills']} skills, {t['entry_groups']} groups"
    )
    for f in report["failures"]:
        out.print(f"  [yellow]failed[/] {f['locator'] or f.get('source', '')}: {f['reason']}", highlight=False)


def tree_json(store, client_id: str) -> list[dict]:
    """The client's tree as nested dicts, entry groups with their entry counts."""

    def walk(parent_id):
        return [
            {
                "id": n.id,
                "level": n.level,
                "name": n.name,
                "slug": n.slug,
                **(
                    {"children": walk(n.id)}
                    if n.level != "entry_group"
                    else {"entries": len(store.entries(client_id, n.id))}
                ),
            }
            for n in store.children(client_id, parent_id)
        ]

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
