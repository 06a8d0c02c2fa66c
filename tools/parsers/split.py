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
    return [text[i : i + max_chars] for i in range(0, len(text), max_chars)]


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


def pack_units(units: Iterable[tuple[int, str]], max_chars: int = MAX_CHARS) -> list[tuple[int, int, str]]:
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


MIN_SECTION = 300  # characters: a shorter heading section joins the next one
_HEADING_NUMBER = re.compile(
    r"^((\d+(\.\d+)*\.?)|([IVX]+\.)|(section|article|part|chapter|schedule|appendix|annex)\b)", re.I
)


def is_heading(text: str) -> bool:
    """A short single line that names what follows: numbered, ALL CAPS or Title Case, no sentence end."""
    text = text.strip()
    if "\n" in text or not (2 < len(text) <= 90) or text[-1] in ".,;!?" or not re.search(r"[A-Za-z]{3}", text):
        return False
    words = text.split()
    if len(words) > 12:
        return False
    if _HEADING_NUMBER.match(text):
        return True
    if re.search(r"\d", text):  # "Gas 2.13" is a line of data, not a heading
        return False
    letters = [w for w in words if w[:1].isalpha()]
    return bool(letters) and (text.isupper() or all(w[0].isupper() or len(w) <= 3 for w in letters))


def lead(text: str, limit: int = 70) -> str:
    """The opening words of a text, on one line, cut on a word boundary: a title saying what it holds."""
    line = " ".join(next((x for x in text.splitlines() if x.strip()), "").split())
    first = re.split(r"(?<=[.!?])\s", line, maxsplit=1)[0]
    if len(first) <= limit:
        return first
    return first[:limit].rsplit(" ", 1)[0] + " ..."


def _span(a: int, b: int) -> str:
    return f"{a}" if a == b else f"{a}-{b}"


def numbered_sections(
    units: Iterable[tuple[int, str]], noun: str, key: str, kind: str = "text", headings: frozenset[int] | None = None
) -> list[Section]:
    """Sections under their headings: each heading opens a section titled by it (parts of a long one
    are titled by the heading and their opening words); text before any heading is titled by its
    opening words. Locators are "<key>=a-b" over the numbered units."""
    runs: list[tuple[str, list[tuple[int, str]]]] = []
    for number, text in units:
        heading = (number in headings) if headings is not None else is_heading(text)
        if heading or not runs:
            runs.append((" ".join(text.split()) if heading else "", []))
        runs[-1][1].append((number, text))
    merged: list[tuple[str, str, list[tuple[int, str]]]] = []
    for heading, members in runs:
        # A heading with little under it shares a section with the next: no entry of a few words.
        if merged and sum(len(t) for _, t in merged[-1][2]) < MIN_SECTION:
            first, last, held = merged[-1]
            merged[-1] = (first or heading, heading or last, held + members)
        else:
            merged.append((heading, heading, members))
    sections: list[Section] = []
    used: dict[str, int] = {}
    for first, last, members in merged:
        heading = first if first == last or not last else f"{first} to {last}"
        groups = pack_units(members)
        for n, (a, b, chunk) in enumerate(groups):
            body = chunk
            if heading and n == 0:
                title = heading[:120]
            elif heading:
                title = f"{heading[:80]}: {lead(body, 60)}"
            else:
                title = lead(body) or f"{noun}s {_span(a, b)}"
            locator = f"{key}={_span(a, b)}"
            used[locator] = used.get(locator, 0) + 1
            if used[locator] > 1:  # one long unit cut in parts: keep locators unique
                locator = f"{locator};part={used[locator]}"
            sections.append(Section(title=title, text=chunk, locator=locator, kind=kind))
    return sections


def paragraph_sections(text: str, kind: str = "text") -> list[Section]:
    """Split plain text into sections under its headings, numbered by non-empty paragraph."""
    paragraphs = [p.strip() for p in _PARAGRAPH_BREAK.split(text)]
    units = enumerate((p for p in paragraphs if p), start=1)
    return numbered_sections(units, "Paragraph", "paragraphs", kind)


def titled_sections(text: str, title: str, locator: str, kind: str = "text", describe: bool = False) -> list[Section]:
    """Return one section for `text`, or parts of it titled by their opening words when it is long.

    With `describe`, a bare label ("Page 3") is followed by the text's opening words.
    """
    chunks = split_text(text)
    if len(chunks) == 1:
        if describe:
            title = f"{title}: {lead(chunks[0].strip().splitlines()[0], 60)}"
        return [Section(title=title, text=chunks[0], locator=locator, kind=kind)]
    return [
        Section(title=f"{title}: {lead(chunk, 60)}", text=chunk, locator=f"{locator};part={i}", kind=kind)
        for i, chunk in enumerate(chunks, start=1)
    ]
