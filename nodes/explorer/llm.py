"""Explorer node, model brain: a tool-calling loop over the source's scoped tools, ending with a manifest."""

from __future__ import annotations

from functools import partial

from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, SystemMessage
from langchain_core.runnables import RunnableConfig
from langgraph.runtime import Runtime

from nodes.context import Context
from nodes.deps import Deps
from nodes.explorer.agent import ExplorerLoop
from nodes.explorer.catalogue import Catalogue
from nodes.explorer.manifest import MAX_PATTERNS, Manifest, fetch_chosen, finish_record
from nodes.explorer.offline import OfflineExplorer
from nodes.explorer.prompts import manifest_prompt, start_prompt, system_prompt
from nodes.explorer.start import empty_record, failure_reason, source_sandbox, start
from nodes.explorer.tool_gate import ToolGate
from nodes.forum.apply_hints import prompt_hints
from nodes.forum.drafts import forum_drafts
from nodes.models import model_name
from nodes.progress import emit
from nodes.state import ExplorerState, SourceRecord
from nodes.tracing import model_call_config

NOTES_CHARS = 4000  # the model's own words from the loop that the manifest request repeats


def explore_with_model(state: ExplorerState, runtime: Runtime[Context], config: RunnableConfig, *, deps: Deps) -> dict:
    """Explore one source with the chat model; platform and model errors become a failed record."""
    run = start(state, runtime, brain="model")
    ctx, source, key, run_id, agent = run.ctx, run.source, run.key, run.run_id, run.agent
    name = model_name(ctx, "explorer")
    drafts: list[dict] = []
    hands: OfflineExplorer | None = None
    if stop := deps.usage.over_budget(ctx, run_id):
        record = empty_record(run, "skipped", stop, tool_calls=0, complete=False)
    else:
        try:
            with source_sandbox(deps, run) as (sandbox, tools, known):
                model = deps.chat_model(ctx, "explorer")
                hands = OfflineExplorer(
                    ctx, source, key, tools, sandbox, lambda ev, **kw: emit(runtime, ev, **kw), known
                )
                describe = partial(_describe, ctx=ctx, run_id=run_id, agent=agent, source_type=source["type"])
                loop = ExplorerLoop(
                    ctx, run_id, agent, model, name, ToolGate(hands, Catalogue(source["type"])), deps.usage, describe
                )
                record, drafts = explore(loop, state.get("hints") or [], key, config)
        except Exception as exc:  # one bad source must never end the run; what it downloaded is kept
            reason = failure_reason(runtime, run, exc)
            record = (
                hands.record(status="failed", reason=reason)
                if hands
                else empty_record(run, "failed", reason, tool_calls=0, complete=False)
            )
            record["complete"] = False
    record["hints_read"] = len(state.get("hints") or [])
    record["brain"] = "model"
    return {"record": record, "forum_drafts": drafts, "usage": {agent: deps.usage.agent(run_id, agent, name)}}


def explore(loop: ExplorerLoop, hints: list[dict], key: str, config: RunnableConfig) -> tuple[SourceRecord, list]:
    """Run the loop, ask for the manifest, fetch what it names, and build the record."""
    gate, ctx = loop.gate, loop.ctx
    source_type = gate.catalogue.source_type
    system = SystemMessage(system_prompt(ctx, source_type, prompt_hints(hints)))
    start = HumanMessage(start_prompt(source_type, key))
    final = loop.run([system, start], config)
    stop = final.get("stop", "")
    manifest = None
    # A spent token or cost budget stops model work outright; a turn or step limit still allows the manifest.
    if not loop.book.over_budget(ctx, loop.run_id, loop.agent):
        manifest, problem = ask_manifest(loop, [system, start], final["messages"], config)
        stop = stop or problem
        if manifest is not None:
            fetch_chosen(manifest, gate)
    record = finish_record(gate, manifest, stop)
    gate.hands.emit(
        "source_explored",
        source=key,
        listed=record["listed"],
        downloaded=record["downloaded"],
        failed=len(record["failures"]),
        skipped=len(record["skipped"]),
    )
    lessons = manifest.patterns[:MAX_PATTERNS] if manifest is not None else []
    return record, forum_drafts(lessons, "explore", lambda _file_type: source_type)


def ask_manifest(
    loop: ExplorerLoop, opening: list[AnyMessage], messages: list[AnyMessage], config: RunnableConfig
) -> tuple[Manifest | None, str]:
    """One structured call: the model's notes from the loop plus what the catalogue holds, no tool history.

    Leaving the tool-call history out keeps the call lean and valid for providers that refuse tool
    turns in a request that binds no tools.
    """
    cat, hands = loop.gate.catalogue, loop.gate.hands
    downloaded = sorted({i["item_id"] for i in hands.items})
    rest = {u: n for u, n in cat.units().items() if u not in set(downloaded)}
    notes = "\n".join(
        m.content for m in messages if isinstance(m, AIMessage) and isinstance(m.content, str) and m.content.strip()
    )[-NOTES_CHARS:]
    request = [
        *opening,
        AIMessage(notes or "(exploration finished)"),
        HumanMessage(manifest_prompt(cat.source_type, downloaded, rest)),
    ]
    structured = loop.model.with_structured_output(Manifest, include_raw=True)
    out = structured.invoke(request, loop.describe(config, "manifest"))
    loop.book.record(loop.ctx, loop.run_id, loop.agent, loop.model_name, out.get("raw"))
    if out.get("parsed") is None:
        return None, f"manifest unreadable: {str(out.get('parsing_error') or 'no answer')[:300]}"
    return out["parsed"], ""


def _describe(
    config: RunnableConfig | None, step: str, *, ctx: Context, run_id: str, agent: str, source_type: str
) -> RunnableConfig:
    return model_call_config(
        config, ctx, run_id=run_id, agent=agent, phase="explore", source_types=[source_type], step=step
    )
