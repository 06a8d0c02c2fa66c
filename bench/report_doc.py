"""Write docs/BENCHMARKS.md from one run's results: machine, versions, the seven lines, methods, findings."""

from __future__ import annotations

import importlib
import json
import time
from pathlib import Path

from bench.result import Result

_MODULES = {
    "P1": "p1_fanout",
    "P2": "p2_sample",
    "P3": "p3_search",
    "P4": "p4_memory",
    "P5": "p5_tokens",
    "P6": "p6_rerun",
    "P7": "p7_writes",
    "P8": "p8_hybrid",
}


def _method(key: str) -> tuple[str, str]:
    """A measure's method (its module docstring, less the title line) and its findings text."""
    module = importlib.import_module(f"bench.{_MODULES[key]}")
    doc = (module.__doc__ or "").strip().split("\n", 1)
    return " ".join(doc[1].split()) if len(doc) > 1 else "", getattr(module, "FINDINGS", "").strip()


def _status(r: Result) -> str:
    return "SKIP" if r.ratio is None else ("ok" if r.ok else "MISS")


def write_doc(path: Path, results: list[Result], machine: dict[str, str], total_s: float, tiny: bool = False) -> None:
    lines = [
        "# Benchmarks",
        "",
        "Each claim of the design measured against its baseline in the same run: ratios, not absolute",
        "times, because this machine is shared and noisy. `make bench` runs `bench/run.py`, prints",
        "one line per measure and rewrites this page. Times are taken inside the Python process",
        "(`time.perf_counter` around the work, e.g. the pipeline graph's `invoke`); Python start-up",
        "and imports are not included.",
        "",
        f"Run of {time.strftime('%Y-%m-%d %H:%M %Z')}, {total_s:.0f} s in all"
        + (" — **tiny mode: a smoke run, not a measurement**" if tiny else "")
        + ".",
        "",
        "```",
        *[r.line() for r in results],
        "```",
        "",
        "## Machine",
        "",
        "| | |",
        "| --- | --- |",
        *[f"| {k} | {v} |" for k, v in machine.items()],
        "",
        "## Results",
        "",
        "| measure | ratio | goal | status | seconds |",
        "| --- | --- | --- | --- | --- |",
        *[
            f"| {r.key} {r.name} | {'-' if r.ratio is None else f'{r.ratio:.3g}'} | {r.goal_text} | {_status(r)} "
            f"| {r.seconds:.0f} |"
            for r in results
        ],
        "",
    ]
    for r in results:
        method, findings = _method(r.key)
        lines += [f"## {r.key} {r.name}", "", method, ""]
        if r.skipped:
            lines += [f"Not measured: {r.skipped}.", ""]
        if r.note:
            lines += [f"Note: {r.note}", ""]
        if r.measured:
            lines += ["```json", json.dumps(r.measured, indent=1, sort_keys=True), "```", ""]
        if findings:
            lines += [findings, ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines))
