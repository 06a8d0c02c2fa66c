"""Parse one RFC 822 message into headers, body text and attachments."""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.header import decode_header, make_header
from email.message import EmailMessage, Message
from email.utils import getaddresses, parsedate_to_datetime

from tools.parsers.encoding import decode_bytes
from tools.parsers.mail_checks import defects_of, oversized, sender_check
from tools.parsers.mail_parts import MailAttachment, body_and_attachments


@dataclass(frozen=True)
class ParsedEmail:
    """The parts of a message the knowledge base cares about."""

    message_id: str
    subject: str
    sender: str
    to: str
    cc: str
    date: str
    in_reply_to: str
    references: tuple[str, ...]
    thread_key: str
    labels: tuple[str, ...]
    body_text: str
    attachments: tuple[MailAttachment, ...]
    # What was wrong with the message; none of it is ever used to route or trust it.
    defects: tuple[str, ...] = ()
    charset_fallback: bool = False  # a part's declared charset was unknown or wrong
    header_defect: bool = False  # From holds more than one address or did not parse
    sender_candidates: tuple[str, ...] = ()
    rejected: str = ""  # why the message was not parsed at all ("too large: ...")


__all__ = ["MailAttachment", "ParsedEmail", "parse_email"]


_ANGLE_ADDR = re.compile(r"<\s*([^<>\s@]+@[^<>\s]+)\s*>")
_MSG_ID = re.compile(r"<([^<>]+)>")
_REPLY_PREFIX = re.compile(r"^\s*((re|fw|fwd)\s*(\[\d+\])?\s*:\s*)+", re.I)


def _header(msg: Message, name: str) -> str:
    """Return a header decoded, falling back to its raw text when it is malformed."""
    try:
        value = msg.get(name)
        return "" if value is None else re.sub(r"\s+", " ", str(value)).strip()
    except Exception:  # noqa: BLE001 - malformed headers are tolerated, not fatal
        for key, raw in msg.raw_items():
            if key.lower() == name.lower():
                return re.sub(r"\s+", " ", str(raw)).strip()
        return ""


def _raw_header(msg: Message, name: str) -> str:
    """Return a header as written (encoded words decoded), before address parsing."""
    for key, raw in msg.raw_items():
        if key.lower() == name.lower():
            try:
                return re.sub(r"\s+", " ", str(make_header(decode_header(str(raw))))).strip()
            except Exception:  # noqa: BLE001
                return re.sub(r"\s+", " ", str(raw)).strip()
    return ""


def _sender(raw: str) -> str:
    """Render From with its real address; a display name that looks like an address is dropped."""
    # 'alice@example.org <evil@attacker.tld>' parses as two addresses; mail clients
    # deliver to the bracketed one, so that is the sender.
    match = _ANGLE_ADDR.search(raw)
    if match:
        addr = match.group(1)
        name = raw[: match.start()].strip().strip('"').strip()
    else:
        pairs = [p for p in getaddresses([raw]) if p[1]]
        if len(pairs) != 1 or re.search(r"\s", pairs[0][1]):
            return raw
        name, addr = pairs[0]
    if not name or "@" in name:
        return addr
    return f"{name} <{addr}>"


def _ids(value: str) -> tuple[str, ...]:
    found = _MSG_ID.findall(value) or value.split()
    ids = (re.sub(r"\s+", "", item) for item in found)
    return tuple(dict.fromkeys(i for i in ids if i))


def _date(raw: str) -> str:
    try:
        return parsedate_to_datetime(raw).isoformat()
    except Exception:  # noqa: BLE001 - unparseable dates stay as written
        return raw


def _labels(raw: str) -> tuple[str, ...]:
    if not raw:
        return ()
    row = next(csv.reader([raw], skipinitialspace=True), [])
    return tuple(label.strip() for label in row if label.strip())


def _thread_key(references: tuple[str, ...], in_reply_to: str, subject: str, message_id: str, raw: bytes) -> str:
    if references:
        return references[0]
    if in_reply_to:
        return in_reply_to
    normal = re.sub(r"\s+", " ", _REPLY_PREFIX.sub("", subject)).strip().lower()
    if normal:
        return "subject:" + hashlib.sha256(normal.encode("utf-8")).hexdigest()[:20]
    return message_id or "raw:" + hashlib.sha256(raw).hexdigest()[:20]


def parse_email(raw: bytes) -> ParsedEmail:
    """Parse a raw message; malformed mail yields a best-effort result, never an exception."""
    try:
        return _parse(raw)
    except Exception:  # noqa: BLE001 - last resort: keep the text, lose the structure
        key = "raw:" + hashlib.sha256(raw).hexdigest()[:20]
        return ParsedEmail("", "", "", "", "", "", "", (), key, (), decode_bytes(raw), ())


def _parse(raw: bytes) -> ParsedEmail:
    if why := oversized(raw):
        key = "raw:" + hashlib.sha256(raw).hexdigest()[:20]
        return ParsedEmail("", "", "", "", "", "", "", (), key, (), "", (), rejected=why)
    try:
        msg = message_from_bytes(raw, policy=policy.default)
    except Exception:  # noqa: BLE001 - the stdlib parser rarely fails; keep the raw text then
        msg = EmailMessage()
        msg.set_content(decode_bytes(raw))
    message_id = next(iter(_ids(_header(msg, "Message-ID"))), "")
    subject = _header(msg, "Subject")
    in_reply_to = next(iter(_ids(_header(msg, "In-Reply-To"))), "")
    ref_values = []
    for key, value in msg.raw_items():
        if key.lower() == "references":
            ref_values.append(str(value))
    references = _ids(" ".join(ref_values))
    notes: list[str] = []
    try:
        body, attachments = body_and_attachments(msg, notes)
    except Exception:  # noqa: BLE001 - a broken MIME tree still leaves headers worth keeping
        body, attachments = decode_bytes(re.split(rb"\r?\n\r?\n", raw, maxsplit=1)[-1]), ()
        notes.append("charset_fallback")
    raw_from = _raw_header(msg, "From")
    header_defect, candidates = sender_check(msg, raw_from)
    return ParsedEmail(
        message_id=message_id,
        subject=subject,
        sender=_sender(raw_from),
        to=_header(msg, "To"),
        cc=_header(msg, "Cc"),
        date=_date(_header(msg, "Date")),
        in_reply_to=in_reply_to,
        references=references,
        thread_key=_thread_key(references, in_reply_to, subject, message_id, raw),
        labels=_labels(_header(msg, "X-Gmail-Labels")),
        body_text=body,
        attachments=attachments,
        defects=defects_of(msg) + (("CharsetFallback",) if "charset_fallback" in notes else ()),
        charset_fallback="charset_fallback" in notes,
        header_defect=header_defect,
        sender_candidates=candidates,
    )
