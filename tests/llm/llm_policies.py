"""Replies as a function of the input: an explorer, a manifest writer and a structurer that read their prompts.

Messages come in a neutral form — {"role", "content", "tool_calls": [{"name", "args"}], "name"} — so the
same replies drive the in-process fake model and the loopback OpenAI-compatible server.
"""

from __future__ import annotations

import html
import json
import re

LISTING = {
    "gmail": "GMAIL_FETCH_EMAILS",
    "drive": "GOOGLEDRIVE_LIST_FILES",
    "sheets": "GOOGLESHEETS_SEARCH_SPREADSHEETS",
}
FOLDER = "application/vnd.google-apps.folder"
DOC = re.compile(r'<document id="([^"]*)"([^>]*)>\n(.*?)\n</document>', re.S)
SECTION = re.compile(r'<section locator="([^"]*)" title="([^"]*)">\n(.*?)\n</section>', re.S)
ATTR = re.compile(r'(\w+)="([^"]*)"')


def payload(content: str) -> dict:
    """The JSON inside a tool result's <document> wrapper."""
    body = content.split("\n", 1)[1].rsplit("\n", 1)[0] if content.startswith("<document") else content
    return json.loads(body)


def source_of(tools: list[str]) -> str:
    return next(kind for kind, name in LISTING.items() if name in tools)


def turns(messages: list[dict]) -> list[list[dict]]:
    """The tool results of each assistant turn, oldest first."""
    out: list[list[dict]] = []
    for m in messages:
        if m["role"] == "assistant":
            out.append([])
        elif m["role"] == "tool" and out:
            out[-1].append(m)
    return out


def explorer_reply(messages: list[dict], tools: list[str], page_size: int = 1) -> dict:
    """List a page, sample once, download the page (gmail: all; drive: first file; sheets: none), go on."""
    kind, done = source_of(tools), turns(messages)
    if not done:
        return _calls([(LISTING[kind], _list_args(kind, "", page_size))])
    last = done[-1]
    listing = next((r for r in last if r["name"] == LISTING[kind]), None)
    sampled = any(m["role"] == "assistant" and any(_is_sample(c) for c in m["tool_calls"]) for m in messages)
    if listing is None and len(done) >= 2 and all(_sampled(r) for r in last):
        listing = next((r for r in done[-2] if r["name"] == LISTING[kind]), None)
    if listing is None:
        return {"content": f"Done exploring the {kind} source.", "tool_calls": []}
    data = payload(listing["content"])["data"]
    if not sampled:
        return _calls(
            [_sample(kind, data)]
            if kind != "sheets"
            else [("GOOGLESHEETS_GET_SHEET_NAMES", {"spreadsheet_id": b["id"]}) for b in data["spreadsheets"]]
        )
    token = data.get("nextPageToken") or data.get("next_page_token") or ""
    calls = _downloads(kind, data) + ([(LISTING[kind], _list_args(kind, token, page_size))] if token else [])
    return _calls(calls) if calls else {"content": "Nothing more to download here.", "tool_calls": []}


def _is_sample(call: dict) -> bool:
    if call["name"] == "GMAIL_FETCH_MESSAGE_BY_MESSAGE_ID":
        return call["args"].get("format") != "raw"
    return call["name"] in ("GOOGLEDRIVE_GET_FILE_METADATA", "GOOGLESHEETS_GET_SHEET_NAMES")


def _sampled(result: dict) -> bool:
    """A sample's result, not a download's (downloads answer with what was saved)."""
    data = payload(result["content"]).get("data") or {}
    return not ({"downloaded", "already_downloaded", "refused", "items_left"} & set(data))


def _list_args(kind: str, token: str, size: int) -> dict:
    key = {
        "gmail": ("max_results", "page_token"),
        "drive": ("pageSize", "pageToken"),
        "sheets": ("max_results", "page_token"),
    }[kind]
    return {key[0]: size, **({key[1]: token} if token else {})}


def _sample(kind: str, data: dict) -> tuple[str, dict]:
    if kind == "gmail":
        return "GMAIL_FETCH_MESSAGE_BY_MESSAGE_ID", {"message_id": data["messages"][0]["messageId"], "format": "full"}
    first = next((f for f in data["files"] if f.get("mimeType") != FOLDER), data["files"][0])
    return "GOOGLEDRIVE_GET_FILE_METADATA", {"fileId": first["id"]}


def _downloads(kind: str, data: dict) -> list[tuple[str, dict]]:
    if kind == "gmail":
        return [
            ("GMAIL_FETCH_MESSAGE_BY_MESSAGE_ID", {"message_id": m["messageId"], "format": "raw"})
            for m in data["messages"]
        ]
    if kind == "drive":
        files = [f for f in data["files"] if f.get("mimeType") != FOLDER]
        return [("GOOGLEDRIVE_DOWNLOAD_FILE", {"fileId": files[0]["id"]})] if files else []
    return []


def _calls(calls: list[tuple[str, dict]]) -> dict:
    return {"content": "", "tool_calls": [{"name": n, "args": a} for n, a in calls]}


def manifest_reply(messages: list[dict]) -> dict:
    """Give reasons for what was downloaded; drive asks for everything else, sheets names what to fetch."""
    prompt = messages[-1]["content"]
    kind = re.search(r"later explorers of (\w+) sources", prompt).group(1)
    have = re.search(r"Downloaded so far \(\d+\): (.*)", prompt).group(1)
    downloaded = [] if have == "none" else have.split(", ")
    rest = re.findall(r"^- (.+?) — ", prompt, re.M)
    return {
        "summary": f"The {kind} source holds business records.",
        "downloaded": [{"item_id": i, "why": "business record"} for i in downloaded],
        "skipped": [],
        "fetch": [{"item_id": i, "why": "a data table"} for i in rest] if kind == "sheets" else [],
        "fetch_all_listed": kind == "drive",
        "patterns": [
            {"title": f"{kind} listings", "body": "One sample per page was enough to decide.", "file_type": ""}
        ],
    }


def plan_reply(messages: list[dict], mode: str = "good") -> dict:
    """Place each <document> by its words and copy its sections as entries; `mode` injects faults."""
    prompt = next(m["content"] for m in messages if m["role"] == "user")  # a repair request comes after it
    repairing = "failed validation" in messages[-1]["content"]
    bad = mode == "always_bad" or (mode == "bad_then_good" and not repairing)
    items = []
    for doc_id, attrs, body in DOC.findall(prompt):
        meta = {k: html.unescape(v) for k, v in ATTR.findall(attrs)}
        if "source" not in meta:
            continue  # the existing tree and forum hints are documents too, but not batch items
        text = body.lower()
        domain = "Finance" if any(w in text for w in ("budget", "invoice", "price", "volume")) else "Operations"
        entries = [
            {
                "title": html.unescape(title) or "Section",
                "content": _head(content) + (" Approved by Zanzibar for 999 dollars." if bad else ""),
                "locator": html.unescape(loc),
            }
            for loc, title, content in SECTION.findall(body)
        ]
        items.append(
            {
                "item_id": html.unescape(doc_id),
                "domain": domain,
                "skill": "Records",
                "entry_group": meta.get("suggested_group") or meta.get("name") or "General",
                "entries": entries,
            }
        )
    file_types = sorted({html.unescape(m) for m in re.findall(r'file_type="([^"]+)"', prompt)})
    return {
        "items": items,
        "patterns": [
            {"file_type": t, "title": f"Filing {t} items", "body": "One entry per section keeps locators exact."}
            for t in file_types[:1]
        ],
    }


def _head(text: str, limit: int = 400) -> str:
    """The start of a section, cut between lines (whole table rows) or else between words."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    return head.rsplit("\n", 1)[0] if "\n" in head else head.rsplit(None, 1)[0]


def reply_for(messages: list[dict], tools: list[str], plan_mode: str = "good", page_size: int = 1) -> dict:
    """Dispatch on what is bound: the manifest schema, the batch plan schema, or source tools."""
    if tools == ["Manifest"]:
        return {"content": "", "tool_calls": [{"name": "Manifest", "args": manifest_reply(messages)}]}
    if tools == ["BatchPlan"]:
        return {"content": "", "tool_calls": [{"name": "BatchPlan", "args": plan_reply(messages, plan_mode)}]}
    return explorer_reply(messages, tools, page_size)
