"""Messages shaped as Composio's Gmail tools return them, per requested format."""

from __future__ import annotations

from datetime import timezone
from typing import Any

from tools.parsers.mail import ParsedEmail
from tools.sources.gmail.mail_index import MailEntry
from tools.sources.gmail.payload import b64url, build_payload

FORMATS = ("minimal", "metadata", "full", "raw")


def timestamp(entry: MailEntry) -> str | None:
    """Return the message time in UTC, e.g. 2001-05-14T23:39:00Z."""
    if entry.date is None:
        return None
    return entry.date.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def attachment_list(entry: MailEntry) -> list[dict[str, Any]]:
    """Return the attachments with the ids GMAIL_GET_ATTACHMENT takes."""
    return [
        {"attachmentId": f"{entry.id}.{n}", "filename": name, "mimeType": ctype, "size": size}
        for n, (name, ctype, size) in enumerate(entry.attachments, start=1)
    ]


def ids_only(entry: MailEntry) -> dict[str, Any]:
    """Return just the ids, as a listing with ids_only=true does."""
    return {"messageId": entry.id, "threadId": entry.thread_id}


def summary(entry: MailEntry) -> dict[str, Any]:
    """Return the header fields every non-minimal format carries."""
    return {
        "messageId": entry.id,
        "threadId": entry.thread_id,
        "labelIds": list(entry.labels),
        "messageTimestamp": timestamp(entry),
        "subject": entry.subject,
        "sender": entry.sender,
        "to": entry.to,
    }


def render(
    entry: MailEntry, fmt: str, raw: bytes | None = None, parsed: ParsedEmail | None = None, payload: bool = True
) -> dict[str, Any]:
    """Return one message in `fmt`; `raw` is needed for metadata/full/raw, `parsed` for full."""
    if fmt == "minimal":
        return {"messageId": entry.id, "threadId": entry.thread_id, "labelIds": list(entry.labels)}
    out = summary(entry)
    if fmt == "raw":
        out["raw"] = b64url(raw or b"")
        return out
    if fmt == "metadata":
        out["attachmentList"] = attachment_list(entry)
        out["payload"] = build_payload(raw, entry.id, with_bodies=False) if raw and payload else None
        out["preview"] = {"subject": entry.subject, "body": ""}
        return out
    text = parsed.body_text if parsed else ""
    out["messageText"] = text
    out["attachmentList"] = attachment_list(entry)
    out["payload"] = build_payload(raw, entry.id) if raw and payload else None
    out["preview"] = {"subject": entry.subject, "body": " ".join(text.split())[:200]}
    return out
