"""Structurer node: parse each downloaded item of the batch into sections, or a failure with a reason."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from langgraph.runtime import Runtime

from nodes.context import Context, context_of
from nodes.state import StructurerState
from tools.parsers import is_archive, parse_archive, parse_file


def parse_items(state: StructurerState, runtime: Runtime[Context]) -> dict:
    """Parse every item with the document parsers; a bad file fails alone."""
    ctx = context_of(runtime)
    parsed = []
    for item in state["batch"]["items"]:
        path = Path(item["path"])
        name = item["name"] if item.get("kind") in ("file", "attachment") else path.name
        try:
            # Zip and tar items are extracted beside themselves (within limits) and their files parsed.
            parse = parse_archive if is_archive(path, name) else parse_file
            result = parse(path, name=name, max_bytes=ctx.max_item_bytes)
            entry = {
                "item": item,
                "ok": result.ok,
                "reason": result.reason,
                "file_type": result.file_type,
                "sections": [asdict(s) for s in result.sections],
                "meta": result.meta,
            }
        except Exception as exc:  # parsers promise not to raise; a bug in one must not sink the batch
            entry = {
                "item": item,
                "ok": False,
                "reason": f"parser error: {type(exc).__name__}: {exc}",
                "file_type": item.get("file_type", ""),
                "sections": [],
                "meta": {},
            }
        parsed.append(entry)
    return {"parsed": parsed}
