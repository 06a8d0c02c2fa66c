"""The shared forum on SQLite: scrubbed posts, support counts, a k-client gate, filtered full-text search."""

from __future__ import annotations

from typing import Iterable

from kb.bm25 import bm25_scores
from kb.models import ForumDraft, ForumPost, forum_client_hash
from kb.query import fts_query, query_terms, words
from kb.scrub import scrub_drafts
from kb.sqlite_db import Database
from kb.sqlite_rows import to_post

_UPSERT = """
INSERT INTO forum_entries (id, source_type, phase, file_type, title, body, kind, rule, origin_hash)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (origin_hash) DO UPDATE SET support_count = support_count + 1
"""
_INSERT_NEW = _UPSERT.replace("DO UPDATE SET support_count = support_count + 1", "DO NOTHING")
_SIGHTING = "INSERT INTO forum_sightings (origin_hash, client_hash) VALUES (?, ?) ON CONFLICT DO NOTHING"
# Shown when k distinct clients saw the pattern, or when the asking client is one of them.
_GATE = (" AND ((SELECT COUNT(*) FROM forum_sightings s WHERE s.origin_hash = f.origin_hash) >= ?"
         " OR EXISTS (SELECT 1 FROM forum_sightings s WHERE s.origin_hash = f.origin_hash AND s.client_hash = ?))")
_BY_SUPPORT = "SELECT f.* FROM forum_entries f WHERE 1 = 1{where} ORDER BY f.support_count DESC, f.pk LIMIT ?"
# A worded search ranks at most this many matching posts, the newest first (as the Convex
# backend's search takes at most 1,024 candidates): its cost stays bounded however large the
# shared forum grows, at the price of not ranking older matches beyond the window.
MAX_CANDIDATES = 1_024
_TITLE_WEIGHT, _BODY_WEIGHT = 2.0, 1.0
_CANDIDATES = """
SELECT f.pk, f.title, f.body
FROM forum_entries_fts JOIN forum_entries f ON f.pk = forum_entries_fts.rowid
WHERE forum_entries_fts MATCH ?{where}
ORDER BY forum_entries_fts.rowid DESC LIMIT ?
"""
def post_forum(db: Database, drafts: Iterable[ForumDraft], names: Iterable[str] = (),
               client_id: str | None = None) -> list[ForumPost]:
    """Scrub and write posts in one transaction; a repeated pattern raises its support count.

    With `client_id`, the pattern is recorded as seen by that client (as a hash), which is
    what the k-client gate of `search_forum` counts, and the support count rises only on
    that client's first sighting (support counts clients); without it, every post raises it.
    Returns one stored post per written draft, in order; drafts that scrub to nothing are dropped.
    """
    rows = [(origin[:32], d.source_type, d.phase, d.file_type, d.title, d.body, d.kind, d.rule, origin)
            for d, origin in scrub_drafts(drafts, names)]
    if not rows:
        return []
    origins = sorted({row[-1] for row in rows})
    with db.write() as conn:
        if client_id:
            seen_by = forum_client_hash(client_id)
            for row in rows:
                first_sighting = conn.execute(_SIGHTING, (row[-1], seen_by)).rowcount > 0
                conn.execute(_UPSERT if first_sighting else _INSERT_NEW, row)
        else:
            conn.executemany(_UPSERT, rows)
        stored = conn.execute(
            f"SELECT * FROM forum_entries WHERE origin_hash IN ({', '.join('?' * len(origins))})",
            origins,
        ).fetchall()
    by_origin = {r["origin_hash"]: to_post(r) for r in stored}
    return [by_origin[row[-1]] for row in rows]


def search_forum(
    db: Database,
    query: str = "",
    source_type: str | None = None,
    phase: str | None = None,
    file_type: str | None = None,
    limit: int = 10,
    min_clients: int = 1,
    client_id: str | None = None,
) -> list[ForumPost]:
    """Return posts matching every given filter, best BM25 match first, or most supported first.

    With `min_clients` above 1, a post is returned only once that many distinct clients saw
    it, or when `client_id` is one of them (a client always sees its own patterns).
    """
    filters = {"source_type": source_type, "phase": phase, "file_type": file_type}
    used = {column: value for column, value in filters.items() if value}
    where = "".join(f" AND f.{column} = ?" for column in used)
    values: list = list(used.values())
    if min_clients > 1:
        where += _GATE
        values += [int(min_clients), forum_client_hash(client_id) if client_id else ""]
    match = fts_query(query or "")
    with db.read() as conn:
        if match is None:
            return [to_post(r) for r in conn.execute(_BY_SUPPORT.format(where=where), [*values, limit])]
        return _ranked(conn, query, match, where, values, limit)


def _ranked(conn, query: str, match: str, where: str, values: list, limit: int) -> list[ForumPost]:
    """BM25 over the newest matching posts (the candidates), best first, then most supported.

    Term counts come from the candidates' own words (a term counts the words it begins, so
    plurals and other endings of a word count too), never from the whole forum's index.
    """
    rows = conn.execute(_CANDIDATES.format(where=where), [match, *values, MAX_CANDIDATES]).fetchall()
    if not rows:
        return []
    texts = {r["pk"]: (words(r["title"]), words(r["body"])) for r in rows}
    sizes = {pk: len(title) + len(body) for pk, (title, body) in texts.items()}
    hits = []
    for term in query_terms(query):
        counts = {}
        for pk, (title, body) in texts.items():
            n = (_TITLE_WEIGHT * sum(w.startswith(term) for w in title)
                 + _BODY_WEIGHT * sum(w.startswith(term) for w in body))
            if n:
                counts[pk] = n
        hits.append(counts)
    scores = bm25_scores(sizes, hits, len(sizes))
    marks = ", ".join("?" * len(sizes))
    posts = {r["pk"]: r for r in conn.execute(f"SELECT * FROM forum_entries WHERE pk IN ({marks})", list(sizes))}
    best = sorted(posts, key=lambda pk: (-scores[pk], -posts[pk]["support_count"], pk))[:limit]
    return [to_post(posts[pk]) for pk in best]


def forget_client(conn, client_id: str, min_clients: int) -> int:
    """Drop a client's sightings and the posts it contributed that fall below `min_clients`.

    Runs inside the caller's write transaction; returns how many posts were removed.
    """
    seen_by = forum_client_hash(client_id)
    origins = [r[0] for r in conn.execute("SELECT origin_hash FROM forum_sightings WHERE client_hash = ?",
                                          (seen_by,))]
    conn.execute("DELETE FROM forum_sightings WHERE client_hash = ?", (seen_by,))
    removed = 0
    for origin in origins:
        left = conn.execute("SELECT COUNT(*) FROM forum_sightings WHERE origin_hash = ?", (origin,)).fetchone()[0]
        if left < min_clients:
            conn.execute("DELETE FROM forum_sightings WHERE origin_hash = ?", (origin,))
            removed += conn.execute("DELETE FROM forum_entries WHERE origin_hash = ?", (origin,)).rowcount
    return removed
