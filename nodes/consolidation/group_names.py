"""Readable entry-group names: subjects without reply prefixes, file names without clutter, never "(no subject)"."""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import unquote

_PREFIX = re.compile(r"^\s*((re|fw|fwd|aw|tr|wg|sv|antw)\s*(\[\d+\])?\s*:\s*|\[fwd:\s*)+", re.I)
_SUFFIX = re.compile(r"\s*(\((fwd|fw)\)|\])\s*$", re.I)
_GENERIC = re.compile(
    r"^(\(no subject\)|no subject|untitled|attachment(-\d+)?|image\d*|document\d*|noname|"
    r"att\d+|file|test|subject|fw|re|fwd)$",
    re.I,
)
MAX_NAME = 90


def clean_name(name: str) -> str:
    """A subject or file stem as a reader would name it; "" when nothing readable is left."""
    text = " ".join(str(name or "").split())
    for _ in range(3):
        text = _SUFFIX.sub("", _PREFIX.sub("", text)).strip()
    text = text.strip(" -_:;.,*\"'")
    if url := re.fullmatch(r"(?:https?://|www\.)\S+", text, re.I):  # a link sent as the subject
        place = re.sub(r"^(https?://)?(www\.)?", "", url.group(), flags=re.I).rstrip("/")
        text = "Link: " + unquote(place).replace("_", " ")
    if re.fullmatch(r"[\w\-]+\.[A-Za-z0-9]{2,4}", text):  # a bare file name: drop the extension
        text = text.rsplit(".", 1)[0]
    if "_" in text and " " not in text:
        text = text.replace("_", " ")
    if not re.search(r"[^\W\d_]", text) or _GENERIC.match(text):
        return ""
    if len(text) > MAX_NAME:
        text = text[:MAX_NAME].rsplit(" ", 1)[0] + " ..."
    return text


# "Frank,", "Vince, Shirley,", "Hi all", "Dear Mr. Smith:"
_SALUTATION = re.compile(
    r"^((hi|hello|hey|dear|greetings|good (morning|afternoon|evening))\b.{0,40}|[^.?!:]{1,30},)$", re.I
)


# A courtesy that opens a line before what it says: "Thanks. I shall join ..." -> "I shall join ..."
_COURTESY = re.compile(r"^(thanks|thank you|many thanks|fyi|ok|okay|hi|hello|sorry)\s*[.!,:;\-]+\s*(?=\S)", re.I)


def opening_words(text: str, limit: int = 60) -> str:
    """The first sentence-like line of real text, cut on a word boundary: header lines, greetings
    ("Frank,", "Hi all,") and lines of one or two words ("fyi", "Thanks.") are passed over when
    a longer line follows."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    real = [
        line
        for line in lines
        if line and not re.match(r"^(from|to|cc|date|sent|subject)\s*:", line, re.I) and re.search(r"[^\W\d_]{3}", line)
    ]
    real = [_COURTESY.sub("", x) or x for x in real]
    line = next((x for x in real if len(x.split()) >= 3 and not _SALUTATION.match(x)), real[0] if real else "")
    if len(line) <= limit or " " not in line:  # a link stays whole: clean_name names it
        return line
    return line[:limit].rsplit(" ", 1)[0] + " ..."


def group_name(candidates: list[str], contents: list[str], fallback: str) -> str:
    """The most common readable candidate (shortest on ties), else the opening words of the text."""
    cleaned = [c for c in (clean_name(x) for x in candidates) if c]
    if cleaned:
        counts = Counter(cleaned)
        return min(counts, key=lambda c: (-counts[c], len(c), c))
    for text in contents:
        if words := opening_words(text):
            return clean_name(words) or words
    return fallback
