"""The report of a re-run whose sources and ledger are as the last settled run left them.

Such a run downloads, parses and writes nothing (graphs.rerun_marks decides when); its report
has the pipeline report's shape, every item counted unchanged, and the items the ledger still
holds as failed listed under `failures`, so the status stays `partial` while they fail.
"""

from __future__ import annotations

import time

from kb.store import Store
from nodes.context import Context
from nodes.supervisor.report_usage import brain_label, brains_section, usage_section


def known_failures(store: Store, ctx: Context, mark: dict) -> list[dict]:
    """The ledger's failed items of the run's source types, located as the settled run reported them."""
    first_source = {}
    for s in reversed(mark["sources"]):
        first_source[s["type"]] = s["source"]
    failures = []
    for row in store.items(ctx.client_id):
        if row.status != "failed" or row.source_type not in first_source:
            continue
        locator, source = mark["locators"].get(
            f"{row.source_type}:{row.item_id}", [f"{row.source_type}:{row.item_id}", ""]
        )
        source = source or first_source[row.source_type]
        failures.append(
            {
                "phase": "structure",
                "source": source,
                "item_id": row.item_id,
                "source_type": row.source_type,
                "locator": locator,
                "reason": row.reason,
                "since_run": row.last_seen_run_id,
            }
        )
    return sorted(failures, key=lambda f: (f["phase"], f["source_type"], f["locator"]))


def unchanged_report(ctx: Context, run_id: str, started_at: float, store: Store, mark: dict) -> dict:
    """Build the report of a run that found every source unchanged since run `mark['run_id']`."""
    failures = known_failures(store, ctx, mark)
    counts = store.counts(ctx.client_id)
    sources = [
        {
            "source": s["source"],
            "type": s["type"],
            "status": "ok",
            "reason": "",
            "listed": s["listed"],
            "downloaded": 0,
            "failed": 0,
            "skipped": 0,
            "bytes": 0,
            "tool_calls": 0,
            "unchanged": s["unchanged"],
            "hints_read": 0,
            "isolation": s["isolation"],
        }
        for s in mark["sources"]
    ]
    return {
        "run_id": run_id,
        "status": "partial" if failures else "ok",
        "aborted": "",
        "client_id": ctx.client_id,
        "brain": brain_label(ctx, []),
        "brains": brains_section(ctx, []),
        "usage": usage_section({}, ctx),
        "db": ctx.db,
        "wall_time_s": round(time.time() - started_at, 3),
        "unchanged_since": mark["run_id"],
        "sources": sources,
        "batches": {"total": 0, "ok": 0, "failed": 0},
        "items": {
            "downloaded": 0,
            "parsed": 0,
            "failed": len(failures),
            "skipped": 0,
            "unchanged": sum(s["unchanged"] for s in sources),
            "deleted": 0,
        },
        "entries": {
            "inserted": 0,
            "unchanged": 0,
            "replaced_items": 0,
            "deleted": 0,
            "total": counts.get("entries", 0),
        },
        "tree": {
            "domains": counts.get("domain", 0),
            "skills": counts.get("skill", 0),
            "entry_groups": counts.get("entry_group", 0),
        },
        "forum": {"posted": 0},
        "write_errors": [],
        "failures": failures,
    }
