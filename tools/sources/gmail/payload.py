"""A Gmail API MessagePart tree (headers, base64url bodies, attachment ids) from raw bytes."""

from __future__ import annotations

import base64
from email import message_from_bytes
from email.header import decode_header, make_header
from email.message import Message
from typing import Any


def b64url(data: bytes) -> str:
    """Return `data` base64url-encoded, as the Gmail API writes bodies and raw messages."""
    return base64.urlsafe_b64encode(data).decode("ascii")


def headers_of(msg: Message) -> list[dict[str, str]]:
    """Return the headers as [{name, value}], encoded words decoded where possible."""
    out = []
    for name, value in msg.raw_items():
        try:
            text = str(make_header(decode_header(str(value))))
        except Exception:  # noqa: BLE001 - malformed encoded words stay as written
            text = str(value)
        out.append({"name": name, "value": " ".join(text.split())})
    return out


def build_payload(raw: bytes, message_id: str, with_bodies: bool = True) -> dict[str, Any]:
    """Return the MessagePart tree; attachment leaves get `<message_id>.<n>` ids."""
    msg = message_from_bytes(raw)
    if not with_bodies:
        return {"partId": "", "mimeType": msg.get_content_type(), "filename": "", "headers": headers_of(msg)}
    counter = [0]
    return _part(msg, "", message_id, counter)


def _part(msg: Message, part_id: str, message_id: str, counter: list[int]) -> dict[str, Any]:
    part: dict[str, Any] = {
        "partId": part_id,
        "mimeType": msg.get_content_type(),
        "filename": _filename(msg),
        "headers": headers_of(msg),
    }
    if msg.is_multipart() and msg.get_content_type() != "message/rfc822":
        children = msg.get_payload()
        prefix = f"{part_id}." if part_id else ""
        part["body"] = {"size": 0}
        part["parts"] = [
            _part(child, f"{prefix}{i}", message_id, counter)
            for i, child in enumerate(children if isinstance(children, list) else [])
        ]
        return part
    data = _decoded(msg)
    if _is_attachment(msg):
        counter[0] += 1
        part["body"] = {"size": len(data), "attachmentId": f"{message_id}.{counter[0]}"}
    else:
        part["body"] = {"size": len(data), "data": b64url(data)}
    return part


def _filename(msg: Message) -> str:
    try:
        return msg.get_filename() or ""
    except Exception:  # noqa: BLE001
        return ""


def _is_attachment(msg: Message) -> bool:
    # Same rule as tools.parsers.mail, so ids line up with its attachment order.
    try:
        if msg.get_content_disposition() == "attachment" or msg.get_filename():
            return True
    except Exception:  # noqa: BLE001
        return True
    return msg.get_content_maintype() not in ("text", "multipart")


def _decoded(msg: Message) -> bytes:
    try:
        if msg.get_content_type() == "message/rfc822":
            inner = msg.get_payload()
            inner = inner[0] if isinstance(inner, list) and inner else inner
            return inner.as_bytes() if isinstance(inner, Message) else str(inner).encode()
        data = msg.get_payload(decode=True)
    except Exception:  # noqa: BLE001 - a broken part still shows in the tree
        return b""
    return data if isinstance(data, bytes) else b""
