"""Explorer node: turn what this source looked like into forum patterns for later runs."""

from __future__ import annotations

from collections import Counter

from nodes.state import ExplorerState


def post_findings(state: ExplorerState) -> dict:
    """Draft explore-phase forum posts: item kinds, file types and failure kinds, never counts or client data.

    Counts would make every client's post unique; without them, clients whose sources look
    alike post the same pattern and support it together.
    """
    record = state["record"]
    source_type = record.get("source_type", "")
    if record.get("status") == "failed":
        return {
            "forum_drafts": [
                {
                    "source_type": source_type,
                    "phase": "explore",
                    "file_type": "",
                    "title": f"{source_type} source failed to list",
                    "body": f"Exploring a {source_type} source failed: {reason_kind(record.get('reason', ''))}.",
                }
            ]
        }
    items = record.get("items") or []
    if not items and not record.get("failures"):
        return {}  # nothing new was seen (an unchanged source): no pattern to share
    types = Counter(i.get("file_type") or "none" for i in items)
    kinds = sorted({i.get("kind", "") for i in items} - {""})
    fails = sorted({reason_kind(f["reason"]) for f in record.get("failures") or []})
    body = [f"A {source_type} source holds " + (", ".join(kinds) or "no") + " items."]
    # The usual file types, not their counts: the five most common, alphabetically.
    body.append("Common file types: " + ", ".join(sorted(t for t, _ in types.most_common(5))) + ".")
    if fails:
        body.append("Download failures seen: " + ", ".join(fails) + ".")
    return {
        "forum_drafts": [
            {
                "source_type": source_type,
                "phase": "explore",
                "file_type": "",
                "title": f"{source_type} source: item kinds and file types",
                "body": " ".join(body),
            }
        ]
    }


def reason_kind(reason: str) -> str:
    """The kind of a failure reason without the item-specific detail ('corrupt: x' -> 'corrupt')."""
    return reason.split(":", 1)[0].strip()[:60] or "unknown"
