"""Agent node: read what earlier runs posted to the forum, filtered to this agent's work."""

from __future__ import annotations

from langgraph.runtime import Runtime

from nodes.context import Context, context_of
from nodes.deps import Deps
from nodes.state import ExplorerState, StructurerState


def _as_hints(posts: list) -> list[dict]:
    return [
        {"title": p.title, "body": p.body, "file_type": p.file_type, "support": p.support_count}
        for p in posts
    ]


def read_explore_hints(state: ExplorerState, runtime: Runtime[Context], *, deps: Deps) -> dict:
    """Fetch forum hints for this explorer's source type (phase 'explore')."""
    ctx = context_of(runtime)
    store = deps.store(ctx)
    posts = store.search_forum("", source_type=state["source"]["type"], phase="explore", limit=ctx.forum_hints,
                               min_clients=ctx.forum_min_clients, client_id=ctx.client_id)
    return {"hints": _as_hints(posts)}


def read_structure_hints(state: StructurerState, runtime: Runtime[Context], *, deps: Deps) -> dict:
    """Fetch forum hints for the file types in this batch (phase 'structure')."""
    ctx = context_of(runtime)
    store = deps.store(ctx)
    items = state["batch"]["items"]
    hints: dict[str, dict] = {}
    for source_type, file_type in sorted({(i["source_type"], i.get("file_type", "")) for i in items}):
        for post in store.search_forum(
            "", source_type=source_type, phase="structure", file_type=file_type, limit=ctx.forum_hints,
            min_clients=ctx.forum_min_clients, client_id=ctx.client_id,
        ):
            hints[post.id] = _as_hints([post])[0]
    return {"hints": [hints[k] for k in sorted(hints)]}
