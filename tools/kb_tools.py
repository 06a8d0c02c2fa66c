"""Tools downstream agents bind to read one client's KB: subtree search, tree browsing, forum search.

The client id is fixed when the tools are built and is not a tool argument, so a model bound
to them cannot read another client's entries. Every hit names the source item it came from.
"""

from __future__ import annotations

from langchain_core.tools import BaseTool, tool

from kb.browse import resolve_path, split_path
from kb.models import KBError
from kb.store import Store

MAX_LIMIT = 25
EXCERPT_CHARS = 800
KB_TOOL_NAMES = ("search_kb", "browse_kb_tree", "search_forum")


def _limit(n: int) -> int:
    return max(1, min(int(n), MAX_LIMIT))


def _excerpt(text: str, chars: int = EXCERPT_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= chars else text[:chars].rsplit(" ", 1)[0] + " …"


def kb_tools(store: Store, client_id: str, *, default_limit: int = 5, forum_min_clients: int = 2) -> list[BaseTool]:
    """Return the read tools over `store`, every one scoped to `client_id`.

    Forum patterns show once `forum_min_clients` clients saw them, or when this client did.
    """
    if not client_id.strip():
        raise ValueError("kb_tools needs a client id")

    @tool("search_kb", parse_docstring=True)
    def search_kb(query: str, under: str = "", limit: int = default_limit) -> dict:
        """Search this client's knowledge base and return the best matching entries with their sources.

        Use plain words or a question. Each hit has a title, its tree path (Domain/Skill/Group),
        a snippet, an excerpt and the locator of the mail, file or sheet it came from: quote the
        locator when you use a hit.

        Args:
            query: words to look for, e.g. "fitness center monthly fee".
            under: optional subtree to search within: "Domain", "Domain/Skill" or "Domain/Skill/Group"
                (names from browse_kb_tree).
            limit: most hits to return, 1 to 25.
        """
        try:
            hits = store.search(client_id, query, under=split_path(under), limit=_limit(limit))
        except KBError as exc:
            return {"query": query, "under": under, "hits": [], "error": str(exc)}
        return {
            "query": query,
            "under": under,
            "hits": [{**h.to_dict(), "excerpt": _excerpt(h.entry.content)} for h in hits],
        }

    @tool("browse_kb_tree", parse_docstring=True)
    def browse_kb_tree(path: str = "") -> dict:
        """List what sits under one place of this client's knowledge tree (domain -> skill -> entry group).

        An empty path lists the domains; "Domain" lists its skills; "Domain/Skill" its entry
        groups; "Domain/Skill/Group" the group's entries with their ids and source locators.

        Args:
            path: "" or "Domain", "Domain/Skill", "Domain/Skill/Group" (names as listed, any case).
        """
        try:
            chain = resolve_path(store, client_id, path)
        except (KeyError, KBError) as exc:
            return {"path": path, "error": exc.args[0] if exc.args else str(exc)}
        here = "/".join(n.name for n in chain)
        if chain and chain[-1].level == "entry_group":
            entries = store.entries(client_id, chain[-1].id)
            return {
                "path": here,
                "level": "entry_group",
                "description": chain[-1].description,
                "entries": [
                    {
                        "entry_id": e.id,
                        "title": e.title,
                        "locator": e.locator,
                        "source_type": e.source_type,
                        "excerpt": _excerpt(e.content, 200),
                    }
                    for e in entries
                ],
            }
        nodes = store.children(client_id, chain[-1].id if chain else None)
        return {
            "path": here,
            "level": chain[-1].level if chain else "root",
            "children": [
                {
                    "name": n.name,
                    "level": n.level,
                    "path": f"{here}/{n.name}" if here else n.name,
                    "description": n.description,
                }
                for n in nodes
            ],
        }

    @tool("search_forum", parse_docstring=True)
    def search_forum(
        query: str = "", source_type: str = "", phase: str = "", file_type: str = "", limit: int = default_limit
    ) -> dict:
        """Search the shared forum of patterns agents learned while exploring and structuring sources.

        The forum is shared by all clients and holds scrubbed patterns only (no client data).
        Without query words, the most supported posts come first.

        Args:
            query: words to look for, e.g. "scanned pdf" or "pagination".
            source_type: optional filter: "gmail", "drive" or "sheets".
            phase: optional filter: "explore" or "structure".
            file_type: optional filter: a file extension such as "pdf" or "xlsx".
            limit: most posts to return, 1 to 25.
        """
        posts = store.search_forum(
            query,
            source_type=source_type or None,
            phase=phase or None,
            file_type=file_type or None,
            limit=_limit(limit),
            min_clients=forum_min_clients,
            client_id=client_id,
        )
        return {"query": query, "posts": [{**p.to_dict(), "locator": f"forum:{p.id}"} for p in posts]}

    return [search_kb, browse_kb_tree, search_forum]
