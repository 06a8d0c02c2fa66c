"""Gmail label ids and resources from the label names found in an export."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tools.sources.stable_id import stable_id

SYSTEM = (
    "INBOX",
    "SENT",
    "DRAFT",
    "IMPORTANT",
    "STARRED",
    "UNREAD",
    "SPAM",
    "TRASH",
    "CHAT",
    "CATEGORY_PERSONAL",
    "CATEGORY_SOCIAL",
    "CATEGORY_PROMOTIONS",
    "CATEGORY_UPDATES",
    "CATEGORY_FORUMS",
)
_ALIASES = {"drafts": "DRAFT", "category primary": "CATEGORY_PERSONAL"}
# Takeout markers that describe state, not labels.
_IGNORED = {"opened", "archived"}


def label_id(name: str) -> str | None:
    """Return the Gmail label id for an exported label name (None for state markers)."""
    folded = " ".join(name.replace("_", " ").split()).casefold()
    if folded in _IGNORED or not folded:
        return None
    if folded in _ALIASES:
        return _ALIASES[folded]
    system = folded.replace(" ", "_").upper()
    if system in SYSTEM:
        return system
    return f"Label_{stable_id('label:' + folded, 10)}"


def label_ids(names: Iterable[str]) -> tuple[tuple[str, ...], dict[str, str]]:
    """Return the sorted ids for `names` (INBOX when there are none) and id -> name for user labels."""
    ids, user = set(), {}
    for name in names:
        found = label_id(name)
        if found:
            ids.add(found)
            if found.startswith("Label_"):
                user[found] = name.strip()
    return tuple(sorted(ids or {"INBOX"})), user


def label_resource(label: str, name: str, counts: dict[str, Any] | None) -> dict[str, Any]:
    """Return a Gmail API Label resource; `counts` adds message and thread totals."""
    resource: dict[str, Any] = {
        "id": label,
        "name": name,
        "type": "user" if label.startswith("Label_") else "system",
        "messageListVisibility": "show",
        "labelListVisibility": "labelShow",
    }
    if counts is not None:
        resource.update(counts)
    return resource
