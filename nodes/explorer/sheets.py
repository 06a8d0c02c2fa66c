"""Offline exploration of a Sheets source: every worksheet of every spreadsheet, read whole into a CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from nodes.explorer.base import ExplorerBase, ToolFailure, safe_name
from nodes.state import Item
from tools.sources.slugs import Sheets


class SheetsExploration(ExplorerBase):
    """Walks GOOGLESHEETS_SEARCH_SPREADSHEETS pages; a spreadsheet's modified time is its sheets' revision."""

    def explore_sheets(self) -> None:
        books: list[dict] = []
        args = {"max_results": self.ctx.page_size}
        for page in self.pages(Sheets.SEARCH_SPREADSHEETS, args, "page_token", ("next_page_token", "nextPageToken")):
            books.extend(page.get("spreadsheets") or [])
            self.emit("source_listed", source=self.key, listed=len(books))
        for book in sorted(books, key=lambda b: b["id"]):
            self.fetch_book(book)

    def fetch_book(self, book: dict) -> None:
        bid, bname = book["id"], str(book.get("name") or book["id"])
        revision = str(book.get("modifiedTime") or "")
        known = self.children.get(bid, [])
        if self.only is None and known and revision and all(self.known[i]["revision"] == revision for i in known):
            self.listed += len(known)
            for item_id in known:
                self.unchanged_since_last_run(item_id, revision, f"sheets:{bname}/{item_id.split('/', 1)[-1]}")
            return
        try:
            names = self.call(Sheets.GET_SHEET_NAMES, {"spreadsheet_id": bid}).get("sheet_names") or []
        except ToolFailure as exc:
            self.listed += 1
            self.fail(bid, f"sheets:{bname}", str(exc))
            return
        self.listed += len(names)
        for sheet in names:
            self.fetch_sheet(bid, bname, str(sheet), str(book.get("modifiedTime") or ""))

    def sheet_values(self, bid: str, quoted: str) -> list[list]:
        """Read a whole worksheet, following the connector's row slices until it is complete."""
        values: list[list] = []
        start = 1
        while True:
            args = {"spreadsheet_id": bid, "range": quoted, **({"start_row": start} if start > 1 else {})}
            data = self.call(Sheets.VALUES_GET, args)
            values.extend(data.get("values") or (data.get("valueRange") or {}).get("values") or [])
            nxt = int(data.get("next_start_row") or 0)
            if not data.get("truncated") or nxt <= start:
                return values
            # Trailing empty rows of a slice are trimmed; pad them back so row numbers stay true.
            values.extend([] for _ in range(nxt - 1 - len(values)))
            start = nxt

    def fetch_sheet(self, bid: str, bname: str, sheet: str, revision: str) -> None:
        item_id, locator = f"{bid}/{sheet}", f"sheets:{bname}/{sheet}"
        if not self.wanted(item_id):
            return
        self.seen.append(item_id)
        if why := self.budget.refuse():
            self.skip(item_id, locator, why)
            return
        try:
            values = self.sheet_values(bid, "'" + sheet.replace("'", "''") + "'")
        except ToolFailure as exc:
            self.fail(item_id, locator, str(exc))
            return
        buf = io.StringIO()
        csv.writer(buf).writerows(values)
        blob = buf.getvalue().encode("utf-8")
        if why := self.budget.refuse(len(blob)):
            self.skip(item_id, locator, why)
            return
        path = self.sandbox.write_bytes(f"sheets/{safe_name(bid)}/{safe_name(sheet, 'sheet')}.csv", blob)
        self.add(
            Item(
                item_id=item_id,
                kind="sheet",
                name=f"{bname} / {sheet}",
                revision=revision,
                locator=locator,
                hints=[Path(bname).stem, sheet],
                group_key=f"book:{bid}",
                group_name=Path(bname).stem,
                file_type="csv",
            ),
            path,
        )
