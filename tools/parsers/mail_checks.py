"""What is wrong with a message, found before and after the stdlib parses it: size caps and defects."""

from __future__ import annotations

import re
from email.message import Message

MAX_HEADER_BYTES = 256 * 1024
MAX_HEADER_LINE = 64 * 1024
MAX_HEADERS = 1000
_HEADER_END = re.compile(rb"\r?\n\r?\n")
_FIELD = re.compile(rb"^[\x21-\x39\x3b-\x7e]+:", re.M)
_FOLD = re.compile(rb"\r?\n[ \t]")
_ADDRESS = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)


def oversized(raw: bytes) -> str:
    """Return why the header block is too big to parse ("too large: ..."), or "" when it is fine.

    Checked on the raw bytes, before the parser sees them, so a hostile header costs a scan.
    """
    end = _HEADER_END.search(raw, 0, MAX_HEADER_BYTES + 4)
    block = raw[: end.start()] if end else raw[: MAX_HEADER_BYTES + 1]
    if end is None and len(raw) > MAX_HEADER_BYTES:
        return f"too large: message header block exceeds {MAX_HEADER_BYTES} bytes"
    count = len(_FIELD.findall(block))
    if count > MAX_HEADERS:
        return f"too large: message has {count} header fields (limit {MAX_HEADERS})"
    longest = max((len(line) for line in _FOLD.sub(b" ", block).splitlines()), default=0)
    if longest > MAX_HEADER_LINE:
        return f"too large: a message header is {longest} bytes long (limit {MAX_HEADER_LINE})"
    return ""


def defects_of(msg: Message) -> tuple[str, ...]:
    """Return the parser's defect names for the message and all its parts, sorted and unique."""
    found = set()
    try:
        for part in msg.walk():
            found.update(type(defect).__name__ for defect in getattr(part, "defects", ()))
    except Exception:  # noqa: BLE001 - a tree too broken to walk is itself the defect
        found.add("UnwalkableMessage")
    return tuple(sorted(found))


def sender_check(msg: Message, raw_from: str) -> tuple[bool, tuple[str, ...]]:
    """Return (header_defect, every address written in From).

    `alice@example.org <evil@attacker.tld>` parses as one address with a defect: both
    candidates are kept, and the header is flagged so nothing trusts it for routing.
    """
    candidates = tuple(dict.fromkeys(a.lower() for a in _ADDRESS.findall(raw_from)))
    try:
        header = msg["From"]
        parse_defects = bool(getattr(header, "defects", ())) if header is not None else False
    except Exception:  # noqa: BLE001 - an unparseable From is a defect too
        parse_defects = True
    return parse_defects or len(candidates) > 1, candidates
