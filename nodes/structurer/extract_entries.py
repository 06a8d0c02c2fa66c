"""Structurer node: turn each item's parsed sections into entry texts, splitting long ones."""

from __future__ import annotations

from langgraph.runtime import Runtime

from nodes.context import Context, context_of
from nodes.state import StructurerState


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


def extract_entries(state: StructurerState, runtime: Runtime[Context]) -> dict:
    """Attach to each parsed item the list of entries its sections become."""
    ctx = context_of(runtime)
    out = []
    for p in state["parsed"]:
        entries = []
        if p["ok"]:
            for section in p["sections"]:
                chunks = split_text(section["text"], ctx.entry_chars)
                for n, chunk in enumerate(chunks, 1):
                    title = section["title"] if len(chunks) == 1 else f"{section['title']} (part {n}/{len(chunks)})"
                    locator = section["locator"] if len(chunks) == 1 else f"{section['locator']};part={n}"
                    entries.append({"title": title, "content": chunk, "locator": locator})
        out.append({**p, "entries": entries})
    return {"parsed": out}
