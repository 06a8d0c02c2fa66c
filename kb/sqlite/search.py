"""Entry search on SQLite: FTS5 scoped by scope tokens, BM25 ranked over the scope's candidates."""

from __future__ import annotations

import sqlite3
from typing import Sequence

from kb.models import LEVELS, LevelError, SearchHit
from kb.search.bm25 import bm25_scores
from kb.search.query import fts_query, query_terms
from kb.slug import slugify
from kb.sqlite.rows import to_entry

# At most this many candidates (lowest rowids first) are ranked: it bounds a search's cost
# whatever the size of the scope and of the KB.
MAX_CANDIDATES = 5_000
# Title hits weigh twice content hits, as the former bm25(fts, 2.0, 1.0) did.
_TITLE_WEIGHT, _CONTENT_WEIGHT = 2.0, 1.0
_FTS = "knowledge_entries_fts"
# The MATCH ANDs a scope token with the words, so FTS5 seeks through the scope's doclist and
# never walks every client's rows; the SQL filters then guard against a stemmed token clash.
_CANDIDATES = f"""
SELECT e.pk, length(e.title) + length(e.content) AS size
FROM {_FTS} JOIN knowledge_entries e ON e.pk = {_FTS}.rowid
WHERE {_FTS} MATCH ? AND e.client_id = ?{{scope}}
ORDER BY {_FTS}.rowid
LIMIT ?
"""
# How often one word occurs in the title and the content: highlight() marks every instance.
_TERM_HITS = f"""
SELECT rowid, length(highlight({_FTS}, 0, char(1), '')) - length(title) AS in_title,
    length(highlight({_FTS}, 1, char(1), '')) - length(content) AS in_content
FROM {_FTS} WHERE {_FTS} MATCH ? AND rowid <= ?
"""
_SCOPE_SIZE = "SELECT COUNT(*) FROM knowledge_entries e WHERE e.client_id = ?{scope} AND e.pk <= ?"
_HIT = f"""
SELECT e.*, d.name AS domain_name, s.name AS skill_name, g.name AS group_name,
    snippet({_FTS}, 1, '**', '**', '…', 24) AS snippet
FROM {_FTS}
JOIN knowledge_entries e ON e.pk = {_FTS}.rowid
JOIN knowledge_tree d ON d.id = e.domain_id
JOIN knowledge_tree s ON s.id = e.skill_id
JOIN knowledge_tree g ON g.id = e.tree_node_id
WHERE {_FTS} MATCH ? AND {_FTS}.rowid = ?
"""
# An entry carries its domain and skill ids, so each scope depth is one indexed column, and
# one scope token (schema.sql: knowledge_entries_text).
_SCOPE_COLUMN = ("e.domain_id", "e.skill_id", "e.tree_node_id")
_SCOPE_PREFIX = ("d", "s", "g")


def client_token(client_id: str) -> str:
    """Return the scope token of a client in the entry FTS (hex of its id, as the view makes it)."""
    return "c" + client_id.encode("utf-8").hex()


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
        ids = [
            r[0]
            for r in conn.execute(
                f"SELECT id FROM knowledge_tree WHERE client_id = ? AND parent_id IN ({marks}) "
                "AND (slug = ? OR name = ? COLLATE NOCASE)",
                [client_id, *ids, slugify(part), part],
            )
        ]
        if not ids:
            return []
    return ids


def _phrase(words: str, tokens: Sequence[str]) -> str:
    scope = " OR ".join(f'"{token}"' for token in tokens)
    return f"scope : ({scope}) AND {{title content}} : ({words})"


def rank_entries(
    conn: sqlite3.Connection, client_id: str, query: str, under: Sequence[str] | str, limit: int
) -> tuple[list[tuple[int, float]], str]:
    """Return the client's best (rowid, BM25 score) for `query` within `under`, and the MATCH used.

    The MATCH expression ('' when there is nothing to search) builds the hits' snippets.
    """
    parts = path_parts(under)
    words = fts_query(query or "")
    if words is None or limit <= 0:
        return [], ""
    tokens, scope, ids = [client_token(client_id)], "", []
    if parts:
        ids = resolve_scope(conn, client_id, parts)
        if not ids:
            return [], ""
        tokens = [_SCOPE_PREFIX[len(parts) - 1] + node for node in ids]
        scope = f" AND {_SCOPE_COLUMN[len(parts) - 1]} IN ({', '.join('?' * len(ids))})"
    match = _phrase(words, tokens)
    sizes = {
        r[0]: r[1] for r in conn.execute(_CANDIDATES.format(scope=scope), [match, client_id, *ids, MAX_CANDIDATES])
    }
    if not sizes:
        return [], match
    last = max(sizes)
    hits = []
    for term in query_terms(query):
        rows = conn.execute(_TERM_HITS, [_phrase(f'"{term}"', tokens), last])
        hits.append({r[0]: _TITLE_WEIGHT * r[1] + _CONTENT_WEIGHT * r[2] for r in rows})
    documents = conn.execute(_SCOPE_SIZE.format(scope=scope), [client_id, *ids, last]).fetchone()[0]
    scores = bm25_scores(sizes, hits, documents)
    return [(pk, scores[pk]) for pk in sorted(scores, key=lambda pk: (-scores[pk], pk))[:limit]], match


def lexical_hit(conn: sqlite3.Connection, match: str, pk: int, score: float) -> SearchHit | None:
    """The hit of one ranked rowid, its snippet marking the query words; None if it is gone."""
    r = conn.execute(_HIT, [match, pk]).fetchone()
    if r is None:
        return None
    return SearchHit(
        entry=to_entry(r), path=(r["domain_name"], r["skill_name"], r["group_name"]), snippet=r["snippet"], score=score
    )


def search_entries(
    conn: sqlite3.Connection, client_id: str, query: str, under: Sequence[str] | str, limit: int
) -> list[SearchHit]:
    """Return the client's best BM25 hits for `query`, within the `under` subtree if given."""
    ranked, match = rank_entries(conn, client_id, query, under, limit)
    return [hit for pk, score in ranked if (hit := lexical_hit(conn, match, pk, score)) is not None]
