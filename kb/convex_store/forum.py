"""The shared forum on Convex: drafts scrubbed and hashed here, stored and gated by kb/convex/convex/forum.ts.

Scrubbing (kb.scrub), origin hashes and client hashes (kb.models) are the same functions the
SQLite backend uses, so a pattern and a client hash to the same values on both.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

from kb.models import PHASES, ForumDraft, forum_client_hash
from kb.scrub import scrub_drafts
from kb.search.query import query_terms

FORGET_BATCH = 256  # sightings per forgetClient call (the function's own cap)

Call = Callable[[str, str, dict[str, Any]], Any]


def post_args(drafts: Iterable[ForumDraft], names: Iterable[str], client_id: str | None) -> dict | None:
    """Return the forum:post arguments of the drafts, or None when every draft scrubs to nothing."""
    posts = [
        {
            "sourceType": d.source_type,
            "phase": d.phase,
            "fileType": d.file_type,
            "title": d.title,
            "body": d.body,
            "originHash": origin,
            **({"kind": d.kind, "rule": d.rule} if d.kind else {}),
        }
        for d, origin in scrub_drafts(drafts, names)
    ]
    if not posts:
        return None
    args: dict[str, Any] = {"posts": posts}
    if client_id:
        args["clientHash"] = forum_client_hash(client_id)
    return args


def search_args(
    query: str,
    source_type: str | None,
    phase: str | None,
    file_type: str | None,
    limit: int,
    min_clients: int,
    client_id: str | None,
) -> dict | None:
    """Return the forum:search arguments, or None when nothing can match (unknown phase, no room)."""
    if (phase and phase not in PHASES) or limit <= 0:
        return None
    filters = {"sourceType": source_type, "phase": phase, "fileType": file_type}
    args: dict[str, Any] = {
        "terms": query_terms(query or ""),
        "limit": int(limit),
        **{k: v for k, v in filters.items() if v},
    }
    if int(min_clients) > 1:
        args["minClients"] = int(min_clients)
        if client_id:
            args["clientHash"] = forum_client_hash(client_id)
    return args


def forget_client(call: Call, client_id: str, min_clients: int) -> int:
    """Drop a client's sightings and the posts it saw that fewer than `min_clients` others saw.

    Runs in batches, each its own transaction; calling again after a failure finishes the job.
    Returns how many posts were removed.
    """
    args = {"clientHash": forum_client_hash(client_id), "minClients": int(min_clients), "limit": FORGET_BATCH}
    removed = 0
    while True:
        out = call("mutation", "sightings:forgetClient", args)
        removed += int(out["removed"])
        if out["isDone"]:
            return removed
