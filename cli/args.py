"""Argument types and options the `grove` subcommands share: sources, price tables, the KB location."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from tools.sources.registry import source_types


def parse_source(text: str) -> dict:
    """Read `TYPE=PATH` (local export) or `TYPE=composio` (connected account) into a source dict."""
    kind, sep, value = text.partition("=")
    kind = kind.strip().lower()
    if not sep or kind not in source_types() or not value:
        raise argparse.ArgumentTypeError(
            f"--source {text!r}: expected TYPE=PATH or TYPE=composio with TYPE one of {', '.join(source_types())}"
        )
    if value == "composio":
        return {"type": kind, "connection": "composio"}
    path = Path(value).expanduser()
    if not path.exists():
        raise argparse.ArgumentTypeError(f"--source {text!r}: {path} does not exist")
    return {"type": kind, "path": str(path.resolve()), "connection": "local"}


def parse_price_table(text: str) -> dict:
    """Read a price table given as JSON text or as the path of a JSON file."""
    try:
        data = json.loads(text if text.lstrip().startswith("{") else Path(text).expanduser().read_text())
    except (OSError, ValueError) as exc:
        raise argparse.ArgumentTypeError(f"--price-table: {exc}") from None
    if not isinstance(data, dict):
        raise argparse.ArgumentTypeError("--price-table: expected an object keyed by model name")
    return data


def db_arg(p: argparse.ArgumentParser) -> None:
    """Add `--db`, the KB location, to a subcommand."""
    p.add_argument(
        "--db",
        default=os.environ.get("GROVE_DB", ""),
        help="KB location: SQLite file (default $GROVE_DB, else ~/.grove/grove.db) or 'convex'",
    )
