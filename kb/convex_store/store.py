"""The production KB backend: the Convex functions in kb/convex, called with the `convex` client.

The functions are internal: a deployment runs them only for its admin identity, so the store
sends the deployment's deploy key (CONVEX_DEPLOY_KEY, or an admin key in CONVEX_ADMIN_KEY) with
every call, and refuses to start without one.

Text rules live in Python so both backends agree: slugs (kb.slug), query words (kb.search.query),
forum scrubbing (kb.scrub), forum origin and client hashes (kb.models). The functions recompute
node ids, entry hashes and entry ids themselves, byte for byte as kb.models does.
"""

from __future__ import annotations

import os
from typing import Any, Iterable, Iterator, Sequence

from convex import ConvexError
from convex.http_client import ConvexHttpClient

from kb.convex_store import forum as convex_forum
from kb.convex_store.rows import entry_batches, item_args, place_args, to_entry, to_node, to_post, to_source_item
from kb.models import (
    LEVELS,
    Entry,
    EntryDraft,
    ForumDraft,
    ForumPost,
    KBError,
    Level,
    LevelError,
    ScopeError,
    SearchHit,
    SourceItem,
    TreeNode,
    UpsertResult,
)
from kb.search.embed import Embedder, default_embedder, embed_entries
from kb.search.hybrid import DEPTH, fuse_hits
from kb.search.query import query_terms
from kb.slug import slugify

PAGE = 200  # rows per paginated query
# Rows per clients:deleteRows call: entries are bulky (the 16 MiB read limit), tree and ledger rows small.
DELETE_BATCH = {"entries": 100, "tree": 1000, "items": 1000}
_DELETED = {"entries": "knowledge_entries", "tree": "knowledge_tree", "items": "source_items"}
_ERRORS: dict[str, type[KBError]] = {"LevelError": LevelError, "ScopeError": ScopeError}
KEY_VARS = ("CONVEX_DEPLOY_KEY", "CONVEX_ADMIN_KEY")
# What a deployment answers a call it will not run for this caller: a missing or internal
# function without admin auth, or a key that is not the deployment's.
_REFUSALS = ("Could not find public function", "BadAdminKey", "BadDeployKey", "Unauthenticated")


def _scoped(client_id: str) -> str:
    if not isinstance(client_id, str) or not client_id.strip():
        raise ScopeError("a client_id is required")
    return client_id


def _admin_key(given: str | None) -> tuple[str, str]:
    """Return (where the key came from, the key): the argument, else CONVEX_DEPLOY_KEY, else CONVEX_ADMIN_KEY."""
    if given and given.strip():
        return "the admin_key argument", given.strip()
    for var in KEY_VARS:
        value = (os.environ.get(var) or "").strip()
        if value:
            return var, value
    raise KBError(
        "CONVEX_DEPLOY_KEY is not set: the grove functions on Convex are internal and run only "
        "for the deployment's deploy key; export CONVEX_DEPLOY_KEY (dashboard: Settings > "
        "Deploy keys; or an admin key in CONVEX_ADMIN_KEY) or pass admin_key"
    )


def _hit(h: dict) -> SearchHit:
    return SearchHit(entry=to_entry(h["entry"]), path=tuple(h["path"]), snippet=h["snippet"], score=float(h["score"]))


class ConvexStore:
    """kb.store.Store on a Convex deployment that runs the functions in kb/convex."""

    def __init__(
        self,
        url: str | None = None,
        admin_key: str | None = None,
        embedder: Embedder | None = None,
        vectors: bool = True,
    ):
        """Open the deployment at `url` (else CONVEX_URL) with `admin_key` (else CONVEX_DEPLOY_KEY,
        else CONVEX_ADMIN_KEY); KBError naming the variable when either is missing."""
        url = (url or os.environ.get("CONVEX_URL") or "").strip()
        if not url:
            raise KBError(
                "CONVEX_URL is not set: pass the deployment URL (https://<name>.convex.cloud) or export CONVEX_URL"
            )
        self.url = url.rstrip("/")
        self._key_source, key = _admin_key(admin_key)
        self._client = ConvexHttpClient(self.url)
        self._client.set_admin_auth(key)
        self._closed = False
        self._vectors = vectors
        self._embedder = embedder

    def _search_embedder(self) -> Embedder | None:
        """The embedder of entries and queries (None when vectors are off)."""
        if not self._vectors:
            return None
        if self._embedder is None:
            self._embedder = default_embedder()
        return self._embedder

    def _embeddings(self, client_id: str, drafts: list[EntryDraft]) -> list[list[float] | None]:
        """Vectors for the drafts the deployment holds no vector for yet (None for the others)."""
        embedder = self._search_embedder()
        if embedder is None or not drafts:
            return [None] * len(drafts)
        hashes = [d.hash(client_id) for d in drafts]
        done = set(self._call("query", "entries:embedded", {"clientId": client_id, "contentHashes": hashes}))
        todo = [n for n, h in enumerate(hashes) if h not in done]
        out: list[list[float] | None] = [None] * len(drafts)
        if todo:
            vectors = embed_entries(embedder, [drafts[n].title for n in todo], [drafts[n].content for n in todo])
            for n, vector in zip(todo, vectors):
                out[n] = [float(x) for x in vector]
        return out

    def __enter__(self) -> "ConvexStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop using the deployment (the HTTP client holds no connection); later calls raise."""
        self._closed = True

    def _call(self, kind: str, name: str, args: dict[str, Any]) -> Any:
        if self._closed:
            raise KBError(f"the Convex store {self.url!r} is closed")
        try:
            return getattr(self._client, kind)(name, args)
        except ConvexError as exc:
            data = exc.data if isinstance(exc.data, dict) else {"message": str(exc.data)}
            raise _ERRORS.get(data.get("code"), KBError)(data.get("message") or str(exc)) from None
        except Exception as exc:  # transport errors, HTTP errors, failed functions
            if any(mark in str(exc) for mark in _REFUSALS):
                raise KBError(
                    f"the Convex deployment at {self.url} refused {name}: the grove functions run only "
                    f"for the deployment's deploy key, and the key in {self._key_source} is not it "
                    f"(or the functions are not deployed: npx convex deploy). ({exc})"
                ) from exc
            raise KBError(f"Convex {kind} {name} failed at {self.url}: {exc}") from exc

    def _pages(self, name: str, args: dict[str, Any], size: int = PAGE) -> Iterator[Any]:
        cursor = None
        while True:
            page = self._call("query", name, {**args, "paginationOpts": {"numItems": size, "cursor": cursor}})
            yield page
            if page["isDone"]:
                return
            cursor = page["continueCursor"]

    # -- tree ---------------------------------------------------------------------------
    def ensure_path(
        self, client_id: str, domain: str, skill: str, group: str, group_description: str = ""
    ) -> tuple[TreeNode, TreeNode, TreeNode]:
        """Return (domain, skill, entry_group) nodes, creating missing ones; ids are stable."""
        args = {
            "clientId": _scoped(client_id),
            "domain": place_args("domain", domain),
            "skill": place_args("skill", skill),
            "group": place_args("entry_group", group),
            "groupDescription": group_description,
        }
        d, s, g = (to_node(n) for n in self._call("mutation", "tree:ensurePath", args))
        return d, s, g

    def ensure_node(
        self, client_id: str, level: Level, name: str, parent_id: str | None = None, description: str = ""
    ) -> TreeNode:
        """Create or reuse one node; LevelError unless `parent_id` is a node of the level above."""
        if level not in LEVELS:
            raise LevelError(f"unknown level {level!r}; levels are {LEVELS}")
        args = {
            "clientId": _scoped(client_id),
            "parentId": parent_id,
            "level": level,
            **place_args(level, name),
            "description": description,
        }
        return to_node(self._call("mutation", "tree:ensureNode", args))

    def tree(self, client_id: str) -> list[TreeNode]:
        """Return every node of the client's tree, domains first, then skills, then groups."""
        return [to_node(n) for n in self._call("query", "tree:list", {"clientId": _scoped(client_id)})]

    def children(self, client_id: str, parent_id: str | None) -> list[TreeNode]:
        """Return the nodes directly under `parent_id` (domains when None), by slug."""
        args = {"clientId": _scoped(client_id), "parentId": parent_id or None}
        return [to_node(n) for n in self._call("query", "tree:children", args)]

    # -- entries ------------------------------------------------------------------------
    def upsert_entries(self, client_id: str, drafts: Sequence[EntryDraft], run_id: str) -> UpsertResult:
        """Place drafts under their entry groups; known content is unchanged.

        Large inputs go in several idempotent mutations, so a retry after a failure is safe.
        """
        _scoped(client_id)
        drafts = list(drafts)
        places = [
            (place_args("domain", d.domain), place_args("skill", d.skill), place_args("entry_group", d.group))
            for d in drafts
        ]
        result, start = UpsertResult(), 0
        for batch in entry_batches(drafts):
            vectors = self._embeddings(client_id, batch)
            rows = [
                {
                    "domain": dom,
                    "skill": ski,
                    "group": grp,
                    "groupDescription": d.group_description,
                    "title": d.title,
                    "content": d.content,
                    "sourceType": d.source_type,
                    "fileType": d.file_type,
                    "locator": d.locator,
                    "itemId": d.item_id,
                    "alsoAt": sorted(set(d.also_at)),
                    **({"embedding": vector} if vector is not None else {}),
                }
                for d, (dom, ski, grp), vector in zip(batch, places[start : start + len(batch)], vectors)
            ]
            start += len(batch)
            out = self._call("mutation", "entries:upsert", {"clientId": client_id, "runId": run_id, "drafts": rows})
            result.inserted += int(out["inserted"])
            result.unchanged += int(out["unchanged"])
            result.entry_ids.extend(out["entryIds"])
        return result

    def delete_item_entries(self, client_id: str, source_type: str, item_id: str) -> int:
        """Remove one source item's entries, then prune the groups, skills, domains left empty."""
        args = {"clientId": _scoped(client_id), "sourceType": source_type, "itemId": item_id}
        return int(self._call("mutation", "entries:deleteItem", args))

    def entries(self, client_id: str, tree_node_id: str | None = None) -> list[Entry]:
        """Return the client's entries (or one entry group's), group by group, oldest first."""
        args = {"clientId": _scoped(client_id), "treeNodeId": tree_node_id}
        return [to_entry(e) for page in self._pages("entries:list", args) for e in page["page"]]

    def search(self, client_id: str, query: str, under: Sequence[str] | str = (), limit: int = 10) -> list[SearchHit]:
        """Hybrid search over the client's entries, optionally within DOMAIN[/SKILL[/GROUP]].

        The search index ranks the words (search:entries), the vector index the question's
        embedding (search:similar); reciprocal rank fusion merges them as on SQLite (kb.search.hybrid).
        Scope names match a node's name (any case) or its slug. An empty or stop-word-only
        query, or a scope that names no node, returns [].
        """
        _scoped(client_id)
        raw = under.split("/") if isinstance(under, str) else list(under)
        parts = [p.strip() for p in raw if p and p.strip()]
        if len(parts) > len(LEVELS):
            raise LevelError(f"a scope has at most three names (domain/skill/group), got {parts}")
        terms = query_terms(query or "")
        if not terms or limit <= 0:
            return []
        depth = max(int(limit), DEPTH)
        scope = [{"name": p, "slug": slugify(p)} for p in parts]
        args = {"clientId": client_id, "terms": terms, "limit": depth, "under": scope}
        lexical = [_hit(h) for h in self._call("query", "search:entries", args)]
        embedder = self._search_embedder()
        if embedder is None:
            return lexical[:limit]
        vector = [float(x) for x in embedder.embed([query])[0]]
        dense = [
            _hit(h)
            for h in self._call(
                "action", "search:similar", {"clientId": client_id, "vector": vector, "under": scope, "limit": depth}
            )
        ]
        return fuse_hits(lexical, dense, int(limit))

    # -- forum (shared by all clients: holds scrubbed patterns only) ---------------------
    def post_forum(
        self, drafts: Iterable[ForumDraft], names: Iterable[str] = (), *, client_id: str | None = None
    ) -> list[ForumPost]:
        """Scrub and write forum posts; a repeated pattern raises its support count.

        `names` are person names to remove too. Drafts that scrub to nothing are dropped.
        `client_id` records (as a hash) which client saw the pattern, for the k-client gate.
        """
        args = convex_forum.post_args(drafts, names, client_id)
        return [to_post(p) for p in self._call("mutation", "forum:post", args)] if args else []

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
        args = convex_forum.search_args(query, source_type, phase, file_type, limit, min_clients, client_id)
        return [to_post(p) for p in self._call("query", "forum:search", args)] if args else []

    def delete_client(self, client_id: str, min_clients: int = 2) -> dict[str, int]:
        """Remove every row of one client (entries, tree, ledger), then its forum sightings.

        Each pattern it saw that fewer than `min_clients` other clients saw goes too. Runs in
        batches (a deployment caps each transaction); after a failure, calling again finishes.
        Returns the number of rows removed per table.
        """
        _scoped(client_id)
        removed: dict[str, int] = {}
        for table, size in DELETE_BATCH.items():
            args, count = {"clientId": client_id, "table": table, "limit": size}, 0
            while True:
                out = self._call("mutation", "clients:deleteRows", args)
                count += int(out["deleted"])
                if out["isDone"]:
                    break
            removed[_DELETED[table]] = count
        removed["forum_entries"] = convex_forum.forget_client(self._call, client_id, min_clients)
        return removed

    # -- ledger --------------------------------------------------------------------------
    def record_items(self, items: Iterable[SourceItem]) -> None:
        """Insert or update ledger rows keyed by (client_id, source_type, item_id)."""
        by_client: dict[str, list[dict[str, str]]] = {}
        for i in items:
            by_client.setdefault(_scoped(i.client_id), []).append(item_args(i))
        for client_id, rows in sorted(by_client.items()):
            for start in range(0, len(rows), 500):
                self._call("mutation", "items:record", {"clientId": client_id, "items": rows[start : start + 500]})

    def get_item(self, client_id: str, source_type: str, item_id: str) -> SourceItem | None:
        """Return one ledger row, or None."""
        args = {"clientId": _scoped(client_id), "sourceType": source_type, "itemId": item_id}
        row = self._call("query", "items:get", args)
        return to_source_item(row) if row else None

    def items(self, client_id: str, source_type: str | None = None) -> list[SourceItem]:
        """Return the client's ledger rows, by source type and item id."""
        args = {"clientId": _scoped(client_id)}
        if source_type is not None:
            args["sourceType"] = source_type
        return [to_source_item(i) for page in self._pages("items:list", args) for i in page["page"]]

    def counts(self, client_id: str) -> dict[str, int]:
        """Return {'domain', 'skill', 'entry_group', 'entries', 'items'} counts for a client."""
        tree = self._call("query", "counts:tree", {"clientId": _scoped(client_id)})
        out = {level: int(tree[level]) for level in LEVELS}
        for table, size in (("entries", PAGE), ("items", 1000)):
            args = {"clientId": client_id, "table": table}
            out[table] = sum(int(p["count"]) for p in self._pages("counts:page", args, size))
        return out
