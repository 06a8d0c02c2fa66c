"""A Notion export (Markdown or HTML pages named "Title <32-hex id>", child pages in a same-named folder)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from bs4 import BeautifulSoup

from tools.parsers.encoding import decode_bytes
from tools.sources.export_tree import ExportError, ExportTree

_PAGE = re.compile(r"^(?P<title>.*?)\s+(?P<id>[0-9a-f]{32})\.(?P<ext>md|html)$", re.I)
_FOLDER = re.compile(r"^(?P<title>.*?)\s+(?P<id>[0-9a-f]{32})$", re.I)


def dashed(hex_id: str) -> str:
    """A 32-hex Notion id in its dashed UUID form."""
    h = hex_id.replace("-", "").lower()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


@dataclass
class NotionPage:
    id: str  # dashed UUID
    title: str
    rel: str  # path inside the export
    parent: str  # parent page id ("" at the workspace root)
    edited: str  # ISO time of the file

    @property
    def url(self) -> str:
        slug = re.sub(r"[^A-Za-z0-9]+", "-", self.title).strip("-")
        return f"https://www.notion.so/{slug}-{self.id.replace('-', '')}"


class NotionExport:
    """The pages of an export, by id, with their parents, titles and Markdown."""

    def __init__(self, root: str | Path) -> None:
        self.tree = ExportTree(root)
        self.pages: dict[str, NotionPage] = {}
        for rel in self.tree.names():
            path = PurePosixPath(rel)
            match = _PAGE.match(path.name)
            if not match:
                continue
            parent = ""
            for folder in reversed(path.parts[:-1]):
                if found := _FOLDER.match(folder):
                    parent = dashed(found["id"])
                    break
            edited = datetime.datetime.fromtimestamp(self.tree.mtimes.get(rel, 0), datetime.timezone.utc)
            page = NotionPage(
                id=dashed(match["id"]),
                title=match["title"].strip() or "Untitled",
                rel=rel,
                parent=parent,
                edited=edited.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            )
            self.pages.setdefault(page.id, page)
        if not self.pages:
            raise ExportError(f"{root}: not a Notion export (no 'Title <id>.md' or '.html' pages)")

    def page(self, ref: str) -> NotionPage | None:
        """A page by id, dashed or not."""
        ref = str(ref or "").strip()
        h = ref.replace("-", "").lower()[-32:]
        return self.pages.get(dashed(h)) if re.fullmatch(r"[0-9a-f]{32}", h) else None

    def path_titles(self, page: NotionPage) -> list[str]:
        """Titles from the top-level page down to `page`'s parent."""
        names, seen, pid = [], set(), page.parent
        while pid in self.pages and pid not in seen:
            seen.add(pid)
            names.append(self.pages[pid].title)
            pid = self.pages[pid].parent
        return names[::-1]

    def markdown(self, page: NotionPage) -> str:
        """The page as Markdown (HTML pages are converted: headings, paragraphs, list items, table rows)."""
        text = decode_bytes(self.tree.read(page.rel))
        if page.rel.lower().endswith(".md"):
            return text
        return html_to_markdown(text)


def html_to_markdown(html: str) -> str:
    """Headings, paragraphs, list items and table rows of a Notion HTML page as Markdown lines."""
    soup = BeautifulSoup(html, "html.parser")
    for junk in soup(["script", "style", "head"]):
        junk.decompose()
    lines = []
    for el in soup.find_all(["h1", "h2", "h3", "h4", "p", "li", "tr", "pre", "blockquote"]):
        text = " ".join(el.get_text(" ").split())
        if not text or (el.name == "p" and el.find_parent(["li", "td", "blockquote"])):
            continue
        if el.name in ("h1", "h2", "h3", "h4"):
            lines.append("\n" + "#" * int(el.name[1]) + " " + text + "\n")
        elif el.name == "li":
            lines.append(f"- {text}")
        elif el.name == "tr":
            lines.append("| " + " | ".join(" ".join(c.get_text(" ").split()) for c in el.find_all(["td", "th"])) + " |")
        else:
            lines.append(text + "\n")
    return "\n".join(lines).strip() + "\n"
