"""Structurer node, model brain: place each item in the tree and write its entries, checked and repaired once.

A second failed check (or a model error) sends the batch to the offline brain; the record says so.
"""

from __future__ import annotations

from typing import Any

from langchain_core.messages import HumanMessage, SystemMessage
from langchain_core.runnables import RunnableConfig
from langgraph.runtime import Runtime

from kb.models import EntryDraft
from nodes.context import Context, context_of
from nodes.deps import Deps
from nodes.forum.apply_hints import prompt_hints
from nodes.forum.drafts import forum_drafts
from nodes.models import model_name
from nodes.state import BatchRecord, StructurerState
from nodes.structurer.checks import check_plan, source_view
from nodes.structurer.plan import BatchPlan
from nodes.structurer.prompts import batch_prompt, repair_prompt, system_prompt
from nodes.structurer.propose_paths import propose_paths
from nodes.tracing import model_call_config

MAX_PATTERNS = 2


def propose_with_model(
    state: StructurerState, runtime: Runtime[Context], config: RunnableConfig, *, deps: Deps
) -> dict:
    """Structure the batch with the chat model; fall back to the offline brain when its answer will not pass."""
    ctx = context_of(runtime)
    batch_id = state["batch"]["batch_id"]
    run_id = state.get("run_id") or ctx.run_id or "adhoc"
    agent, name = f"structure-{batch_id}", model_name(ctx, "structurer")
    if stop := deps.usage.over_budget(ctx, run_id):
        record = BatchRecord(batch_id=batch_id, status="skipped", reason=stop, drafts=[], failures=[], parsed=[])
        record["brain"] = "model"
        return {"record": record, "usage": {agent: deps.usage.agent(run_id, agent, name)}}
    ready = [p for p in state["parsed"] if p["ok"] and p["entries"]]
    plan, errors, drafts = None, [], []
    if ready:
        try:
            plan, errors = plan_batch(state, ctx, deps, config, run_id=run_id, agent=agent, name=name, ready=ready)
        except Exception as exc:  # a model or network error costs this batch its model brain, not the run
            errors = [f"model error: {type(exc).__name__}: {exc}"]
    record = propose_paths(state, runtime, deps=deps)["record"]  # the offline brain's record of this batch
    if plan is not None and record["status"] == "ok":
        record["drafts"] = plan_drafts(plan, ready, state.get("tree") or [])
        types: dict[str, str] = {}
        for p in ready:
            types.setdefault(p["file_type"] or p["item"].get("file_type", ""), p["item"]["source_type"])
        drafts = forum_drafts(plan.patterns[:MAX_PATTERNS], "structure", types.get)
        record["brain"] = "model"
    elif ready:
        record["brain"] = "offline-fallback"
        record["fallback_reason"] = "; ".join(errors)[:1000]
    else:
        record["brain"] = "model"  # nothing parsed: no placement to make
    return {"record": record, "forum_drafts": drafts, "usage": {agent: deps.usage.agent(run_id, agent, name)}}


def plan_batch(
    state: StructurerState,
    ctx: Context,
    deps: Deps,
    config: RunnableConfig,
    *,
    run_id: str,
    agent: str,
    name: str,
    ready: list[dict],
) -> tuple[BatchPlan | None, list[str]]:
    """Ask for the plan, check it, ask once more with the problems; return (plan or None, problems)."""
    views = {p["item"]["item_id"]: source_view(p) for p in ready}
    prompt = batch_prompt(
        ready,
        state.get("tree") or [],
        deps.taxonomy(ctx),
        prompt_hints(state.get("hints") or []),
        ctx.prompt_chars_per_item,
    )
    opening = [SystemMessage(system_prompt()), HumanMessage(prompt)]
    structured = deps.chat_model(ctx, "structurer").with_structured_output(BatchPlan, include_raw=True)
    types = [p["item"].get("source_type", "") for p in ready]
    messages, errors = opening, []
    for step in ("plan", "repair"):
        if step == "repair" and (stop := deps.usage.over_budget(ctx, run_id, agent)):
            return None, errors + [f"no repair: {stop}"]
        out = structured.invoke(
            messages,
            model_call_config(
                config, ctx, run_id=run_id, agent=agent, phase="structure", source_types=types, step=step
            ),
        )
        deps.usage.record(ctx, run_id, agent, name, out.get("raw"))
        plan = out.get("parsed")
        errors = (
            check_plan(plan, views)
            if plan is not None
            else [f"the answer does not match the schema: {str(out.get('parsing_error'))[:500]}"]
        )
        if not errors:
            return plan, []
        messages = [*opening, HumanMessage(repair_prompt(errors, previous_answer(plan, out.get("raw"))))]
    return None, errors


def previous_answer(plan: BatchPlan | None, raw: Any) -> dict | str:
    if plan is not None:
        return plan.model_dump()
    calls = getattr(raw, "tool_calls", None)
    return calls[0].get("args", {}) if calls else str(getattr(raw, "content", "") or "")


def plan_drafts(plan: BatchPlan, ready: list[dict], tree: list[dict]) -> list[dict]:
    """Entry drafts from a checked plan; names already in the client's tree keep their spelling."""
    known: dict[str, str] = {}
    for row in tree:
        for key in ("domain", "skill", "group"):
            if row.get(key):
                known.setdefault(row[key].strip().lower(), row[key])

    def reuse(name: str) -> str:
        return known.get(name.strip().lower(), name.strip())

    by_id = {p["item"]["item_id"]: p for p in ready}
    drafts = []
    for placed in sorted(plan.items, key=lambda x: x.item_id):
        p = by_id[placed.item_id]
        item = p["item"]
        for e in placed.entries:
            drafts.append(
                EntryDraft(
                    domain=reuse(placed.domain),
                    skill=reuse(placed.skill),
                    group=reuse(placed.entry_group)[:200],
                    title=" ".join(e.title.split())[:300] or item.get("name", ""),
                    content=e.content.strip(),
                    source_type=item["source_type"],
                    file_type=p["file_type"] or item.get("file_type", ""),
                    locator=f"{item['locator']}#{e.locator}",
                    item_id=item["item_id"],
                    group_description=(
                        placed.reason.strip() or f"{item.get('kind', 'item')} group from {item['source_type']}"
                    )[:300],
                    group_key=item.get("group_key", ""),
                ).to_dict()
            )
    return drafts
