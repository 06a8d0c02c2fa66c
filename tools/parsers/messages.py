"""Email files (.eml via the stdlib, Outlook .msg via extract-msg) to email sections."""

from __future__ import annotations

from pathlib import Path

import extract_msg

from tools.parsers.encoding import decode_bytes
from tools.parsers.mail import parse_email
from tools.parsers.markup import html_to_text
from tools.parsers.split import titled_sections
from tools.parsers.types import Deadline, ParseFailure, Section

_FIELDS = (("From", "sender"), ("To", "to"), ("Cc", "cc"), ("Date", "date"), ("Subject", "subject"))


def _sections(headers: dict, body: str) -> list[Section]:
    """One email section (parts when long), each opening with the header summary."""
    summary = "\n".join(f"{label}: {headers[key]}" for label, key in _FIELDS if headers.get(key))
    title = f"Email: {headers.get('subject') or '(no subject)'}"
    parts = titled_sections(body, title, "body", kind="email") if body.strip() else []
    if not parts:
        return [Section(title=title, text=summary, locator="body", kind="email")] if summary else []
    return [Section(title=p.title, text=f"{summary}\n\n{p.text}", locator=p.locator, kind=p.kind)
            for p in parts]


def read_eml(path: Path, deadline: Deadline) -> tuple[list[Section], dict]:
    """Return the message as an email section; attachments are listed in meta, not parsed."""
    mail = parse_email(path.read_bytes())
    if mail.rejected:
        raise ParseFailure(mail.rejected)
    deadline.check()
    headers = {
        "message_id": mail.message_id, "subject": mail.subject, "sender": mail.sender,
        "to": mail.to, "cc": mail.cc, "date": mail.date, "in_reply_to": mail.in_reply_to,
        "references": list(mail.references), "thread_key": mail.thread_key,
        "labels": list(mail.labels),
        "attachments": [{"name": a.name, "content_type": a.content_type, "size": len(a.data)}
                        for a in mail.attachments],
        "defects": list(mail.defects), "charset_fallback": mail.charset_fallback,
        "header_defect": mail.header_defect, "sender_candidates": list(mail.sender_candidates),
    }
    return _sections(headers, mail.body_text), headers


def _iso(value: object) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value or "")


def _attachment(att: object) -> dict:
    name = getattr(att, "longFilename", None) or getattr(att, "shortFilename", None) or ""
    data = getattr(att, "data", None)
    return {"name": str(name), "size": len(data) if isinstance(data, bytes) else 0,
            "content_type": getattr(att, "mimetype", None) or "application/octet-stream"}


def read_msg(path: Path, deadline: Deadline) -> tuple[list[Section], dict]:
    """Return an Outlook message as an email section, like read_eml."""
    try:
        msg = extract_msg.openMsg(str(path))
    except Exception as exc:  # noqa: BLE001 - extract-msg raises many private error types
        if "encrypt" in str(exc).lower():
            raise ParseFailure("encrypted") from exc
        raise ParseFailure(f"corrupt: {type(exc).__name__}: {exc}"[:200]) from exc
    try:
        body = msg.body or ""
        if not body.strip() and getattr(msg, "htmlBody", None):
            body = html_to_text(decode_bytes(msg.htmlBody))
        attachments = [_attachment(a) for a in getattr(msg, "attachments", [])]
        headers = {
            "message_id": (msg.messageId or "").strip().strip("<>"),
            "subject": msg.subject or "", "sender": msg.sender or "", "to": msg.to or "",
            "cc": msg.cc or "", "date": _iso(msg.date),
            "attachments": attachments,
        }
    finally:
        msg.close()
    deadline.check()
    return _sections(headers, body.replace("\r\n", "\n")), headers
