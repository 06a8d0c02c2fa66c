"""Lean views of tool results for a model: the fields that guide exploration, bodies cut to snippets."""

from __future__ import annotations

import json
from typing import Any, Callable

from tools.sources.registry import all_types
from tools.sources.slugs import Drive, Gmail, Sheets

MAX_RESULT_CHARS = 12000
LIST_KEYS = ("messages", "files", "spreadsheets", "labels", "valueRanges", "entries")  # plus each type's list_keys
SHED = ("snippet", "text", "labels", "date", "from", "modifiedTime", "parents")  # dropped first when too long
SNIPPET_CHARS = 160
TEXT_CHARS = 2000
SAMPLE_ROWS = 20
CELL_CHARS = 60


def _cut(text: Any, limit: int) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= limit else text[:limit] + "…"


def _attachments(msg: dict) -> list[dict]:
    return [
        {"attachmentId": a.get("attachmentId"), "filename": a.get("filename"), "size": a.get("size")}
        for a in msg.get("attachmentList") or []
    ]


def _message(msg: dict, text_chars: int) -> dict:
    view = {
        "messageId": msg.get("messageId"),
        "threadId": msg.get("threadId"),
        "subject": msg.get("subject"),
        "from": msg.get("sender"),
        "date": msg.get("messageTimestamp"),
        "labels": msg.get("labelIds"),
        "attachments": _attachments(msg),
    }
    text = msg.get("messageText") or (msg.get("preview") or {}).get("body") or ""
    if text:
        view["text" if text_chars > SNIPPET_CHARS else "snippet"] = _cut(text, text_chars)
    return {k: v for k, v in view.items() if v not in (None, [], "")}


def _file(f: dict) -> dict:
    keys = ("id", "name", "mimeType", "size", "modifiedTime", "parents")
    return {k: f[k] for k in keys if f.get(k) not in (None, "", [])}


def _rows(values: list) -> dict:
    rows = [[_cut(cell, CELL_CHARS) for cell in row] for row in (values or [])[:SAMPLE_ROWS]]
    return {"rows": rows, "rows_total": len(values or []), "rows_shown": len(rows)}


VIEWS: dict[str, Callable[[dict], dict]] = {
    Gmail.FETCH_EMAILS: lambda d: {
        "messages": [_message(m, SNIPPET_CHARS) for m in d.get("messages") or []],
        "nextPageToken": d.get("nextPageToken") or "",
        "resultSizeEstimate": d.get("resultSizeEstimate"),
    },
    Gmail.FETCH_MESSAGE_BY_MESSAGE_ID: lambda d: _message(d, TEXT_CHARS),
    Gmail.FETCH_MESSAGE_BY_THREAD_ID: lambda d: {
        "messages": [_message(m, 500) for m in d.get("messages") or []],
        "nextPageToken": d.get("nextPageToken") or "",
    },
    Gmail.LIST_LABELS: lambda d: {
        "labels": [{k: lb.get(k) for k in ("id", "name", "messagesTotal") if k in lb} for lb in d.get("labels") or []]
    },
    Drive.LIST_FILES: lambda d: {
        "files": [_file(f) for f in d.get("files") or []],
        "nextPageToken": d.get("nextPageToken") or "",
    },
    Drive.FIND_FILE: lambda d: {
        "files": [_file(f) for f in d.get("files") or []],
        "nextPageToken": d.get("nextPageToken") or "",
    },
    Drive.GET_FILE_METADATA: _file,
    Sheets.SEARCH_SPREADSHEETS: lambda d: {
        "spreadsheets": [{k: b.get(k) for k in ("id", "name", "modifiedTime")} for b in d.get("spreadsheets") or []],
        "next_page_token": d.get("next_page_token") or d.get("nextPageToken") or "",
    },
    Sheets.GET_SHEET_NAMES: lambda d: {"sheet_names": d.get("sheet_names") or []},
    Sheets.GET_SPREADSHEET_INFO: lambda d: {
        "sheets": [
            {
                "title": (s.get("properties") or {}).get("title"),
                "rows": ((s.get("properties") or {}).get("gridProperties") or {}).get("rowCount"),
                "columns": ((s.get("properties") or {}).get("gridProperties") or {}).get("columnCount"),
            }
            for s in (d.get("response_data") or d).get("sheets") or []
        ]
    },
    Sheets.VALUES_GET: lambda d: {
        "range": d.get("range"),
        **_rows(d.get("values") or []),
        "truncated": bool(d.get("truncated")),
    },
    Sheets.BATCH_GET: lambda d: {
        "valueRanges": [{"range": r.get("range"), **_rows(r.get("values") or [])} for r in d.get("valueRanges") or []]
    },
}


def compact(name: str, result: Any) -> str:
    """A tool result as lean JSON text; envelopes keep their {successful, data, error} shape.

    Too long a result is shortened to valid JSON: list entries lose their optional fields, then
    the tail of the list, which the result then counts as omitted.
    """
    if isinstance(result, dict) and "successful" in result:
        if not result.get("successful"):
            view: Any = {"successful": False, "error": _cut(result.get("error") or "failed", 600)}
        else:
            data = result.get("data") or {}
            shape = VIEWS.get(name)
            view = {"successful": True, "data": shape(data) if shape else data}
    else:
        view = result
    text = _dumps(view)
    return text if len(text) <= MAX_RESULT_CHARS else _shorten(view, text)


def _dumps(view: Any) -> str:
    return json.dumps(view, ensure_ascii=False, default=str)


def _shorten(view: Any, text: str) -> str:
    data = view.get("data") if isinstance(view, dict) else None
    holder = data if isinstance(data, dict) else view if isinstance(view, dict) else None
    keys = LIST_KEYS + tuple(k for t in all_types() for k in t.list_keys)
    key = next((k for k in keys if holder is not None and isinstance(holder.get(k), list)), None)
    if key is None:
        return _dumps(
            {
                "cut": True,
                "note": "result too long: ask for less (a smaller page, range or read)",
                "start": text[: MAX_RESULT_CHARS - 200],
            }
        )
    entries = [{k: v for k, v in e.items() if k not in SHED} if isinstance(e, dict) else e for e in holder[key]]
    total, keep = len(entries), len(entries)
    while keep > 1:
        holder[key] = entries[:keep]
        if keep < total:
            holder["omitted"] = total - keep
            holder["note"] = "the rest of this page was left out: ask for smaller pages to see every entry"
        text = _dumps(view)
        if len(text) <= MAX_RESULT_CHARS:
            return text
        keep = keep * 3 // 4
    holder[key] = entries[:1]
    holder["omitted"] = total - 1
    return _dumps(view)[: MAX_RESULT_CHARS * 2]
