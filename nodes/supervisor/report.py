"""Supervisor node: the run report (per-source counts, entries, tree sizes, every failure) and cleanup."""

from __future__ import annotations

import time

from langgraph.runtime import Runtime

from nodes.context import Context, context_of
from nodes.deps import Deps, workspace_root
from nodes.progress import emit
from nodes.state import PipelineState
from nodes.supervisor.report_usage import brain_label, brains_section, usage_section
from tools.sandbox.workspace import remove_run_workspaces


def build_report(state: PipelineState, ctx: Context, counts: dict) -> dict:
    """Assemble the JSON report of a run from the graph state."""
    explorations = state.get("explorations") or []
    structures = state.get("structures") or []
    written = state.get("written") or {}
    failures = []
    for rec in explorations:
        if rec.get("status") == "failed":
            failures.append(
                {
                    "phase": "explore",
                    "source": rec["source_key"],
                    "item_id": "",
                    "source_type": rec.get("source_type", ""),
                    "locator": "",
                    "reason": rec.get("reason", ""),
                }
            )
        failures += [{"phase": "explore", "source": rec["source_key"], **f} for f in rec.get("failures") or []]
        # Unchanged items the ledger holds as failed: not tried again, but still failing.
        failures += [{"phase": "structure", "source": rec["source_key"], **f} for f in rec.get("known_failures") or []]
    for rec in structures:
        if rec.get("status") == "failed":
            failures.append(
                {
                    "phase": "structure",
                    "source": "",
                    "item_id": "",
                    "source_type": "",
                    "locator": rec["batch_id"],
                    "reason": rec.get("reason", ""),
                }
            )
        failures += [{"phase": "structure", "source": "", **f} for f in rec.get("failures") or []]
    parsed = [p for rec in structures for p in rec.get("parsed") or []]
    status = "aborted" if state.get("aborted") else ("partial" if failures else "ok")
    return {
        "run_id": state.get("run_id", ""),
        "status": status,
        "aborted": state.get("aborted", ""),
        "client_id": ctx.client_id,
        "brain": brain_label(ctx, structures),
        "brains": brains_section(ctx, structures),
        "usage": usage_section(state, ctx),
        "db": ctx.db,
        "wall_time_s": round(time.time() - (state.get("started_at") or time.time()), 3),
        "unchanged_since": "",  # set when a re-run found every source as an earlier run left it
        "sources": [
            {
                "source": r["source_key"],
                "type": r.get("source_type", ""),
                "status": r.get("status", ""),
                "reason": r.get("reason", ""),
                "listed": r.get("listed", 0),
                "downloaded": r.get("downloaded", 0),
                "failed": len(r.get("failures") or []),
                "skipped": len(r.get("skipped") or []),
                "bytes": r.get("bytes", 0),
                "tool_calls": r.get("tool_calls", 0),
                "unchanged": len(r.get("unchanged") or []),
                "hints_read": r.get("hints_read", 0),
                "isolation": r.get("isolation", ""),
            }
            for r in explorations
        ],
        "batches": {
            "total": len(structures),
            "ok": sum(r.get("status") == "ok" for r in structures),
            "failed": sum(r.get("status") == "failed" for r in structures),
        },
        "items": {
            "downloaded": len(state.get("items") or []),
            "parsed": sum(p["status"] == "ok" for p in parsed),
            "failed": len(failures),
            "skipped": sum(len(r.get("skipped") or []) for r in explorations),
            "unchanged": len(state.get("unchanged") or []),
            "deleted": len(state.get("deleted") or []),
        },
        "entries": {
            "inserted": written.get("inserted", 0),
            "unchanged": written.get("unchanged", 0),
            "replaced_items": written.get("replaced_items", 0),
            "deleted": written.get("deleted_entries", 0),
            "total": counts.get("entries", 0),
        },
        "tree": {
            "domains": counts.get("domain", 0),
            "skills": counts.get("skill", 0),
            "entry_groups": counts.get("entry_group", 0),
        },
        # What trusted forum rules changed: items they placed in the tree, items they left undownloaded.
        "forum": {
            "posted": written.get("forum_posts", 0),
            "placed_by_rules": sum(bool(p.get("placed_by")) for p in parsed),
            "skipped_by_rules": sum(
                str(s.get("reason", "")).startswith("forum rule") for r in explorations for s in r.get("skipped") or []
            ),
        },
        "write_errors": written.get("batch_errors", []),
        "failures": sorted(failures, key=lambda f: (f["phase"], f.get("source_type", ""), f.get("locator", ""))),
    }


def report(state: PipelineState, runtime: Runtime[Context], *, deps: Deps) -> dict:
    """Write the report into state and remove the run's workspaces unless asked to keep them."""
    ctx = context_of(runtime)
    result = build_report(state, ctx, deps.store(ctx).counts(ctx.client_id))
    if not ctx.keep_workspaces and state.get("run_id"):
        remove_run_workspaces(workspace_root(ctx), state["run_id"])
    emit(runtime, "run_finished", run_id=result["run_id"], entries=result["entries"], failures=len(result["failures"]))
    return {"report": result}
