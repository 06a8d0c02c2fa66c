"""Markdown split at its headings: one section per heading, titled by the heading path."""

from __future__ import annotations

import re
from pathlib import Path

from tools.parsers.encoding import detect_encoding
from tools.parsers.split import paragraph_sections, titled_sections
from tools.parsers.types import Deadline, Section

_HEADING = re.compile(r"^(#{1,4})\s+(.+?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")


def heading_sections(text: str) -> list[Section]:
    """Sections per heading (text before the first heading stays with the title); no headings: paragraphs."""
    parts: list[tuple[list[str], list[str]]] = []  # (heading path, body lines)
    path: list[str] = []
    body: list[str] = []
    fenced = False
    for line in text.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
        m = None if fenced else _HEADING.match(line)
        if m:
            if body and "".join(body).strip():
                parts.append((list(path), body))
            level = len(m[1])
            path = path[: level - 1] + [""] * max(0, level - 1 - len(path)) + [m[2].strip()]
            body = []
        else:
            body.append(line)
    if body and "".join(body).strip():
        parts.append((list(path), body))
    if not any(p for p, _ in parts):
        return paragraph_sections(text)
    sections, used = [], {}
    for heads, lines in parts:
        title = " / ".join(h for h in heads if h) or "Introduction"
        key = re.sub(r"[^a-z0-9]+", "-", (heads[-1] if heads else "introduction").lower()).strip("-") or "section"
        used[key] = used.get(key, 0) + 1
        locator = f"heading={key}" + (f"-{used[key]}" if used[key] > 1 else "")
        sections += titled_sections("\n".join(lines).strip(), title, locator)
    return sections


def read_markdown(path: Path, deadline: Deadline) -> tuple[list[Section], dict]:
    """Return heading sections of a Markdown file, decoded with its detected encoding."""
    data = path.read_bytes()
    encoding = detect_encoding(data)
    text = data.decode(encoding, errors="replace").replace("\r\n", "\n").replace("\r", "\n")
    deadline.check()
    return heading_sections(text), {"encoding": encoding}
