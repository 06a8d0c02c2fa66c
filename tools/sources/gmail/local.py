"""The Gmail read tools, served from a local mail export (mbox, Maildir or .eml files)."""

from __future__ import annotations

import re
import threading
from collections import Counter, OrderedDict
from pathlib import Path
from typing import Any

from tools.parsers.mail import parse_email
from tools.sources.connector import Handler, LocalConnector
from tools.sources.downloads import DownloadSink, save_download
from tools.sources.envelope import fail, ok
from tools.sources.gmail import render as gmail_render
from tools.sources.gmail.labels import SYSTEM, label_resource
from tools.sources.gmail.mail_index import MailEntry, MailIndex
from tools.sources.gmail.mail_store import MailStore
from tools.sources.gmail.search import MailSearch
from tools.sources.paging import BadPageToken, take_page
from tools.sources.slugs import Gmail

Envelope = dict[str, Any]
THREAD_PAGE = 25
_LISTED_SYSTEM = ("INBOX", "SENT", "DRAFT", "IMPORTANT", "STARRED", "UNREAD", "SPAM", "TRASH")


class LocalGmail(LocalConnector):
    """Answers GMAIL_* read slugs over the mail export at `path`."""

    def __init__(self, path: str | Path, downloads: DownloadSink) -> None:
        self.path = Path(path)
        self.downloads = downloads
        self._index: MailIndex | None = None
        self._search: MailSearch | None = None
        self._lock = threading.RLock()

    @property
    def index(self) -> MailIndex:
        """The message index, opened (built if missing or stale) on first use, shared in-process."""
        if self._index is None:
            self._index = shared_index(self.path)
        return self._index

    @property
    def search(self) -> MailSearch:
        """The search runner over the index, built on first use."""
        if self._search is None:
            self._search = MailSearch(self.index)
        return self._search

    label = "the local Gmail export"
    plain_errors = (BadPageToken,)

    def handlers(self) -> dict[str, Handler]:
        """The tool slugs this connector serves and their handlers."""
        return {
            Gmail.FETCH_EMAILS: self.fetch_emails,
            Gmail.FETCH_MESSAGE_BY_MESSAGE_ID: self.fetch_message,
            Gmail.FETCH_MESSAGE_BY_THREAD_ID: self.fetch_thread,
            Gmail.GET_ATTACHMENT: self.get_attachment,
            Gmail.LIST_LABELS: self.list_labels,
        }

    def fetch_emails(self, args: dict[str, Any]) -> Envelope:
        """List messages matching query and labels, one page at a time."""
        matches = self.search.run(args.get("query"), args.get("label_ids") or [], bool(args.get("include_spam_trash")))
        size = min(max(int(args.get("max_results") or 1), 1), 500)
        places, token = take_page(matches, args.get("page_token"), size)
        page = self.index.at(places)
        if args.get("ids_only"):
            messages = [gmail_render.ids_only(e) for e in page]
        elif args.get("verbose", True) is False:
            messages = [gmail_render.summary(e) for e in page]
        else:
            payload = args.get("include_payload", True) is not False
            messages = [self._full(e, payload) for e in page]
        return ok({"messages": messages, "nextPageToken": token or "", "resultSizeEstimate": len(matches)})

    def fetch_message(self, args: dict[str, Any]) -> Envelope:
        """Return one message in the requested format."""
        entry = self._entry(args.get("message_id"))
        if entry is None:
            return fail(f"message not found: {args.get('message_id')!r}")
        fmt = str(args.get("format") or "full").lower()
        if fmt not in gmail_render.FORMATS:
            return fail(f"unknown format {fmt!r}; use one of {', '.join(gmail_render.FORMATS)}")
        if fmt == "full":
            return ok(self._full(entry, True))
        raw = None if fmt == "minimal" else self.index.raw(entry)
        return ok(gmail_render.render(entry, fmt, raw))

    def fetch_thread(self, args: dict[str, Any]) -> Envelope:
        """Return a thread's messages, oldest first, one page at a time."""
        thread_id = re.sub(r"^(thread-f:|msg-f:)", "", str(args.get("thread_id") or "").strip())
        messages = self.index.thread(thread_id)
        if not messages:
            return fail(f"thread not found: {thread_id!r}")
        page, token = take_page(messages, args.get("page_token") or None, THREAD_PAGE)
        data: dict[str, Any] = {"messages": [self._full(e, True) for e in page]}
        if token:
            data["nextPageToken"] = token
        return ok(data)

    def get_attachment(self, args: dict[str, Any]) -> Envelope:
        """Save one attachment through the download sink and return where it went."""
        entry = self._entry(args.get("message_id"))
        if entry is None:
            return fail(f"message not found: {args.get('message_id')!r}")
        attachment_id = str(args.get("attachment_id") or "")
        prefix, _, number = attachment_id.rpartition(".")
        if prefix != entry.id or not number.isdigit() or not 1 <= int(number) <= len(entry.attachments):
            return fail(f"attachment {attachment_id!r} not found in message {entry.id!r}")
        attachment = self.index.parsed(entry).attachments[int(number) - 1]
        name = str(args.get("file_name") or "").strip() or attachment.name
        path = save_download(self.downloads, "gmail", attachment_id, name, attachment.data)
        return ok({"file": {"name": name, "mimetype": attachment.content_type, "s3url": path}})

    def list_labels(self, args: dict[str, Any]) -> Envelope:
        """Return system labels and every label found in the export."""
        messages, unread, threads = (Counter(c) for c in self.index.label_counts())
        system = [s for s in SYSTEM if s in _LISTED_SYSTEM or s in messages]
        user = sorted(self.index.user_labels.items(), key=lambda item: item[1].casefold())
        labels = []
        for label, name in [(s, s) for s in system] + user:
            counts = None
            if args.get("include_details"):
                counts = {
                    "messagesTotal": messages[label],
                    "messagesUnread": unread[label],
                    "threadsTotal": threads[label],
                }
            labels.append(label_resource(label, name, counts))
        return ok({"labels": labels})

    def _entry(self, message_id: Any) -> MailEntry | None:
        text = re.sub(r"^(msg-f:)", "", str(message_id or "").strip())
        return self.index.get(text)

    def _full(self, entry: MailEntry, payload: bool) -> dict[str, Any]:
        raw = self.index.raw(entry)
        return gmail_render.render(entry, "full", raw, parse_email(raw), payload=payload)


_INDEXES: OrderedDict[tuple, MailIndex] = OrderedDict()
_INDEXES_LOCK = threading.Lock()
_BUILDING: dict[str, threading.Lock] = {}
_INDEXES_KEPT = 4


def shared_index(path: Path) -> MailIndex:
    """Return the index of the mail export at `path`.

    The index lives on disk and is reused while the export is unchanged (sizes and
    modification times), across runs; in-process, one open index serves every connector of
    the same export, and two threads never build the same one at once.
    """
    resolved = str(path.resolve())
    with _INDEXES_LOCK:
        building = _BUILDING.setdefault(resolved, threading.Lock())
    with building:
        store = MailStore(path)
        key = (resolved, store.fingerprint())
        with _INDEXES_LOCK:
            if key in _INDEXES:
                _INDEXES.move_to_end(key)
                return _INDEXES[key]
        built = MailIndex(path, store)
        with _INDEXES_LOCK:
            _INDEXES[key] = built
            while len(_INDEXES) > _INDEXES_KEPT:
                _INDEXES.popitem(last=False)  # not closed: a connector may still hold it
            return built
