"""Build a mail export's on-disk index (SQLite) in one streaming pass over its messages.

Per message the pass keeps nothing in memory: its header fields go to a staging table, its
thread links (message id, in-reply-to, references) to another. Threads are then joined by
union-find over an array of integers, one per distinct thread key or linked id, numbered in
the keys' sort order so a thread's root is its smallest key (tools.sources.gmail.mail_index
documents the ids). The finished file holds one row per message, newest first.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from array import array
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

from tools.parsers.mail import parse_email
from tools.sources.gmail.labels import label_ids
from tools.sources.gmail.mail_store import MailStore
from tools.sources.stable_id import stable_id

FORMAT = "grove-mail-index/1"
SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE messages (
    pos INTEGER PRIMARY KEY,            -- 0 is the newest message
    id TEXT NOT NULL UNIQUE,
    source INTEGER NOT NULL,
    inner TEXT NOT NULL,
    thread_id TEXT NOT NULL,
    labels TEXT NOT NULL,               -- JSON array of label ids
    subject TEXT NOT NULL, sender TEXT NOT NULL, "to" TEXT NOT NULL, cc TEXT NOT NULL,
    date TEXT,                          -- ISO 8601 with offset, or NULL
    attachments TEXT NOT NULL           -- JSON array of [name, content type, size]
);
CREATE INDEX messages_by_thread ON messages (thread_id, pos);
CREATE TABLE user_labels (id TEXT PRIMARY KEY, name TEXT NOT NULL);
"""
STAGE = """
CREATE TABLE stage.scan (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL, source INTEGER NOT NULL, inner TEXT NOT NULL,
    thread_key BLOB NOT NULL, labels TEXT NOT NULL, subject TEXT NOT NULL, sender TEXT NOT NULL,
    "to" TEXT NOT NULL, cc TEXT NOT NULL, date TEXT, ts REAL, attachments TEXT NOT NULL
);
CREATE TABLE stage.links (a BLOB NOT NULL, b BLOB NOT NULL);
CREATE TABLE stage.copies (base TEXT PRIMARY KEY, n INTEGER NOT NULL);
CREATE TABLE stage.keys (rank INTEGER PRIMARY KEY, name BLOB NOT NULL UNIQUE);
CREATE TABLE stage.threads (seq INTEGER PRIMARY KEY, thread_id TEXT NOT NULL);
"""
_BATCH = 500


def build_index(store: MailStore, target: Path, fingerprint: str) -> None:
    """Write the index of `store` to `target` (replaced atomically once complete)."""
    builder = f"{os.getpid()}-{threading.get_ident()}"
    partial, stage = (target.with_name(f"{target.name}.{builder}.{part}") for part in ("partial", "stage"))
    for file in (partial, stage):
        file.unlink(missing_ok=True)
        # Made private before the first header is written: message headers are personal data.
        os.close(os.open(file, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    db = sqlite3.connect(partial, isolation_level=None)
    complete = False
    try:
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        db.execute("ATTACH DATABASE ? AS stage", (str(stage),))
        db.execute("PRAGMA stage.journal_mode = OFF")
        db.executescript(SCHEMA + STAGE)
        db.execute("BEGIN")
        _scan(db, store)
        _link_threads(db)
        db.execute(
            "INSERT INTO messages SELECT ROW_NUMBER() OVER (ORDER BY coalesce(s.ts, -1e300) DESC, s.id DESC) - 1,"
            ' s.id, s.source, s.inner, t.thread_id, s.labels, s.subject, s.sender, s."to", s.cc, s.date,'
            " s.attachments FROM stage.scan s JOIN stage.threads t USING (seq)"
        )
        db.executemany("INSERT INTO meta VALUES (?, ?)", [("format", FORMAT), ("fingerprint", fingerprint)])
        db.execute("COMMIT")
        db.execute("DETACH DATABASE stage")
        complete = True
    finally:
        db.close()
        stage.unlink(missing_ok=True)
        if not complete:
            partial.unlink(missing_ok=True)
    os.replace(partial, target)


def _scan(db: sqlite3.Connection, store: MailStore) -> None:
    rows, links = [], []
    for seq, (key, raw) in enumerate(store.scan()):
        mail = parse_email(raw)
        labels, user = label_ids(mail.labels)
        db.executemany("INSERT OR REPLACE INTO user_labels VALUES (?, ?)", [(i, _text(n)) for i, n in user.items()])
        moment = parse_date(mail.date)
        thread_key = _key(mail.thread_key)
        rows.append(
            (
                seq,
                _message_id(db, raw),
                key[0],
                key[1],
                thread_key,
                json.dumps(labels),
                _text(mail.subject),
                _text(mail.sender),
                _text(mail.to),
                _text(mail.cc),
                moment.isoformat() if moment else None,
                moment.timestamp() if moment else None,
                json.dumps([[a.name, a.content_type, len(a.data)] for a in mail.attachments]),
            )
        )
        links.extend(
            (thread_key, _key(other)) for other in (mail.message_id, mail.in_reply_to, *mail.references) if other
        )
        if len(rows) >= _BATCH:
            _flush(db, rows, links)
    _flush(db, rows, links)


def _flush(db: sqlite3.Connection, rows: list, links: list) -> None:
    db.executemany("INSERT INTO stage.scan VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    db.executemany("INSERT INTO stage.links VALUES (?, ?)", links)
    rows.clear()
    links.clear()


def _link_threads(db: sqlite3.Connection) -> None:
    """Give every message the id of its thread: the smallest key among messages linked to it."""
    db.execute(
        "INSERT INTO stage.keys (name) SELECT thread_key FROM stage.scan UNION SELECT b FROM stage.links ORDER BY 1"
    )
    count = db.execute("SELECT max(rank) FROM stage.keys").fetchone()[0] or 0
    parent = array("q", range(count + 1))

    def find(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    edges = db.execute(
        "SELECT ka.rank, kb.rank FROM stage.links JOIN stage.keys ka ON ka.name = a JOIN stage.keys kb ON kb.name = b"
    )
    for a, b in edges:
        ra, rb = find(a), find(b)
        parent[max(ra, rb)] = min(ra, rb)
    messages = db.execute("SELECT seq, rank FROM stage.scan JOIN stage.keys ON name = thread_key ORDER BY seq")
    roots = ((seq, find(rank)) for seq, rank in messages)
    names = db.cursor()
    for chunk in _chunks(roots):
        rows = [
            (
                seq,
                stable_id(
                    "thread:"
                    + _unkey(names.execute("SELECT name FROM stage.keys WHERE rank = ?", (root,)).fetchone()[0])
                ),
            )
            for seq, root in chunk
        ]
        db.executemany("INSERT INTO stage.threads VALUES (?, ?)", rows)


def _chunks(items: Iterator, size: int = _BATCH) -> Iterator[list]:
    chunk: list = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _message_id(db: sqlite3.Connection, raw: bytes) -> str:
    """The message's id: a hash of its bytes, the n-th identical copy's salted with n."""
    base = stable_id(raw)
    found = db.execute("SELECT n FROM stage.copies WHERE base = ?", (base,)).fetchone()
    db.execute("INSERT OR REPLACE INTO stage.copies VALUES (?, ?)", (base, (found[0] if found else 0) + 1))
    return base if not found else stable_id(raw + f"\0{found[0]}".encode())


def parse_date(text: str) -> datetime | None:
    """Return an ISO date from the parser as an aware datetime, or None."""
    try:
        moment = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _key(text: str) -> bytes:
    # Thread keys are compared as the parser gave them: byte order of this encoding is code point order.
    return text.encode("utf-8", "surrogatepass")


def _unkey(blob: bytes) -> str:
    return blob.decode("utf-8", "surrogatepass")


def _text(value: str) -> str | bytes:
    """A header as stored: text, or (with bytes the parser left undecoded) its bytes, read back by `text_of`."""
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        return value.encode("utf-8", "surrogatepass")


def text_of(value: str | bytes) -> str:
    """A stored header as the parser gave it."""
    return value.decode("utf-8", "surrogatepass") if isinstance(value, bytes) else value
