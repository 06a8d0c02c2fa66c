"""kb_query node: search the client's entries (within a subtree if asked) with the agents' search tool."""

from __future__ import annotations

from langgraph.runtime import Runtime

from nodes.context import Context, context_of
from nodes.deps import Deps
from nodes.query.state import QueryState
from tools.kb_tools import kb_tools

DEFAULT_LIMIT = 5


def retrieve_entries(state: QueryState, runtime: Runtime[Context], *, deps: Deps) -> dict:
    """Run `search_kb` for the question; the input's client id, else the run settings', scopes it."""
    ctx = context_of(runtime)
    client_id = (state.get("client_id") or ctx.client_id).strip()
    search = next(t for t in kb_tools(deps.store(ctx), client_id) if t.name == "search_kb")
    found = search.invoke(
        {"query": state["question"], "under": state.get("under") or "", "limit": state.get("limit") or DEFAULT_LIMIT}
    )
    return {
        "client_id": client_id,
        "under": state.get("under") or "",
        "hits": found["hits"],
        "error": found.get("error", ""),
    }
