"""Agent node: read what earlier runs posted to the forum, filtered to this agent's work.

Hints are the forum's text patterns (for a model's instructions) and its rules (kind and
payload, which the offline brain applies and a model reads as text), all through the k-client
gate: a pattern shows once enough distinct clients posted it, or to a client that did.
"""

from __future__ import annotations

from langgraph.runtime import Runtime

from nodes.context import Context, context_of
from nodes.deps import Deps
from nodes.state import ExplorerState, StructurerState

# Most rules one agent reads per source type and phase: the best supported first.
MAX_RULES = 200


def _as_hints(posts: list) -> list[dict]:
    return [
        {
            "title": p.title,
            "body": p.body,
            "file_type": p.file_type,
            "support": p.support_count,
            **({"kind": p.kind, "rule": p.rule_data(), "source_type": p.source_type} if p.kind else {}),
        }
        for p in posts
    ]


def _read(store, ctx: Context, source_type: str, phase: str, file_types: set[str] | None) -> list:
    """Rules of the source type and phase, then up to `forum_hints` text patterns of the file types."""
    posts = store.search_forum(
        "",
        source_type=source_type,
        phase=phase,
        limit=MAX_RULES + ctx.forum_hints,
        min_clients=ctx.forum_min_clients,
        client_id=ctx.client_id,
    )
    rules = [p for p in posts if p.kind]
    texts = [p for p in posts if not p.kind and (file_types is None or p.file_type in file_types)]
    return rules[:MAX_RULES] + texts[: ctx.forum_hints]


def read_explore_hints(state: ExplorerState, runtime: Runtime[Context], *, deps: Deps) -> dict:
    """Fetch forum hints for this explorer's source type (phase 'explore')."""
    ctx = context_of(runtime)
    return {"hints": _as_hints(_read(deps.store(ctx), ctx, state["source"]["type"], "explore", None))}


def read_structure_hints(state: StructurerState, runtime: Runtime[Context], *, deps: Deps) -> dict:
    """Fetch forum hints for the source and file types in this batch (phase 'structure')."""
    ctx = context_of(runtime)
    store = deps.store(ctx)
    items = state["batch"]["items"]
    hints: dict[str, dict] = {}
    for source_type in sorted({i["source_type"] for i in items}):
        file_types = {i.get("file_type", "") for i in items if i["source_type"] == source_type}
        for post in _read(store, ctx, source_type, "structure", file_types):
            hints[post.id] = _as_hints([post])[0]
    return {"hints": [hints[k] for k in sorted(hints)]}
