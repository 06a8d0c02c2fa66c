"""P2: the offline pipeline on the bundled sample, against parsing the same files only.

The pipeline runs once, cold KB, in this process (Python start-up and imports excluded; a
warm-up run on a tiny export pays for one-time imports first). The baseline then parses
exactly the items that run downloaded, from the files the explorers left in their
workspaces, one after another with the same parser calls the structurer makes (archives
through `parse_archive`, everything else through `parse_file`). Ratio = pipeline wall time
/ parse-only wall time: what exploring, structuring, writing the KB and the graph add.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench.result import Result, cli

GOAL = 1.5

FINDINGS = """
**Findings.** Profiled with py-spy and per-node timings: besides parsing (which the
pipeline spreads over threads and parser processes), the run pays for (1) the Gmail
connector's index, built on first listing by fully parsing every message (headers, body,
attachments) although the index keeps only headers and attachment names; (2) the offline
structurer's taxonomy classifier, which re-tokenises every keyword of every skill for every
item (`kb/taxonomy.py` `_hits` calls `_tokens(kw)` each time: caching the normalised
keywords once per taxonomy removes most of it); (3) writing the entries with their FTS index
(see P7); (4) reading forum hints once per batch. The parse-only baseline is sequential,
so on an idle machine the pipeline's parallel parsing hides part of this; on a loaded
2-core machine it does not. Items (1) and (2) are the fixes: a header-only index pass in
`tools/sources/gmail/mail_index.py` (the full parse of a message is only needed when it is
fetched) and a keyword cache in the taxonomy.

**Now.** The ratio moves between 1.40 and 1.52 from run to run on this shared 2-core
machine (standalone runs on 2026-12-05: 1.45, 1.49, 1.45, 1.47; the previous commit, run
alternately with this one: 1.40, 1.42 against 1.40, 1.47), so a full run can land on either
side of the goal. Timed per phase in the measured run, what the pipeline adds after parsing:
merging duplicates 0.65 s (word 5-gram sets and MinHash signatures over about 1,100 drafts),
embedding the entries 0.70 s (WordLlama over titles and 600-character heads) plus 0.2 s of
SQLite writes, placing topics 0.10 s and gathering lone topics 0.05 s. The next gains are
there: the 5-gram sets computed while batches are parsed, and one embedding per entry.
"""


def parse_only(items: list[dict], max_bytes: int) -> tuple[float, int]:
    """Parse each item as the structurer does; return (seconds, items parsed ok)."""
    from tools.parsers import is_archive, parse_archive, parse_file

    ok = 0
    started = time.perf_counter()
    for item in items:
        path = Path(item["path"])
        name = item["name"] if item.get("kind") in ("file", "attachment") else path.name
        parse = parse_archive if is_archive(path, name) else parse_file
        ok += parse(path, name=name, max_bytes=max_bytes).ok
    return time.perf_counter() - started, ok


def warm_up(root: Path) -> None:
    """One tiny run, so imports and the parser process server are not charged to the measure."""
    from bench.exports import small_source
    from bench.pipeline_run import run_pipeline

    sources = [small_source(root / "export", kind, 0, 1) for kind in ("gmail", "drive", "sheets")]
    run_pipeline(root, sources)


def measure(tiny: bool = False) -> Result:
    """P2: the offline pipeline on the bundled sample, against parsing the same files only."""
    from bench.exports import run_sources
    from bench.pipeline_run import quiet_logs, run_pipeline
    from nodes.context import Context

    quiet_logs()
    with tempfile.TemporaryDirectory(prefix="grove-bench-p2-") as tmp:
        root = Path(tmp)
        warm_up(root / "warm")
        sources = run_sources(root / "export", tiny)
        state, pipeline_s = run_pipeline(root / "run", sources, keys=("report", "items"), keep_workspaces=True)
        items = state.get("items") or []
        parse_s, parsed = parse_only(items, Context().max_item_bytes)
    report = state["report"]
    return Result(
        "P2",
        "sample",
        round(pipeline_s / parse_s, 3),
        GOAL,
        measured={
            "items": len(items),
            "parsed_ok_pipeline": report["items"]["parsed"],
            "parsed_ok_baseline": parsed,
            "entries": report["entries"]["inserted"],
            "pipeline_s": round(pipeline_s, 3),
            "parse_only_s": round(parse_s, 3),
            "report_wall_time_s": report["wall_time_s"],
        },
    )


if __name__ == "__main__":
    raise SystemExit(cli(measure))
