"""How both explorer brains walk a Notion source: search every page, save each as Markdown.

A page is one item (a .md file, sectioned by its headings). Walk functions take the
explorer's hands (nodes.explorer.base.ExplorerBase).
"""

from __future__ import annotations

from tools.sources.downloads import safe_name
from tools.sources.errors import ToolFailure
from tools.sources.registry import Hands
from tools.sources.slugs import Notion

SEARCH = Notion.SEARCH_NOTION_PAGE


def title_of(page: dict) -> str:
    """A Notion page object's title."""
    for prop in (page.get("properties") or {}).values():
        if isinstance(prop, dict) and prop.get("type") == "title":
            return "".join(str(t.get("plain_text") or "") for t in prop.get("title") or []) or "Untitled"
    return str(page.get("title") or "Untitled")


def walk(hands: Hands) -> None:
    """Search all pages, then save each."""
    pages = _pages(hands)
    hands.listed = len(pages)
    hands.emit("source_listed", source=hands.key, listed=hands.listed)
    for pid in sorted(pages):
        fetch_page(hands, pid)


def units(tool: str, args: dict, data: dict) -> dict[str, str]:
    """Pages a search or fetch-data result lists."""
    if tool == SEARCH:
        return {
            str(p["id"]): title_of(p)
            for p in (data.get("response_data") or {}).get("results") or []
            if p.get("id") and p.get("object", "page") == "page"
        }
    if tool == Notion.FETCH_DATA:
        return {
            str(v["id"]): str(v.get("title") or v["id"])
            for v in data.get("values") or []
            if v.get("id") and v.get("type", "page") == "page"
        }
    if tool == Notion.RETRIEVE_PAGE and data.get("id"):
        return {str(data["id"]): title_of(data)}
    return {}


def download_unit(tool: str, args: dict) -> str | None:
    """Reading a page's Markdown downloads it."""
    return str(args["page_id"]) if tool == Notion.GET_PAGE_MARKDOWN and args.get("page_id") else None


def fetch_unit(hands: Hands, unit: str) -> None:
    fetch_page(hands, unit)


def _pages(hands: Hands) -> dict[str, dict]:
    if "notion_pages" not in hands.state:
        found: dict[str, dict] = {}
        cursor, seen = "", set()
        while True:
            args = {"query": "", "page_size": min(hands.ctx.page_size, 100), "filter_value": "page"}
            data = hands.call(SEARCH, {**args, "start_cursor": cursor} if cursor else args).get("response_data") or {}
            for page in data.get("results") or []:
                if page.get("id"):
                    found[str(page["id"])] = page
            cursor = str(data.get("next_cursor") or "")
            if not cursor or cursor in seen:
                break
            seen.add(cursor)
        hands.state["notion_pages"] = found
    return hands.state["notion_pages"]


def _parents(pages: dict[str, dict], page: dict) -> list[str]:
    names, seen = [], set()
    parent = (page.get("parent") or {}).get("page_id")
    while parent in pages and parent not in seen:
        seen.add(parent)
        names.append(title_of(pages[parent]))
        parent = (pages[parent].get("parent") or {}).get("page_id")
    return names[::-1]


def fetch_page(hands: Hands, pid: str) -> None:
    """Save one page's Markdown as an item."""
    pages = _pages(hands)
    page = pages.get(pid)
    try:
        if page is None:
            page = hands.call(Notion.RETRIEVE_PAGE, {"page_id": pid})
        pid = str(page.get("id") or pid)
        title, parents = title_of(page), _parents(pages, page)
        locator = "notion:" + "/".join(parents + [title])
        revision = str(page.get("last_edited_time") or "")
        if not hands.wanted(pid) or hands.unchanged_since_last_run(pid, revision):
            return
        if any(i["item_id"] == pid for i in hands.items):
            return
        markdown = str(hands.call(Notion.GET_PAGE_MARKDOWN, {"page_id": pid}).get("markdown") or "")
    except ToolFailure as exc:
        hands.fail(pid, f"notion:{pid}", str(exc))
        return
    if not markdown.strip():
        hands.fail(pid, locator, "empty page")
        return
    hands.keep_bytes(
        {
            "item_id": pid,
            "kind": "page",
            "name": title,
            "revision": revision,
            "locator": locator,
            "hints": parents + [title],
            "group_key": f"doc:{pid}",
            "group_name": title,
            "file_type": "md",
        },
        f"notion/{safe_name(pid)}/{safe_name(title, 'page')}.md",
        markdown.encode("utf-8"),
    )
