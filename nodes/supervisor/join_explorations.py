"""Supervisor node: the single join after the explorers; applies the ledger's gates and the abort threshold."""

from __future__ import annotations

from collections import defaultdict

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


def too_many_failures(ctx: Context, failed: int, total: int) -> bool:
    """The abort threshold: more than N failures and more than a share of the phase's items."""
    return failed > ctx.abort_min_failures and total > 0 and failed / total > ctx.abort_failure_ratio


def join_explorations(state: PipelineState, runtime: Runtime[Context], *, deps: Deps) -> dict:
    """Merge every explorer's items once all branches are done, dropping those the ledger says are unchanged."""
    ctx = context_of(runtime)
    store = deps.store(ctx)
    explorations = state.get("explorations") or []
    ledger = {} if ctx.full_refresh else {(r.source_type, r.item_id): r for r in store.items(ctx.client_id)}
    items: dict[tuple[str, str], dict] = {}
    unchanged = [
        {"source_type": rec["source_type"], "item_id": i, "gate": "revision"}
        for rec in explorations
        for i in rec.get("unchanged") or []
    ]
    for record in explorations:
        for item in record.get("items") or []:
            key = (item["source_type"], item["item_id"])
            row = ledger.get(key)
            # Second gate: a new revision with the same bytes needs no parsing.
            if row is not None and row.status == "ok" and row.content_hash == item.get("sha256") and not ctx.only_items:
                unchanged.append({"source_type": key[0], "item_id": key[1], "gate": "content"})
                continue
            items.setdefault(key, item)
    ordered = sorted(items.values(), key=lambda i: (i["source_type"], i.get("group_key", ""), i["item_id"]))
    deleted = find_deleted(explorations, ledger) if not ctx.only_items else []
    failed = sum(len(r.get("failures") or []) for r in explorations)
    aborted = ""
    if too_many_failures(ctx, failed, failed + len(ordered)):
        aborted = f"{failed} of {failed + len(ordered)} items failed while exploring"
    emit(
        runtime,
        "explorations_joined",
        items=len(ordered),
        unchanged=len(unchanged),
        deleted=len(deleted),
        sources=len(explorations),
    )
    return {
        "items": ordered,
        "unchanged": sorted(unchanged, key=lambda u: (u["source_type"], u["item_id"])),
        "deleted": deleted,
        "aborted": aborted,
        "tree": tree_rows(store, ctx.client_id),
    }


def find_deleted(explorations: list[dict], ledger: dict) -> list[dict]:
    """Ledger items of a source type that every source of that type listed in full, yet none saw."""
    seen: dict[str, set[str]] = defaultdict(set)
    complete: dict[str, bool] = defaultdict(lambda: True)
    for rec in explorations:
        st = rec.get("source_type", "")
        complete[st] = complete[st] and rec.get("status") in ("ok", "skipped") and bool(rec.get("complete"))
        seen[st].update(rec.get("seen") or [])
    gone = [
        {"source_type": st, "item_id": item_id}
        for (st, item_id), row in ledger.items()
        if st in seen and complete[st] and row.status != "deleted" and item_id not in seen[st]
    ]
    return sorted(gone, key=lambda d: (d["source_type"], d["item_id"]))
