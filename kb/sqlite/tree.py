"""The three-level tree on SQLite: create-or-reuse nodes by stable id, prune emptied branches."""

from __future__ import annotations

import sqlite3
from typing import Iterable, Sequence

from kb.models import LEVELS, Level, LevelError, TreeNode, node_id
from kb.slug import slugify
from kb.sqlite.rows import to_node

# A known node keeps its name; a missing description is filled in, an existing one is kept.
_UPSERT = """
INSERT INTO knowledge_tree (id, client_id, parent_id, level, name, slug, description)
VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (client_id, parent_id, slug) DO UPDATE SET description = excluded.description
WHERE knowledge_tree.description = '' AND excluded.description <> ''
"""
_IN_USE = {
    "entry_group": "SELECT 1 FROM knowledge_entries WHERE client_id = ? AND tree_node_id = ? LIMIT 1",
    "skill": "SELECT 1 FROM knowledge_tree WHERE client_id = ? AND parent_id = ? LIMIT 1",
    "domain": "SELECT 1 FROM knowledge_tree WHERE client_id = ? AND parent_id = ? LIMIT 1",
}


def ensure_node(
    conn: sqlite3.Connection,
    client_id: str,
    parent_id: str | None,
    level: Level,
    name: str,
    description: str = "",
) -> TreeNode:
    """Create or reuse the node `name` under `parent_id`; call inside a write transaction.

    The schema's triggers reject a parent that is not the level above (LevelError).
    """
    if level not in LEVELS:
        raise LevelError(f"unknown level {level!r}; levels are {LEVELS}")
    if level == "domain" and parent_id:
        raise LevelError("a domain has no parent")
    name = " ".join(str(name).split())
    slug = slugify(name)
    if not slug:
        raise LevelError(f"a {level} needs a name with letters or digits, got {name!r}")
    parent = parent_id or ""
    conn.execute(_UPSERT, (node_id(client_id, parent_id, slug), client_id, parent, level, name, slug, description))
    row = conn.execute(
        "SELECT * FROM knowledge_tree WHERE client_id = ? AND parent_id = ? AND slug = ?",
        (client_id, parent, slug),
    ).fetchone()
    if row["level"] != level:
        raise LevelError(f"{name!r} exists as a {row['level']}, not a {level}")
    return to_node(row)


def ensure_path(
    conn: sqlite3.Connection, client_id: str, names: Sequence[str], group_description: str = ""
) -> tuple[TreeNode, TreeNode, TreeNode]:
    """Create or reuse domain -> skill -> entry_group for three names."""
    if len(names) != len(LEVELS):
        raise LevelError(f"a path has exactly three names (domain, skill, group), got {list(names)}")
    domain = ensure_node(conn, client_id, None, "domain", names[0])
    skill = ensure_node(conn, client_id, domain.id, "skill", names[1])
    group = ensure_node(conn, client_id, skill.id, "entry_group", names[2], group_description)
    return domain, skill, group


def prune(conn: sqlite3.Connection, client_id: str, group_ids: Iterable[str]) -> int:
    """Delete the given entry groups if they hold no entries, then skills and domains left empty.

    Only the branches above `group_ids` are looked at; returns how many nodes were deleted.
    """
    deleted, node_ids = 0, set(group_ids)
    for level in reversed(LEVELS):
        parents: set[str] = set()
        for nid in sorted(node_ids):
            if conn.execute(_IN_USE[level], (client_id, nid)).fetchone():
                continue
            row = conn.execute(
                "DELETE FROM knowledge_tree WHERE client_id = ? AND id = ? AND level = ? RETURNING parent_id",
                (client_id, nid, level),
            ).fetchone()
            if row is not None:
                deleted += 1
                if row[0]:
                    parents.add(row[0])
        node_ids = parents
    return deleted
