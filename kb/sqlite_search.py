"""Entry search on SQLite: FTS5 BM25 ranking, scoped to a client and a named subtree."""

from __future__ import annotations

import sqlite3
from typing import Sequence

from kb.models import LEVELS, LevelError, SearchHit
from kb.query import fts_query
from kb.slug import slugify
from kb.sqlite_rows import to_entry

# bm25() is lower-is-better; SearchHit.score is higher-is-better, so it is negated.
_SEARCH = """
SELECT e.*, d.name AS domain_name, s.name AS skill_name, g.name AS group_name,
    -bm25(knowledge_entries_fts, 2.0, 1.0) AS score,
    snippet(knowledge_entries_fts, 1, '**', '**', '…', 24) AS snippet
FROM knowledge_entries_fts
JOIN knowledge_entries e ON e.pk = knowledge_entries_fts.rowid
JOIN knowledge_tree d ON d.id = e.domain_id
JOIN knowledge_tree s ON s.id = e.skill_id
JOIN knowledge_tree g ON g.id = e.tree_node_id
WHERE knowledge_entries_fts MATCH ? AND e.client_id = ?{scope}
ORDER BY score DESC, e.pk
LIMIT ?
"""
# An entry carries its domain and skill ids, so each scope depth is one indexed column.
_SCOPE_COLUMN = ("e.domain_id", "e.skill_id", "e.tree_node_id")


def path_parts(under: Sequence[str] | str) -> list[str]:
    """Split a scope given as ("Finance", "Payroll") or "Finance/Payroll" into its names."""
    raw = under.split("/") if isinstance(under, str) else list(under)
    parts = [p.strip() for p in raw if p and p.strip()]
    if len(parts) > len(LEVELS):
        raise LevelError(f"a scope has at most three names (domain/skill/group), got {parts}")
    return parts


def resolve_scope(conn: sqlite3.Connection, client_id: str, parts: Sequence[str]) -> list[str]:
    """Return the ids of the client's nodes a name path designates.

    A name matches a node's name in any case, or its slug. Several nodes can match (the same
    skill name under two matching domains), so a list comes back; [] when nothing matches.
    """
    ids = [""]
    for part in parts:
        marks = ", ".join("?" * len(ids))
        ids = [r[0] for r in conn.execute(
            f"SELECT id FROM knowledge_tree WHERE client_id = ? AND parent_id IN ({marks}) "
            "AND (slug = ? OR name = ? COLLATE NOCASE)",
            [client_id, *ids, slugify(part), part],
        )]
        if not ids:
            return []
    return ids


def search_entries(
    conn: sqlite3.Connection, client_id: str, query: str, under: Sequence[str] | str, limit: int
) -> list[SearchHit]:
    """Return the client's best BM25 hits for `query`, within the `under` subtree if given."""
    parts = path_parts(under)
    match = fts_query(query or "")
    if match is None or limit <= 0:
        return []
    scope, params = "", [match, client_id]
    if parts:
        ids = resolve_scope(conn, client_id, parts)
        if not ids:
            return []
        scope = f" AND {_SCOPE_COLUMN[len(parts) - 1]} IN ({', '.join('?' * len(ids))})"
        params += ids
    rows = conn.execute(_SEARCH.format(scope=scope), [*params, limit])
    return [
        SearchHit(
            entry=to_entry(r),
            path=(r["domain_name"], r["skill_name"], r["group_name"]),
            snippet=r["snippet"],
            score=float(r["score"]),
        )
        for r in rows
    ]
