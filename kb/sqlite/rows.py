"""Map SQLite rows of the KB tables to the kb.models dataclasses."""

from __future__ import annotations

import json
import sqlite3

from kb.models import Entry, ForumPost, SourceItem, TreeNode


def to_node(row: sqlite3.Row) -> TreeNode:
    """Return the TreeNode of a knowledge_tree row ('' parent means a domain: None)."""
    return TreeNode(
        id=row["id"],
        client_id=row["client_id"],
        parent_id=row["parent_id"] or None,
        level=row["level"],
        name=row["name"],
        slug=row["slug"],
        description=row["description"],
    )


def to_entry(row: sqlite3.Row) -> Entry:
    """Return the Entry of a knowledge_entries row."""
    fields = {name: row[name] for name in Entry.__dataclass_fields__ if name != "also_at"}
    return Entry(**fields, also_at=tuple(json.loads(row["also_at"] or "[]")))


def to_post(row: sqlite3.Row) -> ForumPost:
    """Return the ForumPost of a forum_entries row."""
    return ForumPost(**{name: row[name] for name in ForumPost.__dataclass_fields__})


def to_source_item(row: sqlite3.Row) -> SourceItem:
    """Return the SourceItem of a source_items row."""
    return SourceItem(**{name: row[name] for name in SourceItem.__dataclass_fields__})
