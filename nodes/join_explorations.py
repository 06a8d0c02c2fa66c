"""Supervisor node: the single join after the explorers; gathers their items and the client's tree."""

from __future__ import annotations

from langgraph.runtime import Runtime

from kb.store import Store
from nodes.context import Context, context_of
from nodes.deps import Deps
from nodes.progress import emit
from nodes.state import PipelineState


def tree_rows(store: Store, client_id: str) -> list[dict]:
    """Flatten the client's tree into [{domain, skill, group}] rows, for name reuse by structurers."""
    nodes = {n.id: n for n in store.tree(client_id)}
    rows = []
    for n in nodes.values():
        if n.level != "entry_group":
            continue
        skill = nodes.get(n.parent_id or "")
        domain = nodes.get(skill.parent_id or "") if skill else None
        rows.append({"domain": domain.name if domain else "", "skill": skill.name if skill else "", "group": n.name})
    return sorted(rows, key=lambda r: (r["domain"], r["skill"], r["group"]))


def join_explorations(state: PipelineState, runtime: Runtime[Context], *, deps: Deps) -> dict:
    """Merge every explorer's items (deduplicated, in a canonical order) once all branches are done."""
    ctx = context_of(runtime)
    items: dict[tuple[str, str], dict] = {}
    for record in state.get("explorations") or []:
        for item in record.get("items") or []:
            items.setdefault((item["source_type"], item["item_id"]), item)
    ordered = sorted(items.values(), key=lambda i: (i["source_type"], i.get("group_key", ""), i["item_id"]))
    emit(runtime, "explorations_joined", items=len(ordered), sources=len(state.get("explorations") or []))
    return {"items": ordered, "tree": tree_rows(deps.store(ctx), ctx.client_id)}
