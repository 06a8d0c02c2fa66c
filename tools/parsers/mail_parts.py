"""Walk a message's MIME tree for its body text and its attachments."""

from __future__ import annotations

import mimetypes
import re
from dataclasses import dataclass
from email.message import EmailMessage, Message

from tools.parsers.encoding import decode_bytes
from tools.parsers.markup import html_to_text


@dataclass(frozen=True)
class MailAttachment:
    """A file carried by a message; `name` never holds a path separator."""

    name: str
    content_type: str
    data: bytes


def _text_of(part: Message, notes: list[str]) -> str:
    try:
        text = part.get_content() if isinstance(part, EmailMessage) else str(part.get_payload())
    except Exception:  # noqa: BLE001 - unknown charsets and bad encodings fall back to detection
        text = None
    if text is not None and "\ufffd" not in text:
        return text
    data = part.get_payload(decode=True) or b""
    data = data if isinstance(data, bytes) else str(data).encode()
    if text is not None and "\ufffd".encode() in data:
        return text  # the replacement character was really there
    # The declared charset was unknown, or wrong for these bytes: detect it instead.
    notes.append("charset_fallback")
    return decode_bytes(data)


def _is_attachment(part: Message) -> bool:
    try:
        if part.get_content_disposition() == "attachment" or part.get_filename():
            return True
    except Exception:  # noqa: BLE001
        return True
    return part.get_content_maintype() not in ("text", "multipart")


def _leaves(msg: Message):
    """Yield non-multipart parts; attached messages are leaves, not walked into."""
    if msg.get_content_type() == "message/rfc822" or not msg.is_multipart():
        yield msg
        return
    payload = msg.get_payload()
    for part in payload if isinstance(payload, list) else ():
        yield from _leaves(part)


def _safe_name(part: Message, index: int, taken: set[str]) -> str:
    try:
        raw = part.get_filename() or ""
    except Exception:  # noqa: BLE001
        raw = ""
    name = re.split(r"[\\/]", raw)[-1]
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip(" .")[:200]
    if not name:
        ext = mimetypes.guess_extension(part.get_content_type()) or ".bin"
        name = f"attachment-{index}{ext}"
    stem, dot, ext = name.rpartition(".") if "." in name else (name, "", "")
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{stem}-{n}{dot}{ext}"
    taken.add(candidate)
    return candidate


def _attachment_bytes(part: Message) -> bytes:
    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload()
        inner = inner[0] if isinstance(inner, list) and inner else inner
        try:
            return inner.as_bytes() if isinstance(inner, Message) else str(inner).encode()
        except Exception:  # noqa: BLE001
            return str(inner).encode("utf-8", "replace")
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else b""


def body_and_attachments(msg: Message, notes: list[str] | None = None) -> tuple[str, tuple[MailAttachment, ...]]:
    """Return the body (text/plain preferred, else HTML as text) and the attachments.

    "charset_fallback" is appended to `notes` when a text part had to be decoded by detection.
    """
    notes = [] if notes is None else notes
    plain, html, attachments, taken = [], [], [], set()
    for part in _leaves(msg):
        if _is_attachment(part):
            index = len(attachments) + 1
            attachments.append(
                MailAttachment(
                    name=_safe_name(part, index, taken),
                    content_type=part.get_content_type(),
                    data=_attachment_bytes(part),
                )
            )
        elif part.get_content_subtype() == "html":
            html.append(_text_of(part, notes))
        else:
            plain.append(_text_of(part, notes))
    if any(p.strip() for p in plain):
        body = "\n\n".join(p.strip() for p in plain if p.strip())
    else:
        body = "\n\n".join(html_to_text(h) for h in html if h.strip())
    return body.replace("\r\n", "\n"), tuple(attachments)
