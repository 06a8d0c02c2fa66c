"""Structurer node: turn each item's parsed sections into entries: whole units, long text cut on paragraphs.

Table sections are already whole row groups (tools.parsers.tables) and are never cut: a row stays
in one entry. Long text is cut on paragraph, line or word boundaries, each part titled by its
opening words so the title says what it holds.
"""

from __future__ import annotations

from langgraph.runtime import Runtime

from nodes.context import Context, context_of
from nodes.state import StructurerState
from tools.parsers.split import lead


def split_text(text: str, limit: int) -> list[str]:
    """Split text into chunks of at most `limit` chars on paragraph, line or word boundaries; nothing is dropped."""
    text = text.strip()
    if len(text) <= limit:
        return [text] if text else []
    chunks: list[str] = []
    while len(text) > limit:
        cut = max(text.rfind("\n\n", 0, limit), text.rfind("\n", 0, limit), text.rfind(" ", 0, limit))
        if cut < limit // 3:
            cut = limit
        chunks.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        chunks.append(text)
    return chunks


def section_entries(section: dict, limit: int) -> list[dict]:
    """The entries of one section: itself, or (long text only) its parts titled by their opening words."""
    if section.get("kind") == "table":
        return [
            {
                "title": section["title"],
                "content": section["text"].strip(),
                "locator": section["locator"],
                "kind": "table",
            }
        ]
    chunks = split_text(section["text"], limit)
    if len(chunks) == 1:
        return [
            {
                "title": section["title"],
                "content": chunks[0],
                "locator": section["locator"],
                "kind": section.get("kind", "text"),
            }
        ]
    return [
        {
            "title": section["title"] if n == 1 else f"{section['title']}: {lead(chunk, 60)}",
            "content": chunk,
            "locator": f"{section['locator']};part={n}",
            "kind": section.get("kind", "text"),
        }
        for n, chunk in enumerate(chunks, 1)
    ]


def extract_entries(state: StructurerState, runtime: Runtime[Context]) -> dict:
    """Attach to each parsed item the list of entries its sections become."""
    ctx = context_of(runtime)
    out = []
    for p in state["parsed"]:
        entries = []
        if p["ok"]:
            for section in p["sections"]:
                entries.extend(section_entries(section, ctx.entry_chars))
        out.append({**p, "entries": entries})
    return {"parsed": out}
