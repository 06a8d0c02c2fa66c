"""Map the Convex functions' camelCase documents to the kb.models dataclasses, and back."""

from __future__ import annotations

from typing import Iterator

from kb.models import Entry, EntryDraft, ForumPost, Level, LevelError, SourceItem, TreeNode
from kb.slug import slugify

ENTRY_BATCH = 100  # drafts per mutation, far below Convex's per-transaction write limits
ENTRY_BATCH_BYTES = 4 << 20  # and at most ~4 MiB of text per call (Convex caps arguments at 16 MiB)


def to_node(d: dict) -> TreeNode:
    """Return the TreeNode of a tree:* result."""
    return TreeNode(
        id=d["id"],
        client_id=d["clientId"],
        parent_id=d["parentId"],
        level=d["level"],
        name=d["name"],
        slug=d["slug"],
        description=d["description"],
    )


def to_entry(d: dict) -> Entry:
    """Return the Entry of an entries:* or search:* result."""
    return Entry(
        id=d["id"],
        client_id=d["clientId"],
        tree_node_id=d["treeNodeId"],
        domain_id=d["domainId"],
        skill_id=d["skillId"],
        title=d["title"],
        content=d["content"],
        source_type=d["sourceType"],
        file_type=d["fileType"],
        locator=d["locator"],
        item_id=d["itemId"],
        content_hash=d["contentHash"],
        run_id=d["runId"],
        also_at=tuple(d.get("alsoAt") or ()),
    )


def to_post(d: dict) -> ForumPost:
    """Return the ForumPost of a forum:* result (Convex numbers are floats)."""
    return ForumPost(
        id=d["id"],
        source_type=d["sourceType"],
        phase=d["phase"],
        file_type=d["fileType"],
        title=d["title"],
        body=d["body"],
        origin_hash=d["originHash"],
        support_count=int(d["supportCount"]),
        kind=d.get("kind") or "",
        rule=d.get("rule") or "",
    )


def to_source_item(d: dict) -> SourceItem:
    """Return the SourceItem of an items:* result."""
    return SourceItem(
        client_id=d["clientId"],
        source_type=d["sourceType"],
        item_id=d["itemId"],
        revision=d["revision"],
        content_hash=d["contentHash"],
        status=d["status"],
        reason=d["reason"],
        last_seen_run_id=d["lastSeenRunId"],
    )


def item_args(i: SourceItem) -> dict[str, str]:
    """Return one row of an items:record call (the call names the client)."""
    return {
        "sourceType": i.source_type,
        "itemId": i.item_id,
        "revision": i.revision,
        "contentHash": i.content_hash,
        "status": i.status,
        "reason": i.reason,
        "lastSeenRunId": i.last_seen_run_id,
    }


def place_args(level: Level, name: str) -> dict[str, str]:
    """Return the {name, slug} of a tree place; LevelError when the name has no letters or digits."""
    name = " ".join(str(name).split())
    slug = slugify(name)
    if not slug:
        raise LevelError(f"a {level} needs a name with letters or digits, got {name!r}")
    return {"name": name, "slug": slug}


def entry_batches(drafts: list[EntryDraft]) -> Iterator[list[EntryDraft]]:
    """Split drafts into entries:upsert calls of at most ENTRY_BATCH drafts and ~ENTRY_BATCH_BYTES."""
    batch: list[EntryDraft] = []
    size = 0
    for d in drafts:
        weight = len(d.content) + len(d.title) + len(d.locator) + 512
        if batch and (len(batch) >= ENTRY_BATCH or size + weight > ENTRY_BATCH_BYTES):
            yield batch
            batch, size = [], 0
        batch.append(d)
        size += weight
    if batch:
        yield batch
