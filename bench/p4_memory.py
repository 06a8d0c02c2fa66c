"""P4: peak RSS ingesting a 1 GB mbox against a 10 MB one.

The large mbox repeats the sample's messages, each copy with its own Message-ID.

Each size is ingested by a fresh child process (bench/p4_ingest.py): the local Gmail tools,
as an explorer is bound to them, list every page of message ids and fetch every message
raw. The connector indexes the export on first use (one streaming pass that parses every
message for ids, threads, labels and attachments into a SQLite file, in the run's temporary
folder here) and then reads each message from its offset. The child reports its own peak
resident set (ru_maxrss), which includes the interpreter and the imported libraries
(LangChain, Composio). Ratio = peak RSS at 1 GB / peak RSS at 10 MB. Within `make bench`'s
15 minutes the large run is 256 MB, and the 1 GB peak is projected from it along the
measured growth per message; GROVE_BENCH_P4_FULL=1 ingests the full 1 GB instead (about 15
minutes here).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.exports import REPO, grow_mbox
from bench.result import Result, cli

GOAL = 1.5
SMALL, MEASURED, TARGET = 10 << 20, 256 << 20, 1 << 30

FINDINGS = """
**Findings.** Peak RSS is the interpreter with its libraries (about 250 MB, most of it
LangChain, Composio's client models and pydantic); the mailbox adds almost nothing. The
connector's index lives in a SQLite file (`tools/sources/gmail/mail_index_build.py`): one
streaming pass over the mbox (`tools/sources/gmail/mbox_spans.py`, the stdlib's message
boundaries without its in-memory table of offsets) writes each message's headers, labels,
attachment names and offsets as it goes; threads are joined by union-find over one integer
per thread key. Listings and searches read rows a page at a time and keep a search's
matches as 8-byte places, so what grows with the mailbox is those arrays: about 0.16 KiB a
message against 1.7 KiB when the index was Python objects (ratio 2.22 before, same run
conditions). A re-run over an unchanged mbox reuses the index file (size and modification
time match) and parses nothing to list it. Ingest speed is bounded by the stdlib email
parser (about 1–2 ms a message here), which is why the 1 GB run takes minutes and why the
structurer's own parse of each message is left out of this measure (it holds one message at
a time and adds nothing that accumulates).
A full 1 GB ingest on this machine (GROVE_BENCH_P4_FULL=1, 2026-12-04, niced beside other
jobs): 192,050 messages, peak RSS 265.5 MB against 258.6 MB for 10 MB (ratio 1.03, 0.04 KiB
per extra message); before the change the same run gave 582.7 MB (ratio 2.27).
"""


def _ingest(path: Path) -> dict:
    # The connector's on-disk index goes beside the mailbox, and away with it.
    env = {**os.environ, "GROVE_MAIL_INDEX_DIR": str(path.parent / "mail-index")}
    done = subprocess.run(
        [sys.executable, "-m", "bench.p4_ingest", str(path), "--no-parse"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    out = json.loads(done.stdout.strip().splitlines()[-1])
    out["children_maxrss_mb"] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)
    return out


def measure(tiny: bool = False) -> Result:
    """P4: peak RSS ingesting a 1 GB mbox, against a 10 MB one."""
    full = os.environ.get("GROVE_BENCH_P4_FULL") == "1"
    small, large = (1 << 20, 3 << 20) if tiny else (SMALL, TARGET if full else MEASURED)
    target = 4 << 20 if tiny else TARGET
    out: dict = {}
    with tempfile.TemporaryDirectory(prefix="grove-bench-p4-") as tmp:
        for label, size in (("small", small), ("large", large)):
            path = Path(tmp) / f"{label}.mbox"
            out[label] = {"mbox": grow_mbox(path, size), **_ingest(path)}
            path.unlink()
    lo, hi = out["small"], out["large"]
    per_message_mb = (hi["peak_rss_mb"] - lo["peak_rss_mb"]) / max(1, hi["messages"] - lo["messages"])
    out["kib_per_extra_message"] = round(per_message_mb * 1024, 2)
    note = ""
    if large < target:
        # The same messages repeated: message count scales with bytes.
        messages = round(hi["messages"] * target / hi["mbox"]["bytes"])
        peak = lo["peak_rss_mb"] + per_message_mb * (messages - lo["messages"])
        out["projected_target"] = {"bytes": target, "messages": messages, "peak_rss_mb": round(peak, 1)}
        note = (
            f"large run {large >> 20} MB measured; the {target >> 20} MB peak is projected from it "
            f"({messages} messages at {out['kib_per_extra_message']} KiB each)"
        )
    else:
        peak = hi["peak_rss_mb"]
    return Result("P4", "memory", round(peak / lo["peak_rss_mb"], 3), GOAL, measured=out, note=note)


if __name__ == "__main__":
    raise SystemExit(cli(measure))
