"""P4: peak RSS ingesting a 1 GB mbox (the sample's messages repeated, each copy its own Message-ID), against a 10 MB one.

Each size is ingested by a fresh child process (bench/p4_ingest.py): the local Gmail tools,
as an explorer is bound to them, list every page of message ids and fetch every message
raw. The connector indexes the export on first use (one full parse of every message for
ids, threads, labels and attachments) and then reads each message from its offset. The
child reports its own peak resident set (ru_maxrss), which includes the interpreter and
the imported libraries (LangChain, Composio). Ratio = peak RSS at 1 GB / peak RSS at 10 MB.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.exports import REPO, grow_mbox
from bench.result import Result, cli

GOAL = 1.5
SMALL, LARGE = 10 << 20, 1 << 30


def _ingest(path: Path) -> dict:
    done = subprocess.run([sys.executable, "-m", "bench.p4_ingest", str(path), "--no-parse"], cwd=REPO,
                          capture_output=True, text=True, check=True)
    out = json.loads(done.stdout.strip().splitlines()[-1])
    out["children_maxrss_mb"] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)
    return out


def measure(tiny: bool = False) -> Result:
    """P4: peak RSS ingesting a 1 GB mbox, against a 10 MB one."""
    small, large = (1 << 20, 3 << 20) if tiny else (SMALL, LARGE)
    out: dict = {}
    with tempfile.TemporaryDirectory(prefix="grove-bench-p4-") as tmp:
        for label, size in (("small", small), ("large", large)):
            path = Path(tmp) / f"{label}.mbox"
            out[label] = {"mbox": grow_mbox(path, size), **_ingest(path)}
            path.unlink()
    ratio = out["large"]["peak_rss_mb"] / out["small"]["peak_rss_mb"]
    per_message = ((out["large"]["peak_rss_mb"] - out["small"]["peak_rss_mb"]) * 1024
                   / max(1, out["large"]["messages"] - out["small"]["messages"]))
    out["kib_per_extra_message"] = round(per_message, 2)
    return Result("P4", "memory", round(ratio, 3), GOAL, measured=out)


if __name__ == "__main__":
    raise SystemExit(cli(measure))
