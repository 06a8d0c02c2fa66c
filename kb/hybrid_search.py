"""Hybrid entry search on SQLite: BM25 (FTS5) and nearest vectors (sqlite-vec), fused by reciprocal rank.

Both rankings are scoped the same way: by client (the FTS scope token, the vec0 partition
key) and, given a DOMAIN[/SKILL[/GROUP]] path, by the nodes it names. Each contributes its
best DEPTH entries; the fused order keeps entries that both find, then strong single finds.
"""

from __future__ import annotations

import sqlite3
from typing import Sequence

from kb.embed import Embedder
from kb.hybrid import DEPTH, MIN_SIMILARITY, fuse_hits
from kb.models import SearchHit
from kb.query import query_terms
from kb.sqlite_rows import to_entry
from kb.sqlite_search import path_parts, resolve_scope, search_entries
from kb.sqlite_vectors import VectorIndex

_SNIPPET_CHARS = 200
_ROW = """
SELECT e.*, d.name AS domain_name, s.name AS skill_name, g.name AS group_name
FROM knowledge_entries e
JOIN knowledge_tree d ON d.id = e.domain_id
JOIN knowledge_tree s ON s.id = e.skill_id
JOIN knowledge_tree g ON g.id = e.tree_node_id
WHERE e.pk = ? AND e.client_id = ?
"""


def _snippet(content: str) -> str:
    text = " ".join(content.split())
    return text if len(text) <= _SNIPPET_CHARS else text[:_SNIPPET_CHARS].rsplit(" ", 1)[0] + "…"


def vector_hits(conn: sqlite3.Connection, vectors: VectorIndex, embedder: Embedder, client_id: str,
                query: str, under: Sequence[str] | str, limit: int) -> list[SearchHit]:
    """Return the client's entries nearest to the query's embedding, within `under` if given."""
    parts = path_parts(under)
    if not query_terms(query or "") or limit <= 0:
        return []
    ids: list[str] = []
    if parts:
        ids = resolve_scope(conn, client_id, parts)
        if not ids:
            return []
    vector = embedder.embed([query])[0]
    out = []
    for pk, distance in vectors.nearest(client_id, vector, limit, len(parts), ids):
        if 1.0 - distance < MIN_SIMILARITY:
            break
        row = conn.execute(_ROW, (pk, client_id)).fetchone()
        if row is not None:  # a vector whose entry is gone (deleted by another process) is skipped
            out.append(SearchHit(entry=to_entry(row), path=(row["domain_name"], row["skill_name"], row["group_name"]),
                                 snippet=_snippet(row["content"]), score=1.0 - distance))
    return out


def hybrid_search(conn: sqlite3.Connection, vectors: VectorIndex | None, embedder: Embedder | None,
                  client_id: str, query: str, under: Sequence[str] | str, limit: int) -> list[SearchHit]:
    """Fuse the BM25 and vector rankings by reciprocal rank; BM25 alone when vectors are off."""
    if limit <= 0:
        return []
    lexical = search_entries(conn, client_id, query, under, max(limit, DEPTH))
    if vectors is None or embedder is None:
        return lexical[:limit]
    dense = vector_hits(conn, vectors, embedder, client_id, query, under, max(limit, DEPTH))
    return fuse_hits(lexical, dense, limit)
