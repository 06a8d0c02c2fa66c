"""The shared forum on SQLite: scrubbed posts, support counts, filtered full-text search."""

from __future__ import annotations

from typing import Iterable

from kb.models import ForumDraft, ForumPost, forum_origin_hash
from kb.query import fts_query
from kb.scrub import scrub
from kb.sqlite_db import Database
from kb.sqlite_rows import to_post

PHASES = ("explore", "structure")
_UPSERT = """
INSERT INTO forum_entries (id, source_type, phase, file_type, title, body, origin_hash)
VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (origin_hash) DO UPDATE SET support_count = support_count + 1
"""
_BY_SUPPORT = "SELECT f.* FROM forum_entries f WHERE 1 = 1{where} ORDER BY f.support_count DESC, f.pk LIMIT ?"
_BY_MATCH = """
SELECT f.* FROM forum_entries_fts JOIN forum_entries f ON f.pk = forum_entries_fts.rowid
WHERE forum_entries_fts MATCH ?{where}
ORDER BY bm25(forum_entries_fts, 2.0, 1.0), f.support_count DESC, f.pk LIMIT ?
"""


def post_forum(db: Database, drafts: Iterable[ForumDraft], names: Iterable[str] = ()) -> list[ForumPost]:
    """Scrub and write posts in one transaction; a repeated pattern raises its support count.

    Returns one stored post per written draft, in order; drafts that scrub to nothing are dropped.
    """
    names = list(names)
    rows = []
    for d in drafts:
        if d.phase not in PHASES:
            raise ValueError(f"forum phase must be one of {PHASES}, got {d.phase!r}")
        title, body = scrub(d.title, names).strip(), scrub(d.body, names).strip()
        if title or body:
            origin = forum_origin_hash(d.source_type, d.phase, d.file_type, title, body)
            rows.append((origin[:32], d.source_type, d.phase, d.file_type, title, body, origin))
    if not rows:
        return []
    origins = sorted({row[-1] for row in rows})
    with db.write() as conn:
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
) -> list[ForumPost]:
    """Return posts matching every given filter, best BM25 match first, or most supported first."""
    filters = {"source_type": source_type, "phase": phase, "file_type": file_type}
    used = {column: value for column, value in filters.items() if value}
    where = "".join(f" AND f.{column} = ?" for column in used)
    match = fts_query(query or "")
    if match is None:
        sql, params = _BY_SUPPORT.format(where=where), [*used.values(), limit]
    else:
        sql, params = _BY_MATCH.format(where=where), [match, *used.values(), limit]
    with db.read() as conn:
        return [to_post(r) for r in conn.execute(sql, params)]
