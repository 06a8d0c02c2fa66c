"""Structurer node: publish the batch record and draft structure-phase forum patterns per file type."""

from __future__ import annotations

from collections import defaultdict

from langgraph.runtime import Runtime

from nodes.context import Context
from nodes.explorer.post_findings import reason_kind
from nodes.forum.learn_rules import observe
from nodes.progress import emit
from nodes.state import StructurerState


def post_patterns(state: StructurerState, runtime: Runtime[Context]) -> dict:
    """Hand the record up; describe, per file type, how parsing went (outcome and failure kinds, no content),
    and observe which rules the batch's placements support (see nodes.forum.learn_rules)."""
    record = state["record"]
    by_type: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for p in record.get("parsed") or []:
        by_type[(p["source_type"], p["file_type"] or "unknown")].append(p)
    drafts = []
    for (source_type, file_type), rows in sorted(by_type.items()):
        ok = [r for r in rows if r["status"] == "ok"]
        failed = sorted({reason_kind(r["reason"]) for r in rows if r["status"] != "ok"})
        body = f"{file_type} items from {source_type} " + ("parse into text sections" if ok else "did not parse")
        if failed:
            body += "; seen failures: " + ", ".join(failed)
        drafts.append(
            {
                "source_type": source_type,
                "phase": "structure",
                "file_type": file_type,
                "title": f"Parsing {file_type} items from {source_type}",
                "body": body + ".",
            }
        )
    # Items a forum rule placed are not evidence for rules: support counts independent findings.
    by_rule = {p["item_id"] for p in record.get("parsed") or [] if p.get("placed_by")}
    placed = {d["item_id"]: d["domain"] for d in record.get("drafts") or [] if d["item_id"] not in by_rule}
    drafts += observe(state.get("parsed") or [], placed)
    emit(
        runtime,
        "batch_structured",
        batch=record["batch_id"],
        entries=len(record.get("drafts") or []),
        failed=len(record.get("failures") or []),
    )
    return {"structures": [record], "forum_drafts": drafts}
