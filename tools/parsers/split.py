"""Cut long text into bounded sections on paragraph boundaries, dropping nothing."""

from __future__ import annotations

import re
from collections.abc import Iterable

from tools.parsers.types import Section

MAX_CHARS = 2500
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\f\v]*\n\s*")


def _pieces(text: str, max_chars: int) -> list[str]:
    """Cut `text` into pieces of at most `max_chars` whose concatenation is `text`."""
    if len(text) <= max_chars:
        return [text]
    for pattern in (r"(?<=\n)", r"(?<=[.!?;:])(?=\s)", r"(?<=\s)(?=\S)"):
        parts = [p for p in re.split(pattern, text) if p]
        if len(parts) > 1:
            return [piece for part in parts for piece in _pieces(part, max_chars)]
    return [text[i:i + max_chars] for i in range(0, len(text), max_chars)]


def split_text(text: str, max_chars: int = MAX_CHARS) -> list[str]:
    """Split text into chunks of at most `max_chars`, preferring paragraph, then line breaks."""
    paragraphs = [m for m in re.split(r"(?<=\n)(?=[ \t\f\v]*\n)", text) if m]
    chunks, current = [], ""
    for paragraph in paragraphs:
        for piece in _pieces(paragraph, max_chars):
            if current and len(current) + len(piece) > max_chars:
                chunks.append(current)
                current = ""
            current += piece
    if current:
        chunks.append(current)
    return [c.strip() for c in chunks if c.strip()]


def pack_units(units: Iterable[tuple[int, str]],
               max_chars: int = MAX_CHARS) -> list[tuple[int, int, str]]:
    """Group numbered text units into (first, last, text) chunks of bounded size."""
    groups: list[tuple[int, int, str]] = []
    first = last = 0
    parts: list[str] = []
    size = 0
    for number, text in units:
        for piece in split_text(text, max_chars):
            if parts and size + len(piece) + 2 > max_chars:
                groups.append((first, last, "\n\n".join(parts)))
                parts, size = [], 0
            if not parts:
                first = number
            parts.append(piece)
            last = number
            size += len(piece) + 2
    if parts:
        groups.append((first, last, "\n\n".join(parts)))
    return groups


def numbered_sections(units: Iterable[tuple[int, str]], noun: str, key: str,
                      kind: str = "text") -> list[Section]:
    """Pack numbered units into sections titled "<Noun>s a-b" with locator "<key>=a-b"."""
    groups = pack_units(units)
    spans = [(a, b) for a, b, _ in groups]
    sections, seen = [], {}
    for a, b, chunk in groups:
        span = f"{a}" if a == b else f"{a}-{b}"
        title = f"{noun} {span}" if a == b else f"{noun}s {span}"
        locator = f"{key}={span}"
        if spans.count((a, b)) > 1:  # one long unit cut in parts: keep locators unique
            seen[(a, b)] = seen.get((a, b), 0) + 1
            title, locator = f"{title} (part {seen[(a, b)]})", f"{locator};part={seen[(a, b)]}"
        sections.append(Section(title=title, text=chunk, locator=locator, kind=kind))
    return sections


def paragraph_sections(text: str, kind: str = "text") -> list[Section]:
    """Split plain text into "Paragraphs a-b" sections numbered by non-empty paragraph."""
    paragraphs = [p.strip() for p in _PARAGRAPH_BREAK.split(text)]
    units = enumerate((p for p in paragraphs if p), start=1)
    return numbered_sections(units, "Paragraph", "paragraphs", kind)


def titled_sections(text: str, title: str, locator: str, kind: str = "text") -> list[Section]:
    """Return one section for `text`, or numbered parts of it when it is long."""
    chunks = split_text(text)
    if len(chunks) == 1:
        return [Section(title=title, text=chunks[0], locator=locator, kind=kind)]
    return [
        Section(title=f"{title} (part {i}/{len(chunks)})", text=chunk,
                locator=f"{locator};part={i}", kind=kind)
        for i, chunk in enumerate(chunks, start=1)
    ]
