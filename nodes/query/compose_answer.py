"""kb_query node: turn the hits into a readable answer that cites each entry's source locator."""

from __future__ import annotations

from nodes.query.state import QueryState


def compose_answer(state: QueryState) -> dict:
    """List the best entries, each with its tree path, snippet and locator (deterministic, no model)."""
    hits = state.get("hits") or []
    question, client_id, under = state["question"], state.get("client_id", ""), state.get("under") or ""
    scope = f" under {under}" if under else ""
    if not hits:
        why = f" ({state['error']})" if state.get("error") else ""
        answer = f"No entry of client {client_id}{scope} matches “{question}”{why}."
    else:
        lines = [f"{len(hits)} entr{'y' if len(hits) == 1 else 'ies'} of client {client_id}{scope} match “{question}”:"]
        for n, hit in enumerate(hits, 1):
            lines += [
                f"{n}. {hit['title']} — {hit['path']}",
                f"   {' '.join(hit['snippet'].split())}",
                f"   source: {hit['locator']}",
            ]
        answer = "\n".join(lines)
    return {"answer": answer, "sources": [h["locator"] for h in hits]}
