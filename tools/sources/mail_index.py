"""One pass over a mail export: ids, threads, labels and headers of every message.

Message id: the first 16 hex digits of SHA-256 over the raw RFC 2822 bytes; the n-th
byte-identical copy (n >= 1) hashes the bytes plus `\\0<n>`. Thread id: 16 hex digits of
SHA-256 over `thread:<key>`, where `<key>` is the smallest thread key among messages
linked by Message-ID, References and In-Reply-To (see tools.parsers.mail). Attachment id:
`<message id>.<n>`, n counting the message's attachments from 1.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from tools.parsers.mail import ParsedEmail, parse_email
from tools.sources.gmail_labels import label_ids
from tools.sources.mail_store import Key, MailStore
from tools.sources.stable_id import stable_id


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


class MailIndex:
    """Messages of an export, newest first, addressable by message and thread id."""

    def __init__(self, path: str | Path) -> None:
        self.store = MailStore(path)
        self.user_labels: dict[str, str] = {}
        seen: dict[str, int] = {}
        entries, links = [], []
        for key in self.store.keys():
            raw = self.store.get_bytes(key)
            mail = parse_email(raw)
            # Keep headers only: bodies would make memory grow with the mailbox.
            entries.append(self._entry(_message_id(raw, seen), key, mail))
            links.append((mail.thread_key, mail.message_id, mail.in_reply_to, *mail.references))
        entries = [replace(e, thread_id=t) for e, t in zip(entries, _thread_ids(links))]
        oldest = datetime.min.replace(tzinfo=timezone.utc)
        entries.sort(key=lambda e: (e.date or oldest, e.id), reverse=True)
        self.entries: list[MailEntry] = entries
        self.by_id = {e.id: e for e in entries}

    def thread(self, thread_id: str) -> list[MailEntry]:
        """Return a thread's messages, oldest first."""
        return [e for e in reversed(self.entries) if e.thread_id == thread_id]

    def raw(self, entry: MailEntry) -> bytes:
        """Return one message's raw bytes."""
        return self.store.get_bytes(entry.key)

    def parsed(self, entry: MailEntry) -> ParsedEmail:
        """Return one message parsed."""
        return parse_email(self.raw(entry))

    def _entry(self, message_id: str, key: Key, mail: ParsedEmail) -> MailEntry:
        labels, user = label_ids(mail.labels)
        self.user_labels.update(user)
        return MailEntry(
            id=message_id, key=key, thread_id="", labels=labels, subject=mail.subject,
            sender=mail.sender, to=mail.to, cc=mail.cc, date=parse_date(mail.date),
            attachments=tuple((a.name, a.content_type, len(a.data)) for a in mail.attachments),
        )


def parse_date(text: str) -> datetime | None:
    """Return an ISO date from the parser as an aware datetime, or None."""
    try:
        moment = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _message_id(raw: bytes, seen: dict[str, int]) -> str:
    base = stable_id(raw)
    copies = seen.get(base, 0)
    seen[base] = copies + 1
    return base if copies == 0 else stable_id(raw + f"\0{copies}".encode())


def _thread_ids(links: list[tuple[str, ...]]) -> list[str]:
    """Link (thread key, message id, in-reply-to, references...) tuples into thread ids."""
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for thread_key, *linked in links:
        for other in linked:
            if other:
                a, b = find(thread_key), find(other)
                parent[max(a, b)] = min(a, b)
    return [stable_id(f"thread:{find(link[0])}") for link in links]
