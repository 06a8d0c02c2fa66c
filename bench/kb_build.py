"""Build a large SQLite KB fast: the real schema and ids, rows bulk-loaded in big transactions."""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path
from typing import Iterator

from bench.corpus import Corpus, tree_names
from kb.forum.terms import TOTAL, postings
from kb.models import content_hash, entry_id, forum_origin_hash, node_id
from kb.slug import slugify
from kb.sqlite.forum import forum_client_hash
from kb.sqlite.store import SqliteStore

DOMAINS, SKILLS, GROUPS = 10, 5, 20  # 1,000 entry groups per client
SOURCE_TYPES = ("gmail", "drive", "sheets", "slack", "notion", "xero")
FILE_TYPES = (
    "pdf",
    "docx",
    "xlsx",
    "csv",
    "eml",
    "txt",
    "html",
    "pptx",
    "md",
    "rtf",
    "doc",
    "xls",
    "msg",
    "zip",
    "json",
    "png",
    "jpg",
    "ppt",
    "tsv",
    "xml",
)
_ENTRY = (
    "INSERT INTO knowledge_entries (id, client_id, tree_node_id, domain_id, skill_id, title, content, "
    "source_type, file_type, locator, item_id, content_hash, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_FORUM = (
    "INSERT INTO forum_entries (id, source_type, phase, file_type, title, body, origin_hash, support_count) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)


def client_tree(client: str) -> tuple[list[tuple], list[tuple[str, str, str]]]:
    """Tree rows of one client (ids as the store makes them) and each group's (domain, skill, group) ids."""
    rows, places, made = [], [], set()
    for names in tree_names(DOMAINS, SKILLS, GROUPS):
        parent, chain = "", []
        for level, name in zip(("domain", "skill", "entry_group"), names):
            nid = node_id(client, parent or None, slugify(name))
            if nid not in made:
                made.add(nid)
                rows.append((nid, client, parent, level, name, slugify(name), ""))
            parent = nid
            chain.append(nid)
        places.append(tuple(chain))
    return rows, places


def entry_rows(corpus: Corpus, client: str, places: list, count: int) -> Iterator[tuple]:
    for n in range(count):
        domain, skill, group = places[n % len(places)]
        title, content, locator = corpus.text(6), corpus.text(60), f"drive:{client}/{n}.txt"
        h = content_hash(client, locator, title, content)
        yield (
            entry_id(client, h),
            client,
            group,
            domain,
            skill,
            title,
            content,
            "drive",
            "txt",
            locator,
            f"{client}-{n}",
            h,
            "bench",
        )


def forum_rows(corpus: Corpus, count: int) -> Iterator[tuple]:
    for n in range(count):
        st, ft = SOURCE_TYPES[n % len(SOURCE_TYPES)], FILE_TYPES[(n // 7) % len(FILE_TYPES)]
        phase = ("explore", "structure")[(n // 3) % 2]
        title, body = corpus.text(6) + f" p{n}", corpus.text(25)
        origin = forum_origin_hash(st, phase, ft, title, body)
        yield (origin[:32], st, phase, ft, title, body, origin, 1 + corpus.rng.randrange(20))


def sighting_rows(corpus: Corpus, origins: list[str], clients: int) -> Iterator[tuple]:
    for origin in origins:
        for c in corpus.rng.sample(range(clients), 1 + corpus.rng.randrange(2)):
            yield origin, forum_client_hash(f"client-{c}")


def build(path: Path, clients: int, per_client: int, forum: int, forum_clients: int = 300, seed: int = 7) -> None:
    """A KB with `clients` clients of `per_client` entries each (client-0 first) and `forum` forum posts."""
    SqliteStore(path).close()  # the real schema
    corpus = Corpus(seed=seed)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -262144")
    # Indexes and triggers are dropped for the load and made again after it (sorting once beats
    # a million random inserts); the full-text indexes are then rebuilt from their tables.
    saved = [
        sql
        for (sql,) in conn.execute(
            "SELECT sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL "
            "AND tbl_name IN ('knowledge_entries', 'forum_entries', 'forum_sightings')"
        )
    ]
    for kind, name in conn.execute(
        "SELECT type, name FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL "
        "AND tbl_name IN ('knowledge_entries', 'forum_entries', 'forum_sightings')"
    ).fetchall():
        conn.execute(f"DROP {kind.upper()} {name}")
    conn.execute("BEGIN")
    for c in range(clients):
        client = f"client-{c}"
        tree, places = client_tree(client)
        conn.executemany("INSERT INTO knowledge_tree VALUES (?, ?, ?, ?, ?, ?, ?)", tree)
        conn.executemany(_ENTRY, entry_rows(corpus, client, places, per_client))
    origins: list[str] = []

    posts: list[tuple] = []

    def remember(rows: Iterator[tuple]) -> Iterator[tuple]:
        for pk, row in enumerate(rows, start=1):  # the rowids SQLite gives them, in this order
            origins.append(row[6])
            posts.append((pk, row[4], row[5], row[1], row[2], row[3]))
            yield row

    conn.executemany(_FORUM, remember(forum_rows(corpus, forum)))
    # The forum's postings, loaded unordered into a scratch table and copied once in key order;
    # the word counts are counted on the way.
    per_term: Counter = Counter()

    def forum_postings() -> Iterator[tuple]:
        for post in posts:
            for row in postings(post):
                per_term[row[0]] += 1
                yield row

    conn.execute(
        "CREATE TEMP TABLE terms_load (term TEXT, impact INTEGER, pk INTEGER, source_type TEXT, "
        "phase TEXT, file_type TEXT)"
    )
    conn.executemany("INSERT INTO terms_load VALUES (?, ?, ?, ?, ?, ?)", forum_postings())
    posts.clear()
    conn.execute("INSERT INTO forum_terms SELECT * FROM terms_load ORDER BY term, impact, pk")
    conn.execute("DROP TABLE terms_load")
    conn.executemany("INSERT INTO forum_term_counts VALUES (?, ?)", [*per_term.items(), (TOTAL, forum)])
    conn.executemany(
        "INSERT OR IGNORE INTO forum_sightings VALUES (?, ?)", sighting_rows(corpus, origins, forum_clients)
    )
    conn.execute("COMMIT")
    conn.execute("BEGIN")
    for sql in saved:
        conn.execute(sql)
    conn.execute("INSERT INTO knowledge_entries_fts (knowledge_entries_fts) VALUES ('rebuild')")
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()
