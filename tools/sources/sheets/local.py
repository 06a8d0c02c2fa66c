"""The Google Sheets read tools, served from a folder of .xlsx/.xls/.csv files."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from tools.sources.connector import Handler, LocalConnector
from tools.sources.drive.order import sort_items
from tools.sources.drive.query import QueryError
from tools.sources.envelope import fail, ok
from tools.sources.paging import BadPageToken, take_page
from tools.sources.sheets.a1 import RangeError
from tools.sources.sheets.catalog import SheetsCatalog
from tools.sources.sheets.search import matches
from tools.sources.sheets.values import read_range
from tools.sources.sheets.workbook import Book, WorkbookError
from tools.sources.slugs import Sheets

Envelope = dict[str, Any]


class LocalSheets(LocalConnector):
    """Answers GOOGLESHEETS_* read slugs over the spreadsheet files under `root`."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self._catalog: SheetsCatalog | None = None
        self._lock = threading.RLock()

    @property
    def catalog(self) -> SheetsCatalog:
        """The spreadsheet catalog, built on first use."""
        if self._catalog is None:
            self._catalog = SheetsCatalog(self.root)
        return self._catalog

    label = "local Sheets"
    plain_errors = (WorkbookError, RangeError, QueryError, BadPageToken)

    def handlers(self) -> dict[str, Handler]:
        """The tool slugs this connector serves and their handlers."""
        return {
            Sheets.SEARCH_SPREADSHEETS: self.search,
            Sheets.GET_SPREADSHEET_INFO: self.info,
            Sheets.GET_SHEET_NAMES: self.sheet_names,
            Sheets.VALUES_GET: self.values_get,
            Sheets.BATCH_GET: self.batch_get,
        }

    def search(self, args: dict[str, Any]) -> Envelope:
        """Find spreadsheets by name and/or content, one page at a time."""
        found = [i for i in self.catalog.items if matches(self.catalog, i, args)]
        found = sort_items(found, args.get("order_by") or "modifiedTime desc")
        size = min(max(int(args.get("max_results") or 10), 1), 1000)
        page, token = take_page(found, args.get("page_token"), size)
        public = [{k: v for k, v in item.items() if k != "fileName"} for item in page]
        return ok({"spreadsheets": public, "next_page_token": token, "total_found": len(found)})

    def info(self, args: dict[str, Any]) -> Envelope:
        """Return the spreadsheet's title and sheet properties."""
        sid, book = self._open(args)
        sheets = []
        for index, sheet in enumerate(book.sheets):
            props: dict[str, Any] = {
                "sheetId": index,
                "title": sheet.title,
                "index": index,
                "sheetType": "GRID",
                "gridProperties": {"rowCount": sheet.rows, "columnCount": sheet.cols},
            }
            if sheet.hidden:
                props["hidden"] = True
            sheets.append({"properties": props})
        title = next(i["name"] for i in self.catalog.items if i["id"] == sid)
        return ok(
            {
                "response_data": {
                    "spreadsheetId": sid,
                    "sheets": sheets,
                    "properties": {"title": title, "locale": "en_US", "timeZone": "UTC"},
                }
            }
        )

    def sheet_names(self, args: dict[str, Any]) -> Envelope:
        """List the sheet titles, optionally without hidden ones."""
        _, book = self._open(args)
        hide = bool(args.get("exclude_hidden"))
        return ok({"sheet_names": [s.title for s in book.sheets if not (hide and s.hidden)]})

    def values_get(self, args: dict[str, Any]) -> Envelope:
        """Read one A1 range."""
        _, book = self._open(args)
        if not str(args.get("range") or "").strip():
            return fail("range is required, e.g. 'Sheet1!A1:D20'")
        return ok(read_range(book, str(args["range"]), args))

    def batch_get(self, args: dict[str, Any]) -> Envelope:
        """Read several A1 ranges; no ranges means the whole first sheet."""
        sid, book = self._open(args)
        ranges = [r for r in (args.get("ranges") or []) if str(r).strip()]
        if not ranges:
            ranges = [book.sheets[0].title] if book.sheets else []
        options = {
            "major_dimension": args.get("majorDimension"),
            "value_render_option": args.get("valueRenderOption"),
            "date_time_render_option": args.get("dateTimeRenderOption"),
        }
        value_ranges = [read_range(book, str(r), options) for r in ranges]
        return ok({"spreadsheet_data": {"spreadsheetId": sid, "valueRanges": value_ranges}})

    def _open(self, args: dict[str, Any]) -> tuple[str, Book]:
        raw = args.get("spreadsheet_id")
        sid = self.catalog.resolve(raw)
        if sid is None:
            raise ValueError(f"spreadsheet not found: {raw!r}")
        return sid, self.catalog.book(sid)
