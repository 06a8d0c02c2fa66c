"""The Notion read tools (Composio slugs, Notion API shapes), served from a Markdown/HTML export."""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

from tools.sources.connector import Handler, LocalConnector
from tools.sources.downloads import DownloadSink
from tools.sources.envelope import ok
from tools.sources.export_tree import ExportError
from tools.sources.notion.export import NotionExport, NotionPage
from tools.sources.paging import BadPageToken, take_page
from tools.sources.slugs import Notion

Envelope = dict[str, Any]
_HEADING = re.compile(r"^(#{1,3})\s+(.*)$")
_BULLET = re.compile(r"^\s*[-*+]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*\d+[.)]\s+(.*)$")


def _rich(text: str) -> list[dict]:
    return [{"type": "text", "text": {"content": text, "link": None}, "plain_text": text, "href": None}]


class LocalNotion(LocalConnector):
    """Answers NOTION_* read slugs over the export at `root` (a folder or a zip)."""

    def __init__(self, root: str | Path, downloads: DownloadSink) -> None:
        self.root = Path(root)
        self._export: NotionExport | None = None
        self._lock = threading.RLock()

    @property
    def export(self) -> NotionExport:
        if self._export is None:
            self._export = NotionExport(self.root)
        return self._export

    label = "the local Notion export"
    prefixed_errors = (BadPageToken, ExportError, OSError, ValueError)

    def handlers(self) -> dict[str, Handler]:
        """The tool slugs this connector serves and their handlers."""
        return {
            Notion.SEARCH_NOTION_PAGE: self.search,
            Notion.FETCH_DATA: self.fetch_data,
            Notion.RETRIEVE_PAGE: self.retrieve_page,
            Notion.FETCH_BLOCK_CONTENTS: self.block_children,
            Notion.GET_PAGE_MARKDOWN: self.page_markdown,
        }

    def page_object(self, page: NotionPage) -> dict:
        """A page as the Notion API describes it (properties hold the title)."""
        parent = (
            {"type": "page_id", "page_id": page.parent} if page.parent else {"type": "workspace", "workspace": True}
        )
        return {
            "object": "page",
            "id": page.id,
            "created_time": page.edited,
            "last_edited_time": page.edited,
            "parent": parent,
            "archived": False,
            "in_trash": False,
            "url": page.url,
            "properties": {"title": {"id": "title", "type": "title", "title": _rich(page.title)}},
        }

    def _matching(self, query: Any) -> list[NotionPage]:
        words = str(query or "").lower().split()
        pages = [p for p in self.export.pages.values() if all(w in p.title.lower() for w in words)]
        return sorted(pages, key=lambda p: (p.edited, p.id), reverse=True)

    def search(self, args: dict) -> Envelope:
        """Pages whose titles hold the query, most recently edited first, start_cursor pagination."""
        if str(args.get("filter_value") or "page") == "database":
            return ok({"response_data": {"object": "list", "results": [], "next_cursor": None, "has_more": False}})
        size = min(max(int(args.get("page_size") or 25), 1), 100)
        page, token = take_page(self._matching(args.get("query")), args.get("start_cursor") or None, size)
        return ok(
            {
                "response_data": {
                    "object": "list",
                    "results": [self.page_object(p) for p in page],
                    "next_cursor": token,
                    "has_more": bool(token),
                    "type": "page_or_database",
                }
            }
        )

    def fetch_data(self, args: dict) -> Envelope:
        """Pages (an export holds no live databases) as id, title and type."""
        if str(args.get("fetch_type") or "pages") == "databases":
            return ok({"values": [], "next_cursor": None, "has_more": False})
        size = min(max(int(args.get("page_size") or 100), 1), 100)
        page, token = take_page(self._matching(args.get("query")), args.get("start_cursor") or None, size)
        return ok(
            {
                "values": [{"id": p.id, "title": p.title, "type": "page"} for p in page],
                "next_cursor": token,
                "has_more": bool(token),
            }
        )

    def retrieve_page(self, args: dict) -> Envelope:
        """One page's properties and parent."""
        return ok(self.page_object(self._page(args.get("page_id"))))

    def block_children(self, args: dict) -> Envelope:
        """First-level blocks of a page: headings, paragraphs, list items, child pages."""
        page = self._page(args.get("block_id"))
        blocks = self._blocks(page)
        size = min(max(int(args.get("page_size") or 100), 1), 100)
        shown, token = take_page(blocks, args.get("start_cursor") or None, size)
        return ok(
            {
                "block_child_data": {
                    "object": "list",
                    "results": shown,
                    "next_cursor": token,
                    "has_more": bool(token),
                    "type": "block",
                }
            }
        )

    def page_markdown(self, args: dict) -> Envelope:
        """The page's whole content as Markdown."""
        page = self._page(args.get("page_id"))
        return ok({"id": page.id, "title": page.title, "markdown": self.export.markdown(page)})

    def _page(self, ref: Any) -> NotionPage:
        page = self.export.page(str(ref or ""))
        if page is None:
            raise ValueError(f"object_not_found: no page {ref!r}")
        return page

    def _blocks(self, page: NotionPage) -> list[dict]:
        blocks = []
        for n, line in enumerate(self.export.markdown(page).splitlines()):
            if not line.strip():
                continue
            if m := _HEADING.match(line):
                kind, text = f"heading_{len(m[1])}", m[2]
            elif m := _BULLET.match(line):
                kind, text = "bulleted_list_item", m[1]
            elif m := _NUMBERED.match(line):
                kind, text = "numbered_list_item", m[1]
            else:
                kind, text = "paragraph", line.strip()
            blocks.append(
                {
                    "object": "block",
                    "id": f"{page.id[:-4]}{n:04x}",
                    "type": kind,
                    "has_children": False,
                    kind: {"rich_text": _rich(text)},
                }
            )
        for child in sorted((p for p in self.export.pages.values() if p.parent == page.id), key=lambda p: p.title):
            blocks.append(
                {
                    "object": "block",
                    "id": child.id,
                    "type": "child_page",
                    "has_children": True,
                    "child_page": {"title": child.title},
                }
            )
        return blocks
