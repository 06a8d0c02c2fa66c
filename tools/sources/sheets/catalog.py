"""The spreadsheets in a local folder: ids, Drive-style metadata and open workbooks."""

from __future__ import annotations

import re
from collections import OrderedDict
from pathlib import Path
from typing import Any

from tools.sources.drive.index import rfc3339
from tools.sources.local_tree import walk_tree
from tools.sources.sheets.workbook import SPREADSHEET_SUFFIXES, Book, open_book
from tools.sources.stable_id import stable_id

SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet"
_URL_ID = re.compile(r"/spreadsheets/d/([A-Za-z0-9_-]+)")
_OPEN_BOOKS = 4


class SheetsCatalog:
    """Spreadsheet files under `root`, listed once; a few workbooks kept open."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        if not self.root.is_dir():
            raise FileNotFoundError(f"sheets folder not found: {self.root}")
        self.items: list[dict[str, Any]] = []
        self._paths: dict[str, Path] = {}
        for entry in walk_tree(self.root):
            if entry.is_dir or entry.path.suffix.lower() not in SPREADSHEET_SUFFIXES:
                continue
            item = {
                "id": stable_id(entry.rel),
                "name": entry.path.stem,
                "mimeType": SPREADSHEET_MIME,
                "modifiedTime": rfc3339(entry.mtime),
                "fileName": entry.rel,
            }
            self.items.append(item)
            self._paths[item["id"]] = entry.path
        self._books: OrderedDict[str, Book] = OrderedDict()

    def resolve(self, spreadsheet_id: Any) -> str | None:
        """Return the known id in `spreadsheet_id` (an id or a Sheets URL), or None."""
        text = str(spreadsheet_id or "").strip()
        match = _URL_ID.search(text)
        text = match.group(1) if match else text
        return text if text in self._paths else None

    def book(self, spreadsheet_id: str) -> Book:
        """Return the open workbook for a known id; raises WorkbookError if unreadable."""
        if spreadsheet_id in self._books:
            self._books.move_to_end(spreadsheet_id)
            return self._books[spreadsheet_id]
        book = open_book(self._paths[spreadsheet_id])
        self._books[spreadsheet_id] = book
        while len(self._books) > _OPEN_BOOKS:
            self._books.popitem(last=False)[1].close()
        return book

    def close(self) -> None:
        """Close every open workbook."""
        while self._books:
            self._books.popitem()[1].close()
