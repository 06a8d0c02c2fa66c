"""The offline explorer brain: walk a source's listing tools page by page and download what the limits allow."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import re
from pathlib import Path
from typing import Any, Callable, Iterator

from nodes.context import Context
from nodes.state import Item, SourceRecord
from tools.sandbox import Sandbox
from tools.retry import TransientError, is_transient, transient_error, with_retries
from tools.scoping import ToolRunner

Emit = Callable[..., None]


class ToolFailure(Exception):
    """A tool answered with `successful: false`; the message is its error."""


RETRY_ATTEMPTS = 5
RETRY_BASE_SECONDS = 0.5


def call(tools: ToolRunner, name: str, args: dict) -> dict:
    """Invoke a tool and unwrap its Composio envelope; transient failures are retried with backoff."""

    def once() -> dict:
        out = tools.invoke(name, args)
        if not isinstance(out, dict):
            raise ToolFailure(f"{name} returned {type(out).__name__}, not an envelope")
        if not out.get("successful"):
            error = str(out.get("error") or f"{name} failed")
            raise transient_error(error) if is_transient(error) else ToolFailure(error)
        return out.get("data") or {}

    try:
        return with_retries(once, attempts=RETRY_ATTEMPTS, base=RETRY_BASE_SECONDS)
    except TransientError as exc:
        raise ToolFailure(f"{exc} (gave up after {RETRY_ATTEMPTS} tries)") from exc


def safe_name(name: str, fallback: str = "item") -> str:
    """A file name safe inside a workspace: no separators, no leading dots, bounded length."""
    cleaned = re.sub(r"[^\w.\- ]+", "_", name).strip(" ._")[:120]
    return cleaned or fallback


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def ext_of(name: str) -> str:
    suffix = Path(name).suffix.lower().lstrip(".")
    return suffix if suffix.isalnum() else ""


class Budget:
    """The explorer's limits: items, bytes and tool calls for one source."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.items = 0
        self.bytes = 0
        self.calls = 0

    def refuse(self, size: int = 0) -> str:
        """Return why one more item of `size` bytes may not be downloaded, or ''."""
        if self.items >= self.ctx.max_items_per_source:
            return f"item limit reached ({self.ctx.max_items_per_source})"
        if size and size > self.ctx.max_item_bytes:
            return f"item larger than the limit ({size} > {self.ctx.max_item_bytes} bytes)"
        if self.bytes + size > self.ctx.max_bytes_per_source:
            return f"byte limit reached ({self.ctx.max_bytes_per_source})"
        return ""

    def take(self, size: int) -> None:
        self.items += 1
        self.bytes += size


class OfflineExplorer:
    """Deterministic exploration of one source through its scoped tools."""

    def __init__(self, ctx: Context, source: dict, source_key: str, tools: ToolRunner, sandbox: Sandbox, emit: Emit,
                 known: dict[str, dict] | None = None):
        self.ctx, self.source, self.key = ctx, source, source_key
        self.tools, self.sandbox, self.emit = tools, sandbox, emit
        self.budget = Budget(ctx)
        self.items: list[Item] = []
        self.skipped: list[dict] = []
        self.failures: list[dict] = []
        self.unchanged: list[str] = []
        self.seen: list[str] = []
        self.listed = 0
        # The ledger of earlier runs: item_id -> {"revision", "status"}; empty on a full refresh.
        self.known = {} if ctx.full_refresh else dict(known or {})
        prefix = source["type"] + ":"
        self.only = {i[len(prefix):] for i in ctx.only_items if i.startswith(prefix)} if ctx.only_items else None
        self.only_parents = {i.split("/", 1)[0] for i in self.only or ()}
        # Attachments ("<message>/<name>") and worksheets ("<book>/<sheet>") by their parent's id.
        self.children: dict[str, list[str]] = {}
        for item_id in sorted(self.known):
            parent, sep, _ = item_id.partition("/")
            if sep:
                self.children.setdefault(parent, []).append(item_id)

    # -- ledger gates -------------------------------------------------------------------------
    def wanted(self, item_id: str) -> bool:
        """False when the run is limited to some items (a retry) and this is not one of them."""
        return self.only is None or item_id in self.only

    def unchanged_since_last_run(self, item_id: str, revision: str) -> bool:
        """First gate: the source's revision equals the ledger's, so the item is not downloaded again."""
        self.seen.append(item_id)
        row = self.known.get(item_id)
        if self.only is not None or not revision or row is None or row["revision"] != revision:
            return False
        self.unchanged.append(item_id)
        return True

    # -- shared steps -------------------------------------------------------------------------
    def call(self, name: str, args: dict) -> dict:
        if self.budget.calls >= self.ctx.max_steps:
            raise ToolFailure(f"step limit reached ({self.ctx.max_steps} tool calls)")
        self.budget.calls += 1
        return call(self.tools, name, args)

    def pages(self, name: str, args: dict, token_arg: str, token_keys: tuple[str, ...]) -> Iterator[dict]:
        """Yield each page of a paginated listing until the source says there are no more."""
        token, seen = "", set()
        while True:
            page = self.call(name, {**args, token_arg: token} if token else dict(args))
            yield page
            token = next((page[k] for k in token_keys if page.get(k)), "")
            if not token or token in seen:
                return
            seen.add(token)

    def fail(self, item_id: str, locator: str, reason: str) -> None:
        self.failures.append({"item_id": item_id, "source_type": self.source["type"], "locator": locator, "reason": reason})

    def skip(self, item_id: str, locator: str, reason: str) -> None:
        self.skipped.append({"item_id": item_id, "locator": locator, "reason": reason})

    def materialise(self, s3url: str, rel: str) -> Path:
        """Make sure a downloaded file sits inside this agent's workspace and return its path."""
        path = Path(s3url) if s3url and not re.match(r"^[a-z]+://", s3url) else None
        if path is None or not path.is_file():
            raise ToolFailure(f"download not available locally: {s3url[:120]!r}")
        workspace = self.sandbox.workspace.resolve()
        if path.resolve().is_relative_to(workspace):
            return path.resolve()
        return self.sandbox.write_bytes(rel, path.read_bytes())

    def add(self, item: Item, path: Path) -> None:
        size = path.stat().st_size
        self.budget.take(size)
        item.update(path=str(path), size=size, sha256=sha256_file(path), source_key=self.key,
                    source_type=self.source["type"])
        item.setdefault("file_type", ext_of(item.get("name", "")))
        self.items.append(item)
        self.emit("item_downloaded", source=self.key, item=item["locator"], size=size)

    def record(self, status: str = "ok", reason: str = "") -> SourceRecord:
        return SourceRecord(
            source_key=self.key, source_type=self.source["type"], status=status, reason=reason,
            listed=self.listed, downloaded=len(self.items), bytes=self.budget.bytes,
            skipped=self.skipped, failures=self.failures, items=sorted(self.items, key=lambda i: i["item_id"]),
            isolation=self.sandbox.isolation, tool_calls=self.budget.calls,
            unchanged=sorted(self.unchanged), seen=sorted(set(self.seen)),
            complete=self.only is None and not self.skipped,
        )

    def run(self) -> SourceRecord:
        explore = {"gmail": self.explore_gmail, "drive": self.explore_drive, "sheets": self.explore_sheets}
        explore[self.source["type"]]()
        self.emit("source_explored", source=self.key, listed=self.listed, downloaded=len(self.items),
                  failed=len(self.failures), skipped=len(self.skipped))
        return self.record()

    # -- gmail --------------------------------------------------------------------------------
    def explore_gmail(self) -> None:
        args = {"max_results": self.ctx.page_size, "ids_only": True}
        for page in self.pages("GMAIL_FETCH_EMAILS", args, "page_token", ("nextPageToken",)):
            messages = page.get("messages") or []
            self.listed += len(messages)
            self.emit("source_listed", source=self.key, listed=self.listed)
            for msg in messages:
                self.fetch_message(str(msg.get("messageId") or ""))

    def fetch_message(self, mid: str) -> None:
        locator = f"gmail:{mid}"
        if not self.wanted(mid) and mid not in self.only_parents:
            return
        # A message id never changes content, so it is the message's revision.
        if self.unchanged_since_last_run(mid, mid):
            for item_id in self.children.get(mid, ()):
                self.seen.append(item_id)
                self.unchanged.append(item_id)
            return
        if why := self.budget.refuse():
            self.skip(mid, locator, why)
            return
        try:
            meta = self.call("GMAIL_FETCH_MESSAGE_BY_MESSAGE_ID", {"message_id": mid, "format": "metadata"})
            data = self.call("GMAIL_FETCH_MESSAGE_BY_MESSAGE_ID", {"message_id": mid, "format": "raw"})
            raw = data.get("raw") or (data.get("payload") or {}).get("raw") or ""
            blob = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
            if not blob:
                raise ToolFailure("message has no raw content")
            if why := self.budget.refuse(len(blob)):
                self.skip(mid, locator, why)
                return
            path = self.sandbox.write_bytes(f"gmail/{safe_name(mid)}.eml", blob)
        except (ToolFailure, ValueError) as exc:
            self.fail(mid, locator, str(exc))
            return
        subject = str(meta.get("subject") or "(no subject)")
        labels = [str(x) for x in meta.get("labelIds") or []]
        thread = str(meta.get("threadId") or mid)
        if self.wanted(mid):
            self.add(Item(item_id=mid, kind="message", name=subject, revision=mid, locator=locator,
                          hints=labels + [subject], group_key=f"thread:{thread}", group_name=subject_root(subject),
                          file_type="eml"), path)
        for att in meta.get("attachmentList") or []:
            self.fetch_attachment(mid, subject, labels, att)

    def fetch_attachment(self, mid: str, subject: str, labels: list[str], att: dict) -> None:
        name = str(att.get("filename") or att.get("name") or "attachment")
        aid = str(att.get("attachmentId") or att.get("id") or "")
        item_id = f"{mid}/{name}"
        locator = f"gmail:{mid}/{name}"
        if not self.wanted(item_id):
            return
        self.seen.append(item_id)
        if why := self.budget.refuse(int(att.get("size") or 0)):
            self.skip(item_id, locator, why)
            return
        try:
            data = self.call("GMAIL_GET_ATTACHMENT", {"message_id": mid, "attachment_id": aid, "file_name": name})
            path = self.materialise((data.get("file") or {}).get("s3url", ""), f"gmail/{safe_name(mid)}/{safe_name(name)}")
        except ToolFailure as exc:
            self.fail(item_id, locator, str(exc))
            return
        self.add(Item(item_id=item_id, kind="attachment", name=name, revision=mid, locator=locator,
                      hints=labels + [subject, name], group_key=f"doc:{item_id}", group_name=Path(name).stem), path)

    # -- drive --------------------------------------------------------------------------------
    def explore_drive(self) -> None:
        folders: dict[str, tuple[str, str]] = {}
        files: list[dict] = []
        args = {"q": "trashed = false", "pageSize": self.ctx.page_size}
        for page in self.pages("GOOGLEDRIVE_LIST_FILES", args, "pageToken", ("nextPageToken",)):
            for f in page.get("files") or []:
                parent = (f.get("parents") or ["root"])[0]
                if f.get("mimeType") == "application/vnd.google-apps.folder":
                    folders[f["id"]] = (f.get("name", ""), parent)
                else:
                    files.append(f)
            self.listed = len(files)
            self.emit("source_listed", source=self.key, listed=self.listed)
        for f in sorted(files, key=lambda f: f["id"]):
            self.download_file(f, folder_path(folders, (f.get("parents") or ["root"])[0]))

    def download_file(self, f: dict, folders: list[str]) -> None:
        name = str(f.get("name") or f["id"])
        rel = "/".join(folders + [name])
        locator = f"drive:{rel}"
        revision = str(f.get("modifiedTime") or f.get("md5Checksum") or "")
        if not self.wanted(f["id"]) or self.unchanged_since_last_run(f["id"], revision):
            return
        if why := self.budget.refuse(int(f.get("size") or 0)):
            self.skip(f["id"], locator, why)
            return
        try:
            data = self.call("GOOGLEDRIVE_DOWNLOAD_FILE", {"fileId": f["id"]})
            s3url = (data.get("downloaded_file_content") or {}).get("s3url", "")
            path = self.materialise(s3url, f"drive/{f['id']}/{safe_name(name)}")
        except ToolFailure as exc:
            self.fail(f["id"], locator, str(exc))
            return
        self.add(Item(item_id=f["id"], kind="file", name=name, revision=revision, locator=locator, hints=folders + [name], group_key=f"doc:{f['id']}", group_name=Path(name).stem), path)

    # -- sheets -------------------------------------------------------------------------------
    def explore_sheets(self) -> None:
        books: list[dict] = []
        args = {"max_results": self.ctx.page_size}
        for page in self.pages("GOOGLESHEETS_SEARCH_SPREADSHEETS", args, "page_token", ("next_page_token", "nextPageToken")):
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
                self.unchanged_since_last_run(item_id, revision)
            return
        try:
            names = self.call("GOOGLESHEETS_GET_SHEET_NAMES", {"spreadsheet_id": bid}).get("sheet_names") or []
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
            data = self.call("GOOGLESHEETS_VALUES_GET", args)
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
        self.add(Item(item_id=item_id, kind="sheet", name=f"{bname} / {sheet}", revision=revision, locator=locator,
                      hints=[Path(bname).stem, sheet], group_key=f"book:{bid}", group_name=Path(bname).stem,
                      file_type="csv"), path)


def folder_path(folders: dict[str, tuple[str, str]], folder_id: str) -> list[str]:
    """Names of the folders from the root down to `folder_id` (cycles cut)."""
    names: list[str] = []
    seen: set[str] = set()
    while folder_id in folders and folder_id not in seen:
        seen.add(folder_id)
        name, folder_id = folders[folder_id]
        names.append(name)
    return names[::-1]


def subject_root(subject: str) -> str:
    """A thread's name: the subject without reply and forward prefixes."""
    root = re.sub(r"^\s*((re|fw|fwd|aw|tr)\s*(\[\d+\])?\s*:\s*)+", "", subject, flags=re.I).strip()
    return root or "(no subject)"


def explore_offline(ctx: Context, source: dict, source_key: str, tools: ToolRunner, sandbox: Sandbox,
                    emit: Emit, known: dict[str, dict] | None = None) -> SourceRecord:
    """Explore one source with the offline brain and return its record; `known` is the item ledger."""
    return OfflineExplorer(ctx, source, source_key, tools, sandbox, emit, known).run()

