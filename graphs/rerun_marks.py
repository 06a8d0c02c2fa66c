"""Marks of finished runs over local sources, so a re-run with nothing new skips the agents.

After a run that left nothing to retry (every source listed in full, no item skipped by a
limit, no download or batch failure), the CLI keeps a mark beside the run checkpoints: the
fingerprint each local source had when the run started, the run's settings and a digest of
the client's item ledger and KB counts as the run left them. A later run with the same
settings whose sources and ledger still match has nothing to download, parse or write,
exactly what the pipeline would find after listing every source; its report is then built
from the ledger (nodes.supervisor.report_unchanged) without loading the agents.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from pathlib import Path

from kb.open_store import open_store
from kb.store import Store
from nodes.context import Context
from nodes.supervisor.report_unchanged import unchanged_report
from tools.sources.fingerprint import local_fingerprint

MARKS_DDL = (
    "CREATE TABLE IF NOT EXISTS grove_rerun_marks (mark_key TEXT PRIMARY KEY, run_id TEXT NOT NULL, "
    "sources TEXT NOT NULL, ledger TEXT NOT NULL, summary TEXT NOT NULL, recorded_at REAL)"
)
# Settings that do not change what a run finds or writes.
_NOT_SETTINGS = ("run_id", "keep_workspaces", "workspace_root", "isolation", "full_refresh")


def mark_key(ctx: Context) -> str:
    """One mark per client, KB and run settings."""
    settings = {k: v for k, v in ctx.to_dict().items() if k not in _NOT_SETTINGS}
    return hashlib.sha256(json.dumps(settings, sort_keys=True, default=str).encode()).hexdigest()


def sources_fingerprint(ctx: Context) -> str:
    """Fingerprint of every source of the run; empty when one is not a local export (or is gone)."""
    parts = []
    for source in ctx.sources:
        if source.get("connection", "local") != "local" or not source.get("path"):
            return ""
        try:
            parts.append(f"{source['type']}={local_fingerprint(source['path'])}")
        except OSError:
            return ""
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def ledger_digest(store: Store, ctx: Context) -> str:
    """Digest of the client's item ledger and KB sizes: any write by any run changes it."""
    digest = hashlib.sha256(json.dumps(store.counts(ctx.client_id), sort_keys=True).encode())
    for row in sorted(store.items(ctx.client_id), key=lambda r: (r.source_type, r.item_id)):
        digest.update(
            "\t".join(
                (
                    row.source_type,
                    row.item_id,
                    row.revision,
                    row.content_hash,
                    row.status,
                    row.reason,
                    row.last_seen_run_id,
                )
            ).encode()
            + b"\n"
        )
    return digest.hexdigest()


def settled(report: dict) -> bool:
    """True when a re-run over the same unchanged sources would download, parse and write nothing."""
    return (
        report.get("status") in ("ok", "partial")
        and not report.get("write_errors")
        and report.get("brain") == "offline"
        and all(
            s.get("status") == "ok" and not s.get("skipped") and not s.get("failed")
            for s in report.get("sources") or []
        )
        and not (report.get("batches") or {}).get("failed")
        and all(f.get("phase") == "structure" and f.get("item_id") for f in report.get("failures") or [])
    )


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=30)
    conn.execute(MARKS_DDL)
    return conn


def record_mark(path: Path, ctx: Context, fingerprint: str, store: Store, report: dict) -> None:
    """Keep the mark of a settled run: its sources' fingerprint, the ledger it left, its source counts."""
    summary = {
        "run_id": report["run_id"],
        "sources": [
            {
                "source": s["source"],
                "type": s["type"],
                "listed": s["listed"],
                "unchanged": s["unchanged"] + s["downloaded"],
                "isolation": s["isolation"],
            }
            for s in report["sources"]
        ],
        "locators": {
            f"{f['source_type']}:{f['item_id']}": [f["locator"], f.get("source", "")]
            for f in report.get("failures") or []
        },
    }
    conn = _connect(path)
    try:
        with conn:
            conn.execute(
                "INSERT OR REPLACE INTO grove_rerun_marks VALUES (?, ?, ?, ?, ?, ?)",
                (
                    mark_key(ctx),
                    report["run_id"],
                    fingerprint,
                    ledger_digest(store, ctx),
                    json.dumps(summary),
                    time.time(),
                ),
            )
    finally:
        conn.close()


def matching_mark(path: Path, ctx: Context, fingerprint: str, store: Store) -> dict | None:
    """The summary of the last settled run when sources, settings and ledger are all as it left them."""
    conn = _connect(path)
    try:
        row = conn.execute(
            "SELECT sources, ledger, summary FROM grove_rerun_marks WHERE mark_key = ?", (mark_key(ctx),)
        ).fetchone()
    finally:
        conn.close()
    if row is None or row[0] != fingerprint or row[1] != ledger_digest(store, ctx):
        return None
    return json.loads(row[2])


def unchanged_run(ctx: Context, checkpoints: Path, fingerprint: str, started_at: float) -> dict | None:
    """The report of this run when nothing changed since the last settled one, else None (run the graph)."""
    if not fingerprint or ctx.only_items or ctx.full_refresh or not checkpoints.exists():
        return None
    store = open_store(ctx.db or None, ctx.kb or None)
    try:
        mark = matching_mark(checkpoints, ctx, fingerprint, store)
        return None if mark is None else unchanged_report(ctx, ctx.run_id, started_at, store, mark)
    finally:
        store.close()


def keep_mark(ctx: Context, checkpoints: Path, fingerprint: str, report: dict) -> None:
    """Record the mark of a finished run (when it settled its sources) for the next run to compare with."""
    if not fingerprint or ctx.only_items or not settled(report):
        return
    store = open_store(ctx.db or None, ctx.kb or None)
    try:
        record_mark(checkpoints, ctx, fingerprint, store, report)
    finally:
        store.close()
