"""Explorer node: publish the exploration record (the manifest) to the supervisor."""

from __future__ import annotations

from nodes.state import ExplorerState


def collect_manifest(state: ExplorerState) -> dict:
    """Hand the record up under `explorations`, keyed by source so merges are order-free."""
    record = dict(state["record"])
    if record.get("status") == "ok" and not record.get("listed"):
        record["status"] = "skipped"
        record["reason"] = record.get("reason") or "source listed no items"
    return {"explorations": [record]}
