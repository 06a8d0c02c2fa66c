"""The KB node: write tree, entries, the item ledger and the forum posts of the run."""

from __future__ import annotations

from langgraph.runtime import Runtime

from kb.models import EntryDraft, SourceItem
from nodes.context import Context, context_of
from nodes.deps import Deps
from nodes.forum.learn_rules import consolidate
from nodes.progress import emit
from nodes.state import PipelineState


def ledger_rows(state: PipelineState, client_id: str, run_id: str) -> list[SourceItem]:
    """One ledger row per item the run saw: parsed ok, failed (with reason) or skipped by a limit."""
    rows: dict[tuple[str, str], SourceItem] = {}
    for record in state.get("explorations") or []:
        st = record.get("source_type", "")
        for f in record.get("failures") or []:
            rows[(st, f["item_id"])] = SourceItem(client_id, st, f["item_id"], "", "", "failed", f["reason"], run_id)
        for s in record.get("skipped") or []:
            rows[(st, s["item_id"])] = SourceItem(client_id, st, s["item_id"], "", "", "skipped", s["reason"], run_id)
    for record in state.get("structures") or []:
        for p in record.get("parsed") or []:
            rows[(p["source_type"], p["item_id"])] = SourceItem(
                client_id,
                p["source_type"],
                p["item_id"],
                p.get("revision", ""),
                p.get("sha256", ""),
                "ok" if p["status"] == "ok" else "failed",
                p.get("reason", ""),
                run_id,
            )
    return [rows[k] for k in sorted(rows)]


def write_kb(state: PipelineState, runtime: Runtime[Context], *, deps: Deps) -> dict:
    """Upsert each batch's entries (one transaction per batch), then the ledger, then forum posts."""
    ctx = context_of(runtime)
    store = deps.store(ctx)
    run_id = state["run_id"]
    written = {
        "inserted": 0,
        "unchanged": 0,
        "replaced_items": 0,
        "deleted_items": 0,
        "deleted_entries": 0,
        "batch_errors": [],
        "forum_posts": 0,
    }
    ledger = ledger_rows(state, ctx.client_id, run_id)
    for gone in state.get("deleted") or []:
        # An item gone from its source takes its entries with it; groups left empty are pruned.
        written["deleted_entries"] += store.delete_item_entries(ctx.client_id, gone["source_type"], gone["item_id"])
        written["deleted_items"] += 1
        ledger.append(
            SourceItem(
                ctx.client_id,
                gone["source_type"],
                gone["item_id"],
                "",
                "",
                "deleted",
                "no longer in the source",
                run_id,
            )
        )
    changed = {(r.source_type, r.item_id) for r in ledger if r.status == "ok" and _changed(store, r)}
    for record in state.get("structures") or []:
        drafts = [EntryDraft.from_dict(d) for d in record.get("drafts") or []]
        try:
            # An edited item's earlier entries give way to the new ones; its tree nodes stay.
            for key in sorted({(d.source_type, d.item_id) for d in drafts} & changed):
                store.delete_item_entries(ctx.client_id, key[0], key[1])
                written["replaced_items"] += 1
            result = store.upsert_entries(ctx.client_id, drafts, run_id)
            written["inserted"] += result.inserted
            written["unchanged"] += result.unchanged
        except Exception as exc:  # one batch's write error is recorded; the others are still written
            written["batch_errors"].append({"batch_id": record["batch_id"], "reason": f"{type(exc).__name__}: {exc}"})
        emit(runtime, "entries_written", batch=record["batch_id"], entries=len(drafts))
    store.record_items(ledger)
    posts = store.post_forum(consolidate(state.get("forum_drafts") or []), client_id=ctx.client_id)
    written["forum_posts"] = len(posts)
    emit(runtime, "kb_written", inserted=written["inserted"], unchanged=written["unchanged"], forum=len(posts))
    return {"written": written}


def _changed(store, row: SourceItem) -> bool:
    before = store.get_item(row.client_id, row.source_type, row.item_id)
    return before is not None and before.content_hash != row.content_hash and before.status == "ok"
