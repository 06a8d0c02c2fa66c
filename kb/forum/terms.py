"""Impact-ordered postings of the forum's words: what makes a worded forum search flat as the forum grows.

Each post gives one posting per distinct content word: (word, impact, post). The impact is
the word's BM25 term weight in that post (its count, a title word counting twice, saturated
and normalised by the post's length against a fixed typical length), scaled to an integer.
Stored under the key (word, impact, post), a word's postings read best first straight off
the index, so a search takes the top few of each query word and stops: its cost depends on
the number of hits asked for, not on how many posts hold the word. Each posting also carries
its post's filter fields (source type, phase, file type), so a filtered search skips the
postings of other filters without reading their posts. The word's IDF, which
weighs words against each other in a query of several, comes from a per-word post count kept
beside the postings.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Iterable

from kb.search.bm25 import K1, B
from kb.search.query import STOP_WORDS, words

TITLE_WEIGHT = 2
# The post length the impacts are normalised against (a forum post's title and body run
# about this many words); fixed, so a post's impacts never change once written.
TYPICAL_WORDS = 30
SCALE = 1000
TOTAL = ""  # the counts row holding how many posts are indexed ('' is never a word)


def term_counts(title: str, body: str) -> tuple[Counter, int]:
    """Weighted counts of the content words of a post (title words count twice), and its length in words."""
    title_words, body_words = words(title), words(body)
    counts: Counter = Counter()
    for w in title_words:
        if w not in STOP_WORDS:
            counts[w] += TITLE_WEIGHT
    for w in body_words:
        if w not in STOP_WORDS:
            counts[w] += 1
    return counts, len(title_words) + len(body_words)


def impact(tf: float, length: int) -> int:
    """The scaled BM25 term weight of a word counted `tf` times in a post of `length` words."""
    norm = K1 * (1 - B + B * length / TYPICAL_WORDS)
    return round(SCALE * tf * (K1 + 1) / (tf + norm))


Post = tuple[int, str, str, str, str, str]  # pk, title, body, source_type, phase, file_type
COLUMNS = "pk, title, body, source_type, phase, file_type"  # a forum_entries SELECT giving Posts


def postings(post: Post) -> list[tuple[str, int, int, str, str, str]]:
    """The (word, impact, post, source type, phase, file type) rows of one post."""
    pk, title, body, *filters = post
    counts, length = term_counts(title, body)
    return [(term, impact(tf, length), pk, *filters) for term, tf in counts.items()]


def idf(posts_with_term: int, posts: int) -> float:
    """BM25's IDF (floored just above zero, as FTS5 does for words in most posts)."""
    value = math.log((max(posts, posts_with_term) - posts_with_term + 0.5) / (posts_with_term + 0.5))
    return value if value > 0 else 1e-6


def score(title: str, body: str, weights: dict[str, float]) -> float:
    """A post's score for query words with their IDF `weights`: the sum of IDF x scaled impact."""
    counts, length = term_counts(title, body)
    return sum(w * impact(counts[t], length) for t, w in weights.items() if counts.get(t))


_COUNT = (
    "INSERT INTO forum_term_counts (term, posts) VALUES (?, ?) "
    "ON CONFLICT (term) DO UPDATE SET posts = posts + excluded.posts"
)


def index_forum(conn, posts: Iterable[Post]) -> None:
    """Write the postings and word counts of new posts, in the caller's transaction."""
    _apply(conn, posts, +1)


def unindex_forum(conn, posts: Iterable[Post]) -> None:
    """Remove the postings and word counts of posts about to be deleted, in the caller's transaction."""
    _apply(conn, posts, -1)


def _apply(conn, posts: Iterable[Post], sign: int) -> None:
    found, per_term = [], Counter()
    for post in posts:
        mine = postings(tuple(post))
        found += mine
        per_term.update(row[0] for row in mine)
        per_term[TOTAL] += 1
    if sign > 0:
        conn.executemany(
            "INSERT OR IGNORE INTO forum_terms (term, impact, pk, source_type, phase, file_type) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            found,
        )
    else:
        conn.executemany("DELETE FROM forum_terms WHERE term = ? AND impact = ? AND pk = ?", [row[:3] for row in found])
    conn.executemany(_COUNT, [(term, sign * n) for term, n in per_term.items()])
