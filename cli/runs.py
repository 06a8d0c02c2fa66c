"""Durable CLI runs: a SQLite checkpointer next to the KB, run ids, resume and retry of failed items."""

from __future__ import annotations

import json
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from kb.open_store import default_location, is_convex
from kb.store import Store
from nodes.context import Context

if TYPE_CHECKING:  # LangGraph loads only when a run needs checkpoints, not for a re-run with nothing to do
    from langgraph.checkpoint.sqlite import SqliteSaver

RUNS_DDL = "CREATE TABLE IF NOT EXISTS grove_runs (run_id TEXT PRIMARY KEY, context TEXT NOT NULL, started_at REAL)"


def checkpoint_path(db: str, override: str = "") -> Path:
    """Where run checkpoints live: beside a SQLite KB, else under ~/.grove."""
    if override:
        return Path(override).expanduser()
    location = db or default_location()
    if is_convex(location) or location == ":memory:" or location.startswith("sqlite:///"):
        return Path("~/.grove/checkpoints.db").expanduser()
    return Path(location).expanduser().with_name(Path(location).name + ".checkpoints")


@contextmanager
def open_checkpointer(path: Path) -> Iterator[SqliteSaver]:
    """Open (creating) the checkpoint database; LangGraph writes one checkpoint per step into it."""
    from langgraph.checkpoint.sqlite import SqliteSaver

    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
    try:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(RUNS_DDL)
            conn.commit()
        except sqlite3.DatabaseError as exc:
            raise ValueError(
                f"checkpoint store {path} is unusable ({exc}); is another run holding it, "
                "or is it not a checkpoint database? Pass --checkpoints to use another"
            ) from exc
        yield SqliteSaver(conn)
    finally:
        conn.close()


def run_config(run_id: str, concurrency: int) -> dict:
    """The config of a durable run: its checkpoint thread is the run id."""
    return {"configurable": {"thread_id": run_id}, "max_concurrency": concurrency}


def remember_run(saver: SqliteSaver, ctx: Context) -> None:
    """Keep a run's settings beside its checkpoints, so `--resume` needs only the run id."""
    with saver.lock:
        saver.conn.execute(
            "INSERT OR REPLACE INTO grove_runs VALUES (?, ?, ?)", (ctx.run_id, json.dumps(ctx.to_dict()), time.time())
        )
        saver.conn.commit()


def saved_context(saver: SqliteSaver, run_id: str) -> Context:
    """Return the settings a run was started with; ValueError naming the run when there is none."""
    with saver.lock:
        row = saver.conn.execute("SELECT context FROM grove_runs WHERE run_id = ?", (run_id,)).fetchone()
    if row is None:
        raise ValueError(
            f"no run {run_id!r} in the checkpoint store; use the run id a report printed, "
            "with the same --db (or --checkpoints)"
        )
    return Context(**json.loads(row[0]))


def failed_items(store: Store, client_id: str, run_id: str) -> list[str]:
    """Items a run left failed, as 'source_type:item_id', for `--retry-failed`."""
    return sorted(
        f"{row.source_type}:{row.item_id}"
        for row in store.items(client_id)
        if row.status == "failed" and row.last_seen_run_id == run_id
    )
