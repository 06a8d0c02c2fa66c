"""`make bench`: run every measure, print one line each, write docs/BENCHMARKS.md.

Each measure runs in its own Python process (`python -m bench.<module> --json`), one after
another, so one measure's memory, threads, open files and CPU never weigh on the next.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from bench.exports import REPO
from bench.machine import describe
from bench.report_doc import write_doc
from bench.result import RESULT_PREFIX, Result

MEASURES = ("p1_fanout", "p2_sample", "p3_search", "p4_memory", "p5_tokens", "p6_rerun", "p7_writes", "p8_hybrid")
DOC = REPO / "docs" / "BENCHMARKS.md"


def _start(module: str, tiny: bool) -> subprocess.Popen:
    args = [sys.executable, "-m", f"bench.{module}", "--json"] + (["--tiny"] if tiny else [])
    return subprocess.Popen(args, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _finish(module: str, proc: subprocess.Popen) -> Result:
    out, err = proc.communicate()
    for line in out.splitlines():
        if line.startswith(RESULT_PREFIX):
            data = json.loads(line[len(RESULT_PREFIX) :])
            for key in ("ok", "line"):
                data.pop(key, None)
            return Result(**data)
    key = "P" + module[1]
    tail = (err.strip().splitlines() or ["no output"])[-1][:200]
    return Result(key, module.split("_", 1)[1], None, 0.0, skipped=f"failed: {tail}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiny", action="store_true", help="seconds-long runs that only check the scripts work")
    parser.add_argument("--doc", type=Path, default=DOC, help="where to write the results page")
    parser.add_argument("--only", nargs="*", default=None, help="module names to run (default: all)")
    args = parser.parse_args(argv)
    modules = [m for m in MEASURES if not args.only or m in args.only]
    machine = describe()
    started = time.perf_counter()
    results: dict[str, Result] = {}
    for module in modules:
        results[module] = _finish(module, _start(module, args.tiny))
        print(results[module].line(), flush=True)
    total = time.perf_counter() - started
    ordered = [results[m] for m in modules]
    write_doc(args.doc, ordered, machine, total, tiny=args.tiny)
    print(f"{sum(r.ok for r in ordered)}/{len(ordered)} within goal in {total:.0f} s; wrote {args.doc}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
