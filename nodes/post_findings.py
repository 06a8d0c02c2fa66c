"""Explorer node: turn what this source looked like into forum patterns for later runs."""

from __future__ import annotations

from collections import Counter

from nodes.state import ExplorerState


def post_findings(state: ExplorerState) -> dict:
    """Draft explore-phase forum posts: formats, counts and failure kinds, never client data."""
    record = state["record"]
    source_type = record.get("source_type", "")
    if record.get("status") == "failed":
        return {"forum_drafts": [{
            "source_type": source_type, "phase": "explore", "file_type": "",
            "title": f"{source_type} source failed to list",
            "body": f"Exploring a {source_type} source failed: {reason_kind(record.get('reason', ''))}.",
        }]}
    items = record.get("items") or []
    if not items and not record.get("failures"):
        return {}  # nothing new was seen (an unchanged source): no pattern to share
    types = Counter(i.get("file_type") or "none" for i in items)
    kinds = Counter(i.get("kind", "") for i in items)
    fails = Counter(reason_kind(f["reason"]) for f in record.get("failures") or [])
    body = [f"A {source_type} source listed {record.get('listed', 0)} items and {len(items)} were downloaded."]
    body.append("Item kinds: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())) + ".")
    body.append("File types: " + ", ".join(f"{t} {n}" for t, n in types.most_common(12)) + ".")
    if fails:
        body.append("Download failures: " + ", ".join(f"{k} ({n})" for k, n in sorted(fails.items())) + ".")
    if record.get("skipped"):
        body.append(f"{len(record['skipped'])} items were left out by the limits.")
    return {"forum_drafts": [{
        "source_type": source_type, "phase": "explore", "file_type": "",
        "title": f"{source_type} source: item kinds and file types", "body": " ".join(body),
    }]}


def reason_kind(reason: str) -> str:
    """The kind of a failure reason without the item-specific detail ('corrupt: x' -> 'corrupt')."""
    return reason.split(":", 1)[0].strip()[:60] or "unknown"
