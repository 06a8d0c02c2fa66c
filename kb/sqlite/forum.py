"""The shared forum on SQLite: scrubbed posts and rules, support counts, a k-client gate, filtered worded search."""

from __future__ import annotations

from typing import Iterable

from kb.forum.terms import COLUMNS, TOTAL, idf, index_forum, score, unindex_forum
from kb.models import ForumDraft, ForumPost, forum_client_hash
from kb.scrub import scrub_drafts
from kb.search.query import query_terms
from kb.sqlite.db import Database
from kb.sqlite.rows import to_post

_UPSERT = """
INSERT INTO forum_entries (id, source_type, phase, file_type, title, body, kind, rule, origin_hash)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (origin_hash) DO UPDATE SET support_count = support_count + 1
"""
_INSERT_NEW = _UPSERT.replace("DO UPDATE SET support_count = support_count + 1", "DO NOTHING")
_SIGHTING = "INSERT INTO forum_sightings (origin_hash, client_hash) VALUES (?, ?) ON CONFLICT DO NOTHING"
# Shown when k distinct clients saw the pattern, or when the asking client is one of them.
_GATE = (
    " AND ((SELECT COUNT(*) FROM forum_sightings s WHERE s.origin_hash = f.origin_hash) >= ?"
    " OR EXISTS (SELECT 1 FROM forum_sightings s WHERE s.origin_hash = f.origin_hash AND s.client_hash = ?))"
)
_BY_SUPPORT = "SELECT f.* FROM forum_entries f WHERE 1 = 1{where} ORDER BY f.support_count DESC, f.pk LIMIT ?"
# A worded search takes each query word's best postings (kb/forum/terms.py) off the index, at
# most this many times the hits asked for per word when the query has several words (one word's
# postings are already in score order), and ranks their union: bounded work at any forum size.
CANDIDATES_PER_HIT = 2
# Filters read the postings' own fields; only the k-client gate reads the post (CROSS JOIN keeps
# the postings as the outer loop, read in key order, whatever the statistics say).
_TOP = """
SELECT t.pk FROM forum_terms t{join}
WHERE t.term = ?{where}
ORDER BY t.impact DESC, t.pk DESC LIMIT ?
"""
_GATE_JOIN = " CROSS JOIN forum_entries f ON f.pk = t.pk"


def post_forum(
    db: Database, drafts: Iterable[ForumDraft], names: Iterable[str] = (), client_id: str | None = None
) -> list[ForumPost]:
    """Scrub and write posts in one transaction; a repeated pattern raises its support count.

    With `client_id`, the pattern is recorded as seen by that client (as a hash), which is
    what the k-client gate of `search_forum` counts, and the support count rises only on
    that client's first sighting (support counts clients); without it, every post raises it.
    Returns one stored post per written draft, in order; drafts that scrub to nothing are dropped.
    """
    rows = [
        (origin[:32], d.source_type, d.phase, d.file_type, d.title, d.body, d.kind, d.rule, origin)
        for d, origin in scrub_drafts(drafts, names)
    ]
    if not rows:
        return []
    origins = sorted({row[-1] for row in rows})
    marks = ", ".join("?" * len(origins))
    with db.write() as conn:
        known = {
            r[0] for r in conn.execute(f"SELECT origin_hash FROM forum_entries WHERE origin_hash IN ({marks})", origins)
        }
        if client_id:
            seen_by = forum_client_hash(client_id)
            for row in rows:
                first_sighting = conn.execute(_SIGHTING, (row[-1], seen_by)).rowcount > 0
                conn.execute(_UPSERT if first_sighting else _INSERT_NEW, row)
        else:
            conn.executemany(_UPSERT, rows)
        stored = conn.execute(f"SELECT * FROM forum_entries WHERE origin_hash IN ({marks})", origins).fetchall()
        index_forum(conn, [tuple(r[c] for c in COLUMNS.split(", ")) for r in stored if r["origin_hash"] not in known])
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

    Words match whole (case-insensitive); a post's score sums, over the query words it holds,
    the word's IDF times its impact in the post (kb/forum/terms.py).

    With `min_clients` above 1, a post is returned only once that many distinct clients saw
    it, or when `client_id` is one of them (a client always sees its own patterns).
    """
    filters = {"source_type": source_type, "phase": phase, "file_type": file_type}
    used = {column: value for column, value in filters.items() if value}
    values: list = list(used.values())
    gate, gate_values = "", []
    if min_clients > 1:
        gate, gate_values = _GATE, [int(min_clients), forum_client_hash(client_id) if client_id else ""]
    terms = query_terms(query or "")
    with db.read() as conn:
        if not terms:
            where = "".join(f" AND f.{column} = ?" for column in used) + gate
            return [to_post(r) for r in conn.execute(_BY_SUPPORT.format(where=where), [*values, *gate_values, limit])]
        top = _TOP.format(
            join=_GATE_JOIN if gate else "", where="".join(f" AND t.{column} = ?" for column in used) + gate
        )
        return _ranked(conn, terms, top, [*values, *gate_values], limit)


def _ranked(conn, terms: list[str], top: str, values: list, limit: int) -> list[ForumPost]:
    """The best posts for `terms`: each word's top postings within the filters, ranked together."""
    take = limit if len(terms) == 1 else limit * CANDIDATES_PER_HIT
    found: set[int] = set()
    for term in terms:
        found.update(pk for (pk,) in conn.execute(top, [term, *values, take]))
    if not found:
        return []
    marks = ", ".join("?" * (len(terms) + 1))
    counts = dict(
        conn.execute(f"SELECT term, posts FROM forum_term_counts WHERE term IN ({marks})", [TOTAL, *terms]).fetchall()
    )
    weights = {t: idf(counts[t], counts.get(TOTAL, 0)) for t in terms if counts.get(t)}
    posts = {
        r["pk"]: r
        for r in conn.execute(f"SELECT * FROM forum_entries WHERE pk IN ({', '.join('?' * len(found))})", sorted(found))
    }
    scores = {pk: score(r["title"], r["body"], weights) for pk, r in posts.items()}
    best = sorted(posts, key=lambda pk: (-scores[pk], -posts[pk]["support_count"], pk))[:limit]
    return [to_post(posts[pk]) for pk in best]


def forget_client(conn, client_id: str, min_clients: int) -> int:
    """Drop a client's sightings and the posts it contributed that fall below `min_clients`.

    Runs inside the caller's write transaction; returns how many posts were removed.
    """
    seen_by = forum_client_hash(client_id)
    origins = [r[0] for r in conn.execute("SELECT origin_hash FROM forum_sightings WHERE client_hash = ?", (seen_by,))]
    conn.execute("DELETE FROM forum_sightings WHERE client_hash = ?", (seen_by,))
    removed = 0
    for origin in origins:
        left = conn.execute("SELECT COUNT(*) FROM forum_sightings WHERE origin_hash = ?", (origin,)).fetchone()[0]
        if left < min_clients:
            conn.execute("DELETE FROM forum_sightings WHERE origin_hash = ?", (origin,))
            unindex_forum(
                conn, conn.execute(f"SELECT {COLUMNS} FROM forum_entries WHERE origin_hash = ?", (origin,)).fetchall()
            )
            removed += conn.execute("DELETE FROM forum_entries WHERE origin_hash = ?", (origin,)).rowcount
    return removed
