"""Sorting Drive listings by an `orderBy` string."""

from __future__ import annotations

from typing import Any

from tools.sources.mime import FOLDER

_KEYS = {
    "name": lambda item: item["name"].lower(),
    "name_natural": lambda item: item["name"].lower(),
    "folder": lambda item: item["mimeType"] != FOLDER,
    "modifiedTime": lambda item: item.get("modifiedTime", ""),
    "createdTime": lambda item: item.get("modifiedTime", ""),
    "recency": lambda item: item.get("modifiedTime", ""),
    "quotaBytesUsed": lambda item: int(item.get("size", 0)),
}


def sort_items(items: list[dict[str, Any]], order_by: str | None) -> list[dict[str, Any]]:
    """Return `items` sorted by `order_by` ('folder,name', 'modifiedTime desc', ...).

    Raises ValueError naming an unknown sort key.
    """
    if not order_by or not order_by.strip():
        return list(items)
    keys = []
    for part in order_by.split(","):
        words = part.split()
        if not words or words[0] not in _KEYS or len(words) > 2 or words[1:] not in ([], ["asc"], ["desc"]):
            raise ValueError(f"unsupported orderBy {part.strip()!r}; use {', '.join(sorted(_KEYS))}")
        keys.append((_KEYS[words[0]], words[1:] == ["desc"]))
    ordered = list(items)
    for key, descending in reversed(keys):
        ordered.sort(key=key, reverse=descending)
    return ordered
