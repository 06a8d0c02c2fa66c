"""Matching spreadsheets against a search: by name, by cell content, or a Drive query."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from tools.sources.drive.query import compile_query
from tools.sources.sheets.catalog import SheetsCatalog
from tools.sources.sheets.cell_values import formatted
from tools.sources.sheets.workbook import WorkbookError


def matches(catalog: SheetsCatalog, item: dict[str, Any], args: dict[str, Any]) -> bool:
    """True when `item` passes query, search_type and modified_after in `args`."""
    after = args.get("modified_after")
    if after and item["modifiedTime"] < _utc(after):
        return False
    query = str(args.get("query") or "").strip()
    if not query:
        return True
    if "'" in query:  # Drive syntax, e.g. name contains 'budget'
        return compile_query(query)(item)
    words = query.casefold().split()
    kind = args.get("search_type") or "name"
    by_name = all(w in item["name"].casefold() for w in words)
    if kind == "name" or (kind == "both" and by_name):
        return by_name
    return _content_has(catalog, item["id"], words)


def _content_has(catalog: SheetsCatalog, sid: str, words: list[str]) -> bool:
    try:
        book = catalog.book(sid)
    except WorkbookError:
        return False  # unreadable workbooks have no searchable content
    missing = set(words)
    for index, sheet in enumerate(book.sheets):
        if not sheet.rows or not sheet.cols:
            continue
        for row in book.rows(index, 1, sheet.rows, 1, sheet.cols):
            text = " ".join(formatted(v) for v in row).casefold()
            missing = {w for w in missing if w not in text}
            if not missing:
                return True
    return False


def _utc(stamp: str) -> str:
    moment = datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
    moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
