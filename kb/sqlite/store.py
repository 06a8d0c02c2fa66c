"""The embedded KB backend: SQLite with FTS5 search, one connection per thread, safe to share."""

from __future__ import annotations

import json
import logging
import os
import threading
from typing import Iterable, Sequence

from kb.models import (
    LEVELS,
    Entry,
    EntryDraft,
    ForumDraft,
    ForumPost,
    Level,
    ScopeError,
    SearchHit,
    SourceItem,
    TreeNode,
    UpsertResult,
    entry_id,
)
from kb.search.embed import DIM, Embedder, default_embedder
from kb.sqlite import forum as sqlite_forum
from kb.sqlite import tree as sqlite_tree
from kb.sqlite.db import Database
from kb.sqlite.hybrid_search import hybrid_search
from kb.sqlite.rows import to_entry, to_node, to_source_item
from kb.sqlite.vectors import index_entries, open_vectors, vectors_path

log = logging.getLogger(__name__)

_ENTRY_INSERT = """
INSERT INTO knowledge_entries (id, client_id, tree_node_id, domain_id, skill_id, title, content,
    source_type, file_type, locator, item_id, content_hash, run_id, also_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT DO NOTHING
"""
_ITEM_UPSERT = """
INSERT INTO source_items (client_id, source_type, item_id, revision, content_hash, status, reason,
    last_seen_run_id)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (client_id, source_type, item_id) DO UPDATE SET revision = excluded.revision,
    content_hash = excluded.content_hash, status = excluded.status, reason = excluded.reason,
    last_seen_run_id = excluded.last_seen_run_id
"""


def _scoped(client_id: str) -> str:
    if not isinstance(client_id, str) or not client_id.strip():
        raise ScopeError("a client_id is required")
    return client_id


class SqliteStore:
    """kb.store.Store on one SQLite file (or ':memory:'); share one instance between threads."""

    def __init__(
        self,
        path: str | os.PathLike[str] = ":memory:",
        busy_timeout_ms: int = 30_000,
        embedder: Embedder | None = None,
        vectors: bool = True,
    ):
        """`embedder` defaults to the bundled WordLlama model (loaded on first use); `vectors=False`
        keeps search on BM25 alone and stores no vectors."""
        self.path = str(path) if str(path) == ":memory:" else os.path.expanduser(str(path))
        self._db = Database(self.path, busy_timeout_ms)
        self._embedder = embedder
        self._embedder_lock = threading.Lock()
        dim = embedder.dim if embedder is not None else DIM
        self._vectors = open_vectors(vectors_path(self.path), dim, busy_timeout_ms) if vectors else None

    def _search_embedder(self) -> Embedder | None:
        """The embedder of entries and queries; None when vectors are off or the model cannot load."""
        if self._vectors is None:
            return None
        with self._embedder_lock:
            if self._embedder is None:
                try:
                    self._embedder = default_embedder()
                except Exception as exc:  # search then runs on BM25 alone
                    log.warning("search runs on BM25 alone: the embedding model did not load (%s)", exc)
                    self._vectors.close()
                    self._vectors = None
            return self._embedder

    def __enter__(self) -> "SqliteStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release every thread's connection."""
        self._db.close()
        if self._vectors is not None:
            self._vectors.close()

    # -- tree ---------------------------------------------------------------------------
    def ensure_path(
        self, client_id: str, domain: str, skill: str, group: str, group_description: str = ""
    ) -> tuple[TreeNode, TreeNode, TreeNode]:
        """Return (domain, skill, entry_group) nodes, creating missing ones; ids are stable."""
        _scoped(client_id)
        with self._db.write() as conn:
            return sqlite_tree.ensure_path(conn, client_id, (domain, skill, group), group_description)

    def ensure_node(
        self,
        client_id: str,
        level: Level,
        name: str,
        parent_id: str | None = None,
        description: str = "",
    ) -> TreeNode:
        """Create or reuse one node; LevelError unless `parent_id` is a node of the level above."""
        _scoped(client_id)
        with self._db.write() as conn:
            return sqlite_tree.ensure_node(conn, client_id, parent_id, level, name, description)

    def tree(self, client_id: str) -> list[TreeNode]:
        """Return every node of the client's tree, domains first, then skills, then groups."""
        with self._db.read() as conn:
            rows = conn.execute(
                "SELECT * FROM knowledge_tree WHERE client_id = ? ORDER BY CASE level "
                "WHEN 'domain' THEN 0 WHEN 'skill' THEN 1 ELSE 2 END, parent_id, slug",
                (_scoped(client_id),),
            ).fetchall()
        return [to_node(r) for r in rows]

    def children(self, client_id: str, parent_id: str | None) -> list[TreeNode]:
        """Return the nodes directly under `parent_id` (domains when None), by slug."""
        with self._db.read() as conn:
            rows = conn.execute(
                "SELECT * FROM knowledge_tree WHERE client_id = ? AND parent_id = ? ORDER BY slug",
                (_scoped(client_id), parent_id or ""),
            ).fetchall()
        return [to_node(r) for r in rows]

    # -- entries ------------------------------------------------------------------------
    def upsert_entries(self, client_id: str, drafts: Sequence[EntryDraft], run_id: str) -> UpsertResult:
        """Place drafts under their entry groups in one transaction; known content is unchanged.

        `entry_ids` holds one id per draft, in the drafts' order.
        """
        _scoped(client_id)
        drafts = list(drafts)
        if not drafts:
            return UpsertResult()
        hashes = [d.hash(client_id) for d in drafts]
        descriptions: dict[tuple[str, str, str], str] = {}
        for d in drafts:
            key = (d.domain, d.skill, d.group)
            if not descriptions.get(key):
                descriptions[key] = d.group_description
        with self._db.write() as conn:
            places = {
                key: sqlite_tree.ensure_path(conn, client_id, key, description)
                for key, description in descriptions.items()
            }
            rows = []
            for d, h in zip(drafts, hashes):
                domain, skill, group = places[(d.domain, d.skill, d.group)]
                rows.append(
                    (
                        entry_id(client_id, h),
                        client_id,
                        group.id,
                        domain.id,
                        skill.id,
                        d.title,
                        d.content,
                        d.source_type,
                        d.file_type,
                        d.locator,
                        d.item_id,
                        h,
                        run_id,
                        json.dumps(sorted(set(d.also_at))),
                    )
                )
            inserted = conn.executemany(_ENTRY_INSERT, rows).rowcount
        # After the commit: embedding takes a while and must not hold the write lock.
        self._embed_entries(client_id, [r[0] for r in rows])
        return UpsertResult(
            inserted=inserted,
            unchanged=len(drafts) - inserted,
            entry_ids=[entry_id(client_id, h) for h in hashes],
        )

    def _embed_entries(self, client_id: str, ids: Sequence[str]) -> None:
        """Embed the entries of `ids` that have no vector yet; a failure leaves them for a later write."""
        embedder = self._search_embedder()
        if embedder is None or not ids:
            return
        try:
            with self._db.read() as conn:
                index_entries(conn, self._vectors, embedder, client_id, ids)
        except Exception as exc:  # vectors are derived data: the entries stand, search falls back on BM25
            log.warning("entries of %s written without vectors: %s: %s", client_id, type(exc).__name__, exc)

    def entries(self, client_id: str, tree_node_id: str | None = None) -> list[Entry]:
        """Return the client's entries (or one entry group's), in insertion order."""
        sql, params = "SELECT * FROM knowledge_entries WHERE client_id = ?", [_scoped(client_id)]
        if tree_node_id is not None:
            sql, params = sql + " AND tree_node_id = ?", [*params, tree_node_id]
        with self._db.read() as conn:
            return [to_entry(r) for r in conn.execute(sql + " ORDER BY pk", params)]

    def delete_item_entries(self, client_id: str, source_type: str, item_id: str) -> int:
        """Remove one source item's entries, then prune the groups, skills, domains left empty."""
        key = (_scoped(client_id), source_type, item_id)
        where = "client_id = ? AND source_type = ? AND item_id = ?"
        with self._db.write() as conn:
            groups = {
                r[0] for r in conn.execute(f"SELECT DISTINCT tree_node_id FROM knowledge_entries WHERE {where}", key)
            }
            pks = [r[0] for r in conn.execute(f"SELECT pk FROM knowledge_entries WHERE {where}", key)]
            deleted = conn.execute(f"DELETE FROM knowledge_entries WHERE {where}", key).rowcount
            sqlite_tree.prune(conn, client_id, groups)
        if self._vectors is not None:
            self._vectors.delete(pks)
        return deleted

    def search(self, client_id: str, query: str, under: Sequence[str] | str = (), limit: int = 10) -> list[SearchHit]:
        """Hybrid search over the client's entries, optionally within DOMAIN[/SKILL[/GROUP]].

        BM25 (FTS5) and nearest vectors (sqlite-vec) each rank the scope's entries; reciprocal
        rank fusion merges them (score: the fused score). Scope names match a node's name (any
        case) or its slug. An empty or stop-word-only query, or a scope naming no node, returns [].
        """
        _scoped(client_id)
        embedder = self._search_embedder()
        with self._db.read() as conn:
            return hybrid_search(conn, self._vectors, embedder, client_id, query, under, limit)

    # -- forum (shared by all clients: holds scrubbed patterns only) ---------------------
    def post_forum(
        self, drafts: Iterable[ForumDraft], names: Iterable[str] = (), *, client_id: str | None = None
    ) -> list[ForumPost]:
        """Scrub and write forum posts; a repeated pattern raises its support count.

        `names` are person names to remove too (e.g. from the headers the pattern came from).
        `client_id` records (as a hash) which client saw the pattern, for the k-client gate.
        """
        return sqlite_forum.post_forum(self._db, drafts, names, client_id)

    def search_forum(
        self,
        query: str = "",
        source_type: str | None = None,
        phase: str | None = None,
        file_type: str | None = None,
        limit: int = 10,
        *,
        min_clients: int = 1,
        client_id: str | None = None,
    ) -> list[ForumPost]:
        """Full-text forum search within the filters; without query words, most supported first.

        `min_clients` > 1 hides patterns seen by fewer distinct clients, except `client_id`'s own.
        """
        return sqlite_forum.search_forum(self._db, query, source_type, phase, file_type, limit, min_clients, client_id)

    def delete_client(self, client_id: str, min_clients: int = 2) -> dict[str, int]:
        """Remove every row of one client (tree, entries, ledger) in one transaction.

        Its forum sightings go too, with each pattern it saw that fewer than `min_clients`
        other clients saw. Returns the number of rows removed per table.
        """
        _scoped(client_id)
        removed: dict[str, int] = {}
        with self._db.write() as conn:
            for table in ("knowledge_entries", "knowledge_tree", "source_items"):
                removed[table] = conn.execute(f"DELETE FROM {table} WHERE client_id = ?", (client_id,)).rowcount
            removed["forum_entries"] = sqlite_forum.forget_client(conn, client_id, min_clients)
        if self._vectors is not None:
            self._vectors.delete_client(client_id)
        return removed

    # -- ledger --------------------------------------------------------------------------
    def record_items(self, items: Iterable[SourceItem]) -> None:
        """Insert or update ledger rows keyed by (client_id, source_type, item_id)."""
        rows = [
            (
                _scoped(i.client_id),
                i.source_type,
                i.item_id,
                i.revision,
                i.content_hash,
                i.status,
                i.reason,
                i.last_seen_run_id,
            )
            for i in items
        ]
        if rows:
            with self._db.write() as conn:
                conn.executemany(_ITEM_UPSERT, rows)

    def get_item(self, client_id: str, source_type: str, item_id: str) -> SourceItem | None:
        """Return one ledger row, or None."""
        with self._db.read() as conn:
            row = conn.execute(
                "SELECT * FROM source_items WHERE client_id = ? AND source_type = ? AND item_id = ?",
                (_scoped(client_id), source_type, item_id),
            ).fetchone()
        return to_source_item(row) if row else None

    def items(self, client_id: str, source_type: str | None = None) -> list[SourceItem]:
        """Return the client's ledger rows, by source type and item id."""
        sql, params = "SELECT * FROM source_items WHERE client_id = ?", [_scoped(client_id)]
        if source_type is not None:
            sql, params = sql + " AND source_type = ?", [*params, source_type]
        with self._db.read() as conn:
            return [to_source_item(r) for r in conn.execute(sql + " ORDER BY source_type, item_id", params)]

    def counts(self, client_id: str) -> dict[str, int]:
        """Return {'domain', 'skill', 'entry_group', 'entries', 'items'} counts for a client."""
        _scoped(client_id)
        out = dict.fromkeys((*LEVELS, "entries", "items"), 0)
        with self._db.read() as conn:
            for level, n in conn.execute(
                "SELECT level, COUNT(*) FROM knowledge_tree WHERE client_id = ? GROUP BY level", (client_id,)
            ):
                out[level] = n
            for key, table in (("entries", "knowledge_entries"), ("items", "source_items")):
                out[key] = conn.execute(f"SELECT COUNT(*) FROM {table} WHERE client_id = ?", (client_id,)).fetchone()[0]
        return out
