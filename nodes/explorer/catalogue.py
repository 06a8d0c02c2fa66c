"""What a model-driven explorer has seen of its source: listed items and their metadata, from tool results."""

from __future__ import annotations

from typing import Any

from nodes.explorer.offline import folder_path
from tools.sources.registry import source_type as declared
from tools.sources.slugs import Drive, Gmail, Sheets

FOLDER = "application/vnd.google-apps.folder"
# Listing tools, their page-token argument and the arguments that narrow the listing to a subset.
LISTINGS: dict[str, tuple[str, tuple[str, ...]]] = {
    Gmail.FETCH_EMAILS: ("page_token", ("query", "label_ids", "include_spam_trash")),
    Drive.LIST_FILES: ("pageToken", ("q", "folderId", "driveId")),
    Sheets.SEARCH_SPREADSHEETS: ("page_token", ("query", "search_type")),
}
UNFILTERED_DRIVE_QUERIES = ("", "trashed = false", "trashed=false")


class Catalogue:
    """Listed messages, files, folders, spreadsheets and sheets, keyed by the ids the tools use."""

    def __init__(self, source_type: str) -> None:
        self.source_type = source_type
        self.messages: dict[str, dict] = {}
        self.files: dict[str, dict] = {}
        self.folders: dict[str, tuple[str, str]] = {}
        self.books: dict[str, dict] = {}
        self.sheets: dict[str, list[str]] = {}
        self.hooks = declared(source_type).model  # a registered type's own catalogue, or None (built in)
        self.listed_units: dict[str, str] = {}  # what those hooks saw: unit id -> readable name
        self.listing_done = False  # an unfiltered listing was followed from its first page to its last
        self._chain: str | None = None  # the next page token of that listing, while it is being followed

    def observe(self, name: str, args: dict, data: dict) -> None:
        """Remember the items a successful tool result shows."""
        if self.hooks is not None:
            self.listed_units.update(self.hooks.units(name, args, data))
            return
        if name in (Gmail.FETCH_EMAILS, Gmail.FETCH_MESSAGE_BY_THREAD_ID):
            for msg in data.get("messages") or []:
                self.add_message(msg)
        elif name == Gmail.FETCH_MESSAGE_BY_MESSAGE_ID and data.get("messageId"):
            self.add_message(data)
        elif name in (Drive.LIST_FILES, Drive.FIND_FILE):
            for f in data.get("files") or []:
                self.add_file(f)
        elif name == Drive.GET_FILE_METADATA and data.get("id"):
            self.add_file(data)
        elif name == Sheets.SEARCH_SPREADSHEETS:
            for book in data.get("spreadsheets") or []:
                if book.get("id"):
                    self.books.setdefault(str(book["id"]), {}).update(book)
        elif name == Sheets.GET_SHEET_NAMES and args.get("spreadsheet_id"):
            self.sheets[str(args["spreadsheet_id"])] = [str(s) for s in data.get("sheet_names") or []]
        if name in LISTINGS:
            self._follow(name, args, data)

    def add_message(self, msg: dict) -> None:
        mid = str(msg.get("messageId") or msg.get("id") or "")
        if mid:
            row = self.messages.setdefault(mid, {})
            row.update(
                {
                    k: v
                    for k, v in msg.items()
                    if k
                    in ("messageId", "threadId", "labelIds", "subject", "sender", "messageTimestamp", "attachmentList")
                }
            )

    def add_file(self, f: dict) -> None:
        if not f.get("id"):
            return
        if f.get("mimeType") == FOLDER:
            self.folders[str(f["id"])] = (str(f.get("name") or ""), str((f.get("parents") or ["root"])[0]))
        else:
            self.files.setdefault(str(f["id"]), {}).update(f)

    def _follow(self, name: str, args: dict, data: dict) -> None:
        token_arg, filters = LISTINGS[name]
        narrowed = any(
            args.get(k) for k in filters if not (k == "q" and str(args.get(k)).strip() in UNFILTERED_DRIVE_QUERIES)
        )
        if narrowed:
            return
        token = str(args.get(token_arg) or "")
        nxt = str(data.get("nextPageToken") or data.get("next_page_token") or "")
        if token and token != self._chain:
            return
        self._chain = nxt or None
        if not nxt:
            self.listing_done = True

    def units(self) -> dict[str, str]:
        """Every listed item the explorer could download, id -> readable name (messages, files, sheets)."""
        if self.hooks is not None:
            return dict(self.listed_units)
        if self.source_type == "gmail":
            return {mid: str(m.get("subject") or "(no subject)") for mid, m in self.messages.items()}
        if self.source_type == "drive":
            return {fid: str(f.get("name") or fid) for fid, f in self.files.items()}
        out: dict[str, str] = {}
        for bid, book in self.books.items():
            names = self.sheets.get(bid)
            if names is None:
                out[bid] = str(book.get("name") or bid)
            for sheet in names or []:
                out[f"{bid}/{sheet}"] = f"{book.get('name') or bid} / {sheet}"
        return out

    def seen(self) -> list[str]:
        """Ids of everything listed, attachments included (the ledger's view of the source)."""
        ids = set(self.units())
        for mid, msg in self.messages.items():
            ids.update(f"{mid}/{a.get('filename') or a.get('name')}" for a in msg.get("attachmentList") or [])
        return sorted(ids)

    def complete(self) -> bool:
        """True when the whole source was listed, so unseen ledger items really are gone."""
        if self.hooks is not None:  # a model's listing of a registered type is never taken as whole
            return False
        if not self.listing_done:
            return False
        return self.source_type != "sheets" or all(bid in self.sheets for bid in self.books)

    def folder_path(self, folder_id: str) -> list[str]:
        return folder_path(self.folders, folder_id)


def envelope_data(result: Any) -> tuple[bool, dict, str]:
    """Unpack a Composio envelope into (successful, data, error)."""
    if not isinstance(result, dict) or "successful" not in result:
        return False, {}, f"unexpected tool result: {str(result)[:200]}"
    return bool(result.get("successful")), dict(result.get("data") or {}), str(result.get("error") or "")
