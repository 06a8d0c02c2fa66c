"""Crash injection: a run killed with SIGKILL at each node boundary, then resumed, ends with a clean run's KB."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from kb.sqlite.store import SqliteStore

CHILD = Path(__file__).with_name("crash_child.py")
ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def child(settings: dict, kill_after: int, mode: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(CHILD), json.dumps(settings), str(kill_after), mode],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def kb_snapshot(db: str) -> dict:
    """What the KB holds, independent of run ids: tree ids, entries by content, ledger outcomes."""
    store = SqliteStore(db)
    try:
        return {
            "tree": sorted((n.id, n.level, n.name) for n in store.tree("crash")),
            "entries": sorted((e.id, e.tree_node_id, e.locator, e.content_hash) for e in store.entries("crash")),
            "ledger": sorted((i.source_type, i.item_id, i.status, i.content_hash) for i in store.items("crash")),
        }
    finally:
        store.close()


def settings_for(tmp: Path, sources: list[dict], run_id: str) -> dict:
    return {
        "client_id": "crash",
        "sources": sources,
        "db": str(tmp / "kb.db"),
        "run_id": run_id,
        "workspace_root": str(tmp / "ws"),
        "isolation": "process",
        "batch_size": 2,
    }


def test_sigkill_at_every_node_boundary_then_resume_matches_a_clean_run(tmp_path, tiny_sources):
    clean_dir = tmp_path / "clean"
    clean_dir.mkdir()
    done = child(settings_for(clean_dir, tiny_sources, "clean"), 0, "start")
    assert done.returncode == 0, done.stderr
    events = json.loads(done.stdout)["events"]
    expected = kb_snapshot(str(clean_dir / "kb.db"))
    assert expected["entries"] and events >= 10

    for kill_after in range(1, events + 1):
        run_dir = tmp_path / f"kill{kill_after}"
        run_dir.mkdir()
        settings = settings_for(run_dir, tiny_sources, f"run{kill_after}")
        killed = child(settings, kill_after, "start")
        assert killed.returncode == -signal.SIGKILL, (kill_after, killed.stderr[-2000:])
        resumed = child(settings, 0, "resume")
        assert resumed.returncode == 0, (kill_after, resumed.stderr[-2000:])
        assert json.loads(resumed.stdout)["status"] in ("ok", "partial")
        assert kb_snapshot(settings["db"]) == expected, f"KB differs after a kill at event {kill_after}"
