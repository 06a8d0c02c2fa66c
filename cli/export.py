"""`grove export`: write a client's KB as one self-contained HTML page or a Markdown folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kb.browse import snapshot
from kb.export.html import write_html
from kb.export.markdown import write_markdown
from kb.open_store import open_store


def default_out(client_id: str, fmt: str) -> Path:
    """`<client>.html` for a page, `<client>-kb/` for Markdown, in the current folder."""
    return Path(f"{client_id}.html" if fmt == "html" else f"{client_id}-kb")


def cmd_export(args: argparse.Namespace) -> int:
    store = open_store(args.db or None)
    try:
        snap = snapshot(store, args.client)
    finally:
        store.close()
    if not snap["tree"]:
        print(
            f"grove export: client {args.client!r} has no knowledge tree in this KB; nothing written", file=sys.stderr
        )
        return 1
    out = Path(args.out) if args.out else default_out(args.client, args.format)
    if args.format == "html":
        written = [write_html(snap, out)]
    else:
        written = write_markdown(snap, out)
    c = snap["counts"]
    print(
        f"wrote {out} ({len(written)} file{'s' if len(written) != 1 else ''}): {c['domain']} domains, "
        f"{c['skill']} skills, {c['entry_group']} groups, {c['entries']} entries"
    )
    return 0
