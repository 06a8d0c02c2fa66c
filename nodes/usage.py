"""Token usage and cost per agent and per run, read from the models' usage metadata, and the budgets."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from typing import Any

from nodes.context import Context

KEPT_RUNS = 64  # a long-lived server forgets the oldest runs' counters


def usage_of(message: Any) -> dict[str, int]:
    """The token counts a model reported on one reply (zeros when it reported none)."""
    meta = getattr(message, "usage_metadata", None) or {}
    inp, out = int(meta.get("input_tokens") or 0), int(meta.get("output_tokens") or 0)
    return {"input_tokens": inp, "output_tokens": out, "total_tokens": int(meta.get("total_tokens") or inp + out)}


def prices(ctx: Context) -> dict[str, dict]:
    """The run's price table; a JSON text is accepted as well as a mapping."""
    table = ctx.price_table
    if isinstance(table, str):
        table = json.loads(table) if table.strip() else {}
    return dict(table or {})


def cost_of(model: str, tokens: dict[str, int], table: dict[str, dict]) -> float:
    """Cost of `tokens` with `model`'s prices per million tokens (0 when the model is not priced)."""
    price = table.get(model) or table.get(model.partition(":")[2]) or {}
    return (
        tokens.get("input_tokens", 0) * float(price.get("input", 0))
        + tokens.get("output_tokens", 0) * float(price.get("output", 0))
    ) / 1_000_000


def empty_usage(model: str = "") -> dict:
    return {
        "model": model,
        "calls": 0,
        "unreported_calls": 0,
        "input_tokens": 0,
        "output_tokens": 0,
        "total_tokens": 0,
        "cost": 0.0,
    }


class UsageBook:
    """What each run and agent has spent so far in this process; parallel branches share one run budget."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._runs: OrderedDict[str, dict[str, dict]] = OrderedDict()

    def record(self, ctx: Context, run_id: str, agent: str, model: str, message: Any) -> dict:
        """Add one model reply to `agent`'s usage and return a copy of the agent's totals."""
        tokens = usage_of(message)
        with self._lock:
            agents = self._runs.setdefault(run_id, {})
            self._runs.move_to_end(run_id)
            while len(self._runs) > KEPT_RUNS:
                self._runs.popitem(last=False)
            row = agents.setdefault(agent, empty_usage(model))
            row["calls"] += 1
            row["unreported_calls"] += 0 if tokens["total_tokens"] else 1
            for key, value in tokens.items():
                row[key] += value
            row["cost"] = round(row["cost"] + cost_of(model, tokens, prices(ctx)), 6)
            return dict(row)

    def agent(self, run_id: str, agent: str, model: str = "") -> dict:
        with self._lock:
            return dict(self._runs.get(run_id, {}).get(agent) or empty_usage(model))

    def run_totals(self, run_id: str) -> dict:
        with self._lock:
            return total_of(self._runs.get(run_id, {}))

    def over_budget(self, ctx: Context, run_id: str, agent: str = "") -> str:
        """Why no more model work may start for this run (or agent), or '' while the budgets allow it."""
        run = self.run_totals(run_id)
        if ctx.max_tokens and run["total_tokens"] >= ctx.max_tokens:
            return f"run token budget reached ({run['total_tokens']} of {ctx.max_tokens} tokens)"
        if ctx.max_cost and run["cost"] >= ctx.max_cost:
            return f"run cost budget reached ({run['cost']:.4f} of {ctx.max_cost:g})"
        if agent and ctx.max_agent_tokens:
            spent = self.agent(run_id, agent)["total_tokens"]
            if spent >= ctx.max_agent_tokens:
                return f"agent token budget reached ({spent} of {ctx.max_agent_tokens} tokens)"
        return ""


def total_of(agents: dict[str, dict]) -> dict:
    """Sum the usage rows of several agents."""
    total = empty_usage()
    total.pop("model")
    for row in agents.values():
        for key in total:
            total[key] += row.get(key, 0)
    total["cost"] = round(total["cost"], 6)
    return total
