"""The interface every KB backend implements (SQLite embedded, Convex in production)."""

from __future__ import annotations

from typing import Iterable, Protocol, Sequence, runtime_checkable

from kb.models import (
    Entry,
    EntryDraft,
    ForumDraft,
    ForumPost,
    SearchHit,
    SourceItem,
    TreeNode,
    UpsertResult,
)


@runtime_checkable
class Store(Protocol):
    """Knowledge base operations. Every client-data call is scoped by `client_id`."""

    def ensure_path(
        self, client_id: str, domain: str, skill: str, group: str, group_description: str = ""
    ) -> tuple[TreeNode, TreeNode, TreeNode]:
        """Return (domain, skill, entry_group) nodes, creating missing ones; ids are stable."""

    def upsert_entries(self, client_id: str, drafts: Sequence[EntryDraft], run_id: str) -> UpsertResult:
        """Place drafts under their entry groups; a draft whose content hash exists is unchanged."""

    def delete_item_entries(self, client_id: str, source_type: str, item_id: str) -> int:
        """Remove the entries that came from one source item; prune groups left empty."""

    def tree(self, client_id: str) -> list[TreeNode]:
        """Return every node of the client's tree."""

    def children(self, client_id: str, parent_id: str | None) -> list[TreeNode]:
        """Return the nodes directly under `parent_id` (domains when None)."""

    def entries(self, client_id: str, tree_node_id: str | None = None) -> list[Entry]:
        """Return the client's entries, or those of one entry group."""

    def search(self, client_id: str, query: str, under: Sequence[str] = (), limit: int = 10) -> list[SearchHit]:
        """Full-text search over entries, optionally within DOMAIN[/SKILL[/GROUP]] names."""

    def post_forum(
        self, drafts: Iterable[ForumDraft], names: Iterable[str] = (), *, client_id: str | None = None
    ) -> list[ForumPost]:
        """Write scrubbed forum posts; a repeated pattern raises its support count.

        `names` are person names (e.g. from the source's email headers) scrubbed as well;
        `client_id` records, as a one-way hash, that this client saw each pattern.
        """

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
        """Full-text forum search with the sourceType / phase / fileType filters.

        With `min_clients` above 1 a pattern shows only once that many clients saw it, or to
        a client that saw it itself (`client_id`).
        """

    def delete_client(self, client_id: str, min_clients: int = 2) -> dict[str, int]:
        """Remove every row of one client, and its forum sightings; return rows removed per table."""

    def record_items(self, items: Iterable[SourceItem]) -> None:
        """Insert or update ledger rows keyed by (client_id, source_type, item_id)."""

    def get_item(self, client_id: str, source_type: str, item_id: str) -> SourceItem | None:
        """Return one ledger row, or None."""

    def items(self, client_id: str, source_type: str | None = None) -> list[SourceItem]:
        """Return the client's ledger rows."""

    def counts(self, client_id: str) -> dict[str, int]:
        """Return {'domain', 'skill', 'entry_group', 'entries', 'items'} counts for a client."""

    def close(self) -> None:
        """Release connections."""
