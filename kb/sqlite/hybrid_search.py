"""Hybrid entry search on SQLite: BM25 (FTS5) and nearest vectors (sqlite-vec), fused by reciprocal rank.

Both rankings are scoped the same way: by client (the FTS scope token, the vec0 partition
key) and, given a DOMAIN[/SKILL[/GROUP]] path, by the nodes it names. Each ranks rowids only;
hits (tree path, snippet) are built for the fused top `limit` alone.
"""

from __future__ import annotations

import sqlite3
from typing import Sequence

from kb.models import SearchHit
from kb.search.embed import Embedder
from kb.search.hybrid import DEPTH, FUSION_K, MIN_SIMILARITY, WEIGHTS
from kb.search.query import query_terms
from kb.search.rrf import reciprocal_rank_fusion
from kb.sqlite.rows import to_entry
from kb.sqlite.search import lexical_hit, path_parts, rank_entries, resolve_scope
from kb.sqlite.vectors import VectorIndex

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


def dense_hit(conn: sqlite3.Connection, client_id: str, pk: int, score: float) -> SearchHit | None:
    """The hit of one entry found by its vector (snippet: the text's opening); None if it is gone."""
    row = conn.execute(_ROW, (pk, client_id)).fetchone()
    if row is None:  # a vector whose entry was deleted by another process
        return None
    return SearchHit(
        entry=to_entry(row),
        path=(row["domain_name"], row["skill_name"], row["group_name"]),
        snippet=_snippet(row["content"]),
        score=score,
    )


def rank_vectors(
    conn: sqlite3.Connection,
    vectors: VectorIndex,
    embedder: Embedder,
    client_id: str,
    query: str,
    under: Sequence[str] | str,
    limit: int,
) -> list[tuple[int, float]]:
    """Return (rowid, cosine similarity) of the client's entries nearest to the question, related ones only."""
    parts = path_parts(under)
    if not query_terms(query or "") or limit <= 0:
        return []
    ids: list[str] = []
    if parts:
        ids = resolve_scope(conn, client_id, parts)
        if not ids:
            return []
    vector = embedder.embed([query])[0]
    found = [(pk, 1.0 - distance) for pk, distance in vectors.nearest(client_id, vector, limit, len(parts), ids)]
    return [(pk, similarity) for pk, similarity in found if similarity >= MIN_SIMILARITY]


def vector_hits(
    conn: sqlite3.Connection,
    vectors: VectorIndex,
    embedder: Embedder,
    client_id: str,
    query: str,
    under: Sequence[str] | str,
    limit: int,
) -> list[SearchHit]:
    """Return the client's entries nearest to the question's embedding, within `under` if given."""
    ranked = rank_vectors(conn, vectors, embedder, client_id, query, under, limit)
    return [hit for pk, score in ranked if (hit := dense_hit(conn, client_id, pk, score)) is not None]


def hybrid_search(
    conn: sqlite3.Connection,
    vectors: VectorIndex | None,
    embedder: Embedder | None,
    client_id: str,
    query: str,
    under: Sequence[str] | str,
    limit: int,
) -> list[SearchHit]:
    """Fuse the BM25 and vector rankings by reciprocal rank; BM25 alone when vectors are off."""
    if limit <= 0:
        return []
    if vectors is None or embedder is None:
        lexical, match = rank_entries(conn, client_id, query, under, limit)
        return [hit for pk, score in lexical if (hit := lexical_hit(conn, match, pk, score)) is not None]
    depth = max(limit, DEPTH)
    lexical, match = rank_entries(conn, client_id, query, under, depth)
    dense = rank_vectors(conn, vectors, embedder, client_id, query, under, depth)
    in_lexical = {pk for pk, _ in lexical}
    fused = reciprocal_rank_fusion([[pk for pk, _ in lexical], [pk for pk, _ in dense]], k=FUSION_K, weights=WEIGHTS)
    hits = []
    for pk, score in fused:
        # BM25's hits carry snippets marking the query words; the others open their text.
        hit = lexical_hit(conn, match, pk, score) if pk in in_lexical else dense_hit(conn, client_id, pk, score)
        if hit is not None:
            hits.append(hit)
        if len(hits) == limit:
            break
    return hits
