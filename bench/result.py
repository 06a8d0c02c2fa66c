"""One measure's outcome, its printed line and the command line every bench script shares."""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import asdict, dataclass, field
from typing import Callable

RESULT_PREFIX = "BENCH-RESULT "


@dataclass
class Result:
    """A ratio against its goal: `better` is "lower" (ratio <= goal) or "higher" (ratio >= goal)."""

    key: str
    name: str
    ratio: float | None
    goal: float
    better: str = "lower"
    measured: dict = field(default_factory=dict)
    note: str = ""
    seconds: float = 0.0
    skipped: str = ""

    @property
    def ok(self) -> bool:
        if self.ratio is None:
            return False
        return self.ratio <= self.goal if self.better == "lower" else self.ratio >= self.goal

    @property
    def goal_text(self) -> str:
        return ("<=" if self.better == "lower" else ">=") + f"{self.goal:g}"

    def line(self) -> str:
        """`P<n> <name> ratio=<x> goal=<y> ok|MISS` (SKIP with its reason when it could not run)."""
        if self.ratio is None:
            return f"{self.key} {self.name} ratio=- goal={self.goal_text} SKIP ({self.skipped})"
        return f"{self.key} {self.name} ratio={self.ratio:.3g} goal={self.goal_text} {'ok' if self.ok else 'MISS'}"

    def to_dict(self) -> dict:
        return {**asdict(self), "ok": self.ok, "line": self.line()}


def cli(measure: Callable[[bool], Result], argv: list[str] | None = None) -> int:
    """Run one measure; print its line (and, with --json, a machine-readable result for the runner)."""
    parser = argparse.ArgumentParser(description=(measure.__doc__ or "").strip().splitlines()[0])
    parser.add_argument("--tiny", action="store_true", help="a seconds-long run that only checks the script works")
    parser.add_argument("--json", action="store_true", help="also print the result as one JSON line")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    result = measure(args.tiny)
    result.seconds = round(time.perf_counter() - started, 2)
    print(result.line(), flush=True)
    if args.json:
        print(RESULT_PREFIX + json.dumps(result.to_dict()), flush=True)
    return 0


def percentile(values: list[float], q: float) -> float:
    """The q-quantile (0..1) of `values`, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]
