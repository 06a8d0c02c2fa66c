"""The report's brain and usage sections: which brain ran where (fallbacks included) and what models spent."""

from __future__ import annotations

from nodes.context import Context
from nodes.models import model_name
from nodes.usage import total_of

BUDGET_WORDS = ("budget reached", "turn limit reached", "step limit reached")


def _brain(name: str) -> str:
    return f"model:{name}" if name else "offline"


def brains_section(ctx: Context, structures: list[dict]) -> dict:
    """The brain of each agent kind, and every batch that fell back from the model to the offline brain."""
    fallbacks = [
        {"batch_id": r["batch_id"], "reason": r.get("fallback_reason", "")}
        for r in structures
        if r.get("brain") == "offline-fallback"
    ]
    return {
        "explorer": _brain(model_name(ctx, "explorer")),
        "structurer": _brain(model_name(ctx, "structurer")),
        "fallbacks": sorted(fallbacks, key=lambda f: f["batch_id"]),
    }


def brain_label(ctx: Context, structures: list[dict]) -> str:
    """One line: 'offline', 'model:<name>', or each agent kind's brain, plus any offline fallbacks."""
    brains = brains_section(ctx, structures)
    if brains["explorer"] == brains["structurer"]:
        label = brains["explorer"]
    else:
        label = f"explorer={brains['explorer']},structurer={brains['structurer']}"
    if brains["fallbacks"]:
        label += f" (offline fallback in {len(brains['fallbacks'])} of {len(structures)} batches)"
    return label


def usage_section(state: dict, ctx: Context) -> dict:
    """Tokens and cost per agent and for the run, the budgets, and the agents a budget stopped."""
    agents = state.get("usage") or {}
    stopped = [
        {"agent": f"explore-{r['source_key']}", "reason": r.get("reason", "")}
        for r in state.get("explorations") or []
        if any(w in r.get("reason", "") for w in BUDGET_WORDS)
    ]
    stopped += [
        {"agent": f"structure-{r['batch_id']}", "reason": r.get("reason", "")}
        for r in state.get("structures") or []
        if any(w in r.get("reason", "") for w in BUDGET_WORDS)
    ]
    return {
        "agents": agents,
        "total": total_of(agents),
        "budget": {
            "max_tokens": ctx.max_tokens,
            "max_cost": ctx.max_cost,
            "max_agent_tokens": ctx.max_agent_tokens,
            "max_model_calls": ctx.max_model_calls,
        },
        "stopped": sorted(stopped, key=lambda s: s["agent"]),
    }
