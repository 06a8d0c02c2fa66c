"""P6: a second `grove run` over unchanged sources, against the first, as a user runs them.

Each run is a whole `grove run --json` process (interpreter start-up, imports, the run, exit),
both over the bundled sample into the same KB. The first run explores, downloads, parses and
writes everything; the second finds every source as the first left it. Ratio = second
process's wall time / first process's wall time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.exports import REPO, run_sources
from bench.result import Result, cli

GOAL = 0.10

FINDINGS = """
**Findings.** Before, a second run in a fresh process took about half the first: it loaded
LangGraph, LangChain and the Composio SDK (its pydantic models alone cost seconds of import
in an explorer thread, since the offline tools are wrapped by Composio's provider), built the
graph, listed every source through the tools (parsing the whole mbox again to index it) and
read the forum hints, all to find nothing to do. Now the CLI fingerprints each local source
(directory entries and their metadata, no content) before anything else; when the sources,
the run settings and the client's item ledger are exactly as a settled earlier run left them,
the report is built from the ledger, still listing the items the ledger holds as failed, and
the graph and its libraries are never imported. Any change sends the run through the agents.
"""


def grove_run(sources: list[dict], db: Path, workspaces: Path) -> tuple[dict, float]:
    """Run `grove run --json` as its own process; return (its report, its wall time in seconds)."""
    argv = [
        sys.executable,
        "-m",
        "cli.main",
        "run",
        "--client",
        "bench",
        "--db",
        str(db),
        "--workspace-root",
        str(workspaces),
        "--json",
    ]
    for source in sources:
        argv += ["--source", f"{source['type']}={source['path']}"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    started = time.perf_counter()
    done = subprocess.run(argv, cwd=REPO, env=env, capture_output=True, text=True, timeout=1800)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"grove run exited {done.returncode}: {done.stderr.strip()[-300:]}")
    return json.loads(done.stdout), seconds


def measure(tiny: bool = False) -> Result:
    """P6: a second `grove run` process over unchanged sources, against the first."""
    with tempfile.TemporaryDirectory(prefix="grove-bench-p6-") as tmp:
        root = Path(tmp)
        sources = run_sources(root / "export", tiny)
        first, first_s = grove_run(sources, root / "kb.db", root / "ws")
        second, second_s = grove_run(sources, root / "kb.db", root / "ws")
    note = ""
    if second["items"]["downloaded"] or second["items"]["parsed"]:
        note = "the second run downloaded or parsed items again"
    elif second["status"] != first["status"]:
        note = f"the second run's status is {second['status']}, the first's {first['status']}"
    return Result(
        "P6",
        "rerun",
        round(second_s / first_s, 3),
        GOAL,
        measured={
            "first_process_s": round(first_s, 3),
            "second_process_s": round(second_s, 3),
            "first_wall_time_s": first["wall_time_s"],
            "second_wall_time_s": second["wall_time_s"],
            "first_downloaded": first["items"]["downloaded"],
            "second_downloaded": second["items"]["downloaded"],
            "second_unchanged": second["items"]["unchanged"],
            "second_status": second["status"],
            "second_known_failures": len(second["failures"]),
            "second_unchanged_since_first": second.get("unchanged_since") == first["run_id"],
        },
        note=note,
    )


if __name__ == "__main__":
    raise SystemExit(cli(measure))
