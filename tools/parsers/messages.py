"""Email files (.eml via the stdlib, Outlook .msg via extract-msg) to email sections."""

from __future__ import annotations

import re
from pathlib import Path

import extract_msg

from tools.parsers.encoding import decode_bytes
from tools.parsers.mail import parse_email
from tools.parsers.mail_reply import DATE_LINE, HEADER_FIELD, MAILTO, SplitBody, split_body
from tools.parsers.markup import html_to_text
from tools.parsers.split import titled_sections
from tools.parsers.types import Deadline, ParseFailure, Section

_FIELDS = (("From", "sender"), ("To", "to"), ("Cc", "cc"), ("Date", "date"), ("Subject", "subject"))


def _short(value: str, limit: int = 240) -> str:
    """A header value cut after `limit` characters (long recipient lists), saying how many more."""
    value = str(value)
    if len(value) <= limit:
        return value
    head = value[:limit].rsplit(",", 1)[0]
    return f"{head} and {value[len(head) :].count(',') + 1} more"


def _who(sender: str) -> str:
    """A sender as a reader names them: the display name, else the address."""
    sender = MAILTO.sub("", sender or "").strip()
    # What follows the address is gateway residue ('"Name" <a@b.org>@ENRON').
    name = re.sub(r"\s*<[^>]*>.*$", "", sender).strip().strip('"').strip()
    if "/" in name and "@" in name:  # a Lotus Notes address: "John J Lavorato/ENRON@enronXgate"
        name = name.split("/", 1)[0].strip()
    if " " in name:  # a Notes name with its domain: "Karen Denne@ENRON"
        name = re.sub(r"@[\w-]+$", "", name)
    if name:
        return name
    address = re.search(r"[\w.+'-]+@[\w-]+(\.[\w-]+)+", sender)
    return address.group() if address else sender.strip("<> ") or "unknown sender"


def _sections(headers: dict, body: str) -> list[Section]:
    """The message's own text (quotes and signature stripped) after its header summary, then each
    earlier message it quotes or forwards as a section of its own (merged later with its original)."""
    summary = "\n".join(f"{label}: {_short(headers[key])}" for label, key in _FIELDS if headers.get(key))
    date = (headers.get("date") or "")[:10]
    title = f"Message from {_who(headers.get('sender', ''))}" + (f" on {date}" if date else "")
    split = split_body(body) if body.strip() else SplitBody(own="", quoted=())
    parts = titled_sections(split.own, title, "body", kind="email") if split.own.strip() else []
    # The header summary opens the first part only: later parts are titled by sender and date.
    sections = [
        Section(title=p.title, text=f"{summary}\n\n{p.text}" if n == 0 else p.text, locator=p.locator, kind=p.kind)
        for n, p in enumerate(parts)
    ] or ([Section(title=title, text=summary, locator="body", kind="email")] if summary else [])
    for n, quote in enumerate(split.quoted, start=1):
        when = quote.when
        who = (
            f"from {_who(quote.author)}"
            if quote.author
            else f"to {_who(quote.field('to').split(',')[0])}"
            if quote.field("to")
            else ""
        )
        quote_title = " ".join(filter(None, ("Earlier message", who, f"({when})" if when else "")))
        quoted_headers = _readable_headers(quote.headers)
        body_text = _without_leading_transport(quote.text)
        for k, p in enumerate(titled_sections(body_text, quote_title, f"body;quoted={n}", kind="email-quote")):
            # As for the message's own text, the quoted header lines open its first part only.
            text = f"{quoted_headers}\n\n{p.text}" if quoted_headers and k == 0 else p.text
            sections.append(Section(title=p.title, text=text, locator=p.locator, kind=p.kind))
    return sections


# Transport lines a quoted or forwarded message can carry as text: they say nothing to a reader.
_TRANSPORT = re.compile(
    r"^\s*(content-[\w-]+|mime-version|x-[\w-]+|received|return-path|message-id|reply-to|organization|"
    r"boundary|charset)\s*[:=]|^\s*boundary=|^\s*charset=",
    re.I,
)


def _without_leading_transport(text: str) -> str:
    """A quoted text without the MIME lines a forwarded raw message opens with (blank lines between kept out)."""
    lines = text.splitlines()
    start = 0
    while start < len(lines) and (not lines[start].strip() or _TRANSPORT.match(lines[start])):
        start += 1
    return "\n".join(lines[start:]) if start else text


def _readable_headers(headers: str) -> str:
    """A quoted message's header lines as a reader wants them: no MIME or transport lines, no
    empty fields, no "[mailto:...]" gateway addresses, and a field run on over several lines
    (a long To: list) joined and cut like the message's own."""
    lines: list[list[str]] = []  # [label, value] for a field, [text] for any other line
    for raw in headers.splitlines():
        line = MAILTO.sub("", raw).strip()
        if not line or _TRANSPORT.match(line):
            lines.append([])  # a field's continuation lines end here
        elif m := HEADER_FIELD.match(line):
            lines.append([m.group(1), m.group(2).strip()])
        elif lines and len(lines[-1]) == 2 and not DATE_LINE.match(line):
            lines[-1][1] = f"{lines[-1][1]} {line}".strip()
        else:
            lines.append([line])
    return "\n".join(f"{x[0]}: {_short(x[1])}" if len(x) == 2 else x[0] for x in lines if x and (len(x) == 1 or x[1]))


def read_eml(path: Path, deadline: Deadline) -> tuple[list[Section], dict]:
    """Return the message as an email section; attachments are listed in meta, not parsed."""
    mail = parse_email(path.read_bytes())
    if mail.rejected:
        raise ParseFailure(mail.rejected)
    deadline.check()
    headers = {
        "message_id": mail.message_id,
        "subject": mail.subject,
        "sender": mail.sender,
        "to": mail.to,
        "cc": mail.cc,
        "date": mail.date,
        "in_reply_to": mail.in_reply_to,
        "references": list(mail.references),
        "thread_key": mail.thread_key,
        "labels": list(mail.labels),
        "attachments": [
            {"name": a.name, "content_type": a.content_type, "size": len(a.data)} for a in mail.attachments
        ],
        "defects": list(mail.defects),
        "charset_fallback": mail.charset_fallback,
        "header_defect": mail.header_defect,
        "sender_candidates": list(mail.sender_candidates),
    }
    return _sections(headers, mail.body_text), headers


def _iso(value: object) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value or "")


def _attachment(att: object) -> dict:
    name = getattr(att, "longFilename", None) or getattr(att, "shortFilename", None) or ""
    data = getattr(att, "data", None)
    return {
        "name": str(name),
        "size": len(data) if isinstance(data, bytes) else 0,
        "content_type": getattr(att, "mimetype", None) or "application/octet-stream",
    }


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
            "subject": msg.subject or "",
            "sender": msg.sender or "",
            "to": msg.to or "",
            "cc": msg.cc or "",
            "date": _iso(msg.date),
            "attachments": attachments,
        }
    finally:
        msg.close()
    deadline.check()
    return _sections(headers, body.replace("\r\n", "\n")), headers
