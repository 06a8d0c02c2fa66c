"""A mail export's messages, ids, threads, labels and headers, from an index kept on disk (SQLite).

Message id: the first 16 hex digits of SHA-256 over the raw RFC 2822 bytes; the n-th
byte-identical copy (n >= 1) hashes the bytes plus `\\0<n>`. Thread id: 16 hex digits of
SHA-256 over `thread:<key>`, where `<key>` is the smallest thread key among messages
linked by Message-ID, References and In-Reply-To (see tools.parsers.mail). Attachment id:
`<message id>.<n>`, n counting the message's attachments from 1.

The index is one SQLite file per export under $GROVE_MAIL_INDEX_DIR (else ~/.grove/mail-index),
built by one streaming pass (tools.sources.gmail.mail_index_build) and reused while the export is
unchanged (MailStore.fingerprint: sizes and modification times). Memory holds no per-message
state: listings and searches read rows a page at a time.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import overload

from tools.parsers.mail import ParsedEmail, parse_email
from tools.sources.gmail.mail_index_build import FORMAT, build_index, parse_date, text_of
from tools.sources.gmail.mail_store import Key, MailStore
from tools.sources.stable_id import stable_id

__all__ = ["INDEX_DIR_ENV", "MailEntry", "MailIndex", "index_file", "parse_date"]

INDEX_DIR_ENV = "GROVE_MAIL_INDEX_DIR"
_CHUNK = 512
_COLUMNS = 'pos, id, source, inner, thread_id, labels, subject, sender, "to", cc, date, attachments'


@dataclass(frozen=True)
class MailEntry:
    """What the index keeps per message: headers and attachment names, never bodies."""

    id: str
    key: Key
    thread_id: str
    labels: tuple[str, ...]
    subject: str
    sender: str
    to: str
    cc: str
    date: datetime | None
    attachments: tuple[tuple[str, str, int], ...]  # (name, content type, size)
    pos: int = -1  # place in the newest-first listing


def index_file(export: Path) -> Path:
    """Where the index of the export at `export` lives (the folder is made, private, if missing)."""
    name = f"{stable_id(str(export.resolve()))}.sqlite"
    configured = Path(os.environ.get(INDEX_DIR_ENV) or "~/.grove/mail-index").expanduser()
    fallback = Path(tempfile.gettempdir()) / f"grove-mail-index-{os.getuid()}"
    for folder in (configured, fallback):
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            if os.access(folder, os.W_OK):
                return folder / name
        except OSError:
            continue
    raise OSError(f"no writable folder for the mail index: set {INDEX_DIR_ENV}")


class MailIndex:
    """Messages of an export, newest first, addressable by message and thread id."""

    def __init__(self, path: str | Path, store: MailStore | None = None) -> None:
        self.store = store or MailStore(path)
        self.file = index_file(self.store.path)
        fingerprint = self.store.fingerprint()
        if _fingerprint_of(self.file) != fingerprint:
            build_index(self.store, self.file, fingerprint)
        self._db = sqlite3.connect(f"{self.file.as_uri()}?mode=ro", uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        self.count: int = self._one("SELECT count(*) FROM messages")[0]
        self.entries: Sequence[MailEntry] = _Entries(self)

    @property
    def user_labels(self) -> dict[str, str]:
        """Label id -> name of every user label in the export."""
        with self._lock:
            return {label: text_of(name) for label, name in self._db.execute("SELECT id, name FROM user_labels")}

    def get(self, message_id: str) -> MailEntry | None:
        """Return the message with this id, or None."""
        found = self._rows(f"SELECT {_COLUMNS} FROM messages WHERE id = ?", (message_id,))
        return found[0] if found else None

    def at(self, positions: Iterable[int]) -> list[MailEntry]:
        """Return the messages at these places of the newest-first listing, in the order given."""
        wanted = list(positions)
        found: dict[int, MailEntry] = {}
        for start in range(0, len(wanted), _CHUNK):
            part = wanted[start : start + _CHUNK]
            marks = ",".join("?" * len(part))
            found.update(
                (e.pos, e) for e in self._rows(f"SELECT {_COLUMNS} FROM messages WHERE pos IN ({marks})", part)
            )
        return [found[p] for p in wanted]

    def thread(self, thread_id: str) -> list[MailEntry]:
        """Return a thread's messages, oldest first."""
        return self._rows(f"SELECT {_COLUMNS} FROM messages WHERE thread_id = ? ORDER BY pos DESC", (thread_id,))

    def label_counts(self) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
        """Return per label id: messages, unread messages, threads."""
        each = "FROM messages, json_each(messages.labels) AS label"
        with self._lock:
            messages = dict(self._db.execute(f"SELECT label.value, count(*) {each} GROUP BY 1"))
            unread = dict(
                self._db.execute(
                    f"SELECT label.value, count(*) {each} WHERE EXISTS (SELECT 1 FROM json_each(messages.labels)"
                    " WHERE value = 'UNREAD') GROUP BY 1"
                )
            )
            threads = dict(self._db.execute(f"SELECT label.value, count(DISTINCT thread_id) {each} GROUP BY 1"))
        return messages, unread, threads

    def raw(self, entry: MailEntry) -> bytes:
        """Return one message's raw bytes."""
        return self.store.get_bytes(entry.key)

    def parsed(self, entry: MailEntry) -> ParsedEmail:
        """Return one message parsed."""
        return parse_email(self.raw(entry))

    def close(self) -> None:
        """Close the index file and the mailbox files."""
        with self._lock:
            self._db.close()
        self.store.close()

    def _one(self, sql: str, args: Sequence = ()) -> tuple:
        with self._lock:
            return self._db.execute(sql, args).fetchone()

    def _rows(self, sql: str, args: Sequence = ()) -> list[MailEntry]:
        with self._lock:
            rows = self._db.execute(sql, args).fetchall()
        return [_entry(row) for row in rows]


class _Entries(Sequence[MailEntry]):
    """The index's messages, newest first, read from disk a chunk at a time."""

    def __init__(self, index: MailIndex) -> None:
        self._index = index

    def __len__(self) -> int:
        return self._index.count

    @overload
    def __getitem__(self, item: int) -> MailEntry: ...
    @overload
    def __getitem__(self, item: slice) -> list[MailEntry]: ...

    def __getitem__(self, item):
        if isinstance(item, slice):
            return self._index.at(range(len(self))[item])
        return self._index.at([range(len(self))[item]])[0]

    def __iter__(self) -> Iterator[MailEntry]:
        for start in range(0, len(self), _CHUNK):
            yield from self._index._rows(
                f"SELECT {_COLUMNS} FROM messages WHERE pos >= ? AND pos < ? ORDER BY pos", (start, start + _CHUNK)
            )


def _entry(row: tuple) -> MailEntry:
    pos, message_id, source, inner, thread_id, labels, subject, sender, to, cc, date, attachments = row
    return MailEntry(
        id=message_id,
        key=(source, inner),
        thread_id=thread_id,
        labels=tuple(json.loads(labels)),
        subject=text_of(subject),
        sender=text_of(sender),
        to=text_of(to),
        cc=text_of(cc),
        date=datetime.fromisoformat(date) if date else None,
        attachments=tuple((name, ctype, size) for name, ctype, size in json.loads(attachments)),
        pos=pos,
    )


def _fingerprint_of(file: Path) -> str | None:
    """The fingerprint a complete index file was built for, or None (missing, partial, other format)."""
    if not file.is_file():
        return None
    try:
        db = sqlite3.connect(f"{file.as_uri()}?mode=ro", uri=True)
        try:
            meta = dict(db.execute("SELECT name, value FROM meta"))
        finally:
            db.close()
    except sqlite3.Error:
        return None
    return meta.get("fingerprint") if meta.get("format") == FORMAT else None
