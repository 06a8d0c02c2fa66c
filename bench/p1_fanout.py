"""P1: the pipeline over 16 sources whose tool calls each take an injected latency, against raw asyncio.gather.

Every tool call of every explorer sleeps LATENCY seconds before it runs (a remote API's round
trip). The pipeline run records the calls each explorer made; the baseline replays exactly
those calls, one coroutine per source (calls in order within a source, as pagination
requires), all sources at once under `asyncio.gather`, each call an `asyncio.sleep(LATENCY)`
followed by the same tool doing the same work in a worker thread. Ratio = pipeline wall time / baseline wall
time; the pipeline's time includes structuring and writing the KB, which the baseline skips.
"""

from __future__ import annotations

import asyncio
import tempfile
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.result import Result, cli

SOURCES = 16
LATENCY = 0.25  # seconds per tool call: a typical remote API round trip
ITEMS = 4  # items per source
KINDS = ("gmail", "drive", "sheets")
GOAL = 1.15

FINDINGS = """
**Findings.** The sixteen explorers overlap: the pipeline's time is the slowest source's
calls plus what follows the join (structuring, writing the KB, the report), which the
baseline does not do. The fan-out needs `max_concurrency` of at least the number of sources
(this measure passes 16): without it LangGraph's thread pool has cores + 4 workers (6 here)
and the explorers run in waves; `grove run --concurrency` defaults to 16 (cli/main.py). What
an explorer does before its first call counts too, since sixteen start at once on two cores:
building its tools converted each Composio JSON schema to pydantic models again (about 20 ms
of CPU per explorer, 0.3 s in all, paid in turn under the GIL), so the last explorer started
its calls a quarter of a second late. Argument models are now built once per schema
(tools/sources/local.py, tools/sandbox/tools.py): the ratio went from 1.14-1.17 to about
1.10.
"""


def _sources(root: Path, count: int, items: int) -> list[dict]:
    from bench.exports import small_source

    return [small_source(root / f"src{i}", KINDS[i % len(KINDS)], i, items) for i in range(count)]


def _recording_tools(latency: float, calls: dict):
    """An explorer_tools factory whose runners sleep `latency` per call and record (name, args) by source."""
    from nodes.deps import make_explorer_tools

    lock = threading.Lock()

    def factory(ctx, source, sandbox):
        runner = make_explorer_tools(ctx, source, sandbox)
        original = runner.invoke

        def invoke(name, args):
            with lock:
                calls[source["name"]].append((name, dict(args)))
            time.sleep(latency)
            return original(name, args)

        runner.invoke = invoke
        return runner

    return factory


def _runner(source: dict, root: Path):
    from nodes.context import Context
    from nodes.deps import make_explorer_tools
    from tools.sandbox.sandbox import Sandbox

    sandbox = Sandbox(root, "baseline", source["name"], isolation="process")
    return make_explorer_tools(Context(client_id="bench"), source, sandbox), sandbox


async def _replay(runner, calls: list, latency: float) -> None:
    for name, args in calls:
        await asyncio.sleep(latency)
        await asyncio.to_thread(runner.invoke, name, args)


async def _gather(sources: list[dict], calls: dict, latency: float, root: Path) -> float:
    """Time only the calls: runners and sandboxes are built before the clock starts."""
    bound = [_runner(s, root) for s in sources]
    # One worker per source, as the pipeline has: the default pool (cores + 4) would queue them.
    asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(max_workers=len(sources)))
    started = time.perf_counter()
    await asyncio.gather(*(_replay(runner, calls[s["name"]], latency) for s, (runner, _) in zip(sources, bound)))
    elapsed = time.perf_counter() - started
    for _, sandbox in bound:
        sandbox.close()
    return elapsed


def measure(tiny: bool = False) -> Result:
    """P1: 16 sources with an injected per-call latency, against asyncio.gather of the same calls."""
    from bench.pipeline_run import quiet_logs, run_pipeline
    from nodes.deps import default_deps

    quiet_logs()
    count, latency, items = (4, 0.02, 2) if tiny else (SOURCES, LATENCY, ITEMS)
    with tempfile.TemporaryDirectory(prefix="grove-bench-p1-") as tmp:
        root = Path(tmp)
        sources = _sources(root / "exports", count, items)
        # Warm-up: one source, no latency, so one-time imports are not charged to either side.
        run_pipeline(root / "warm", sources[:1], isolation="process")
        calls: dict = defaultdict(list)
        deps = default_deps(explorer_tools=_recording_tools(latency, calls))
        state, pipeline_s = run_pipeline(
            root / "run", sources, deps=deps, concurrency=max(16, count), isolation="process"
        )
        baseline_s = asyncio.run(_gather(sources, calls, latency, root / "baseline"))
    report = state["report"]
    per_source = sorted(len(c) for c in calls.values())
    failed = [s["source"] for s in report["sources"] if s["status"] != "ok"]
    return Result(
        "P1",
        "fanout",
        round(pipeline_s / baseline_s, 3),
        GOAL,
        measured={
            "sources": count,
            "latency_s": latency,
            "tool_calls": sum(per_source),
            "calls_per_source_max": per_source[-1],
            "pipeline_s": round(pipeline_s, 3),
            "baseline_s": round(baseline_s, 3),
            "entries": report["entries"]["inserted"],
            "failed_sources": failed,
        },
        note="" if not failed else f"sources failed: {failed}",
    )


if __name__ == "__main__":
    raise SystemExit(cli(measure))
