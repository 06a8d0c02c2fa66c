"""Map the Convex functions' camelCase documents to the kb.models dataclasses, and back."""

from __future__ import annotations

from kb.models import Entry, ForumPost, SourceItem, TreeNode


def to_node(d: dict) -> TreeNode:
    """Return the TreeNode of a tree:* result."""
    return TreeNode(id=d["id"], client_id=d["clientId"], parent_id=d["parentId"], level=d["level"],
                    name=d["name"], slug=d["slug"], description=d["description"])


def to_entry(d: dict) -> Entry:
    """Return the Entry of an entries:* or search:* result."""
    return Entry(id=d["id"], client_id=d["clientId"], tree_node_id=d["treeNodeId"],
                 domain_id=d["domainId"], skill_id=d["skillId"], title=d["title"],
                 content=d["content"], source_type=d["sourceType"], file_type=d["fileType"],
                 locator=d["locator"], item_id=d["itemId"], content_hash=d["contentHash"],
                 run_id=d["runId"])


def to_post(d: dict) -> ForumPost:
    """Return the ForumPost of a forum:* result (Convex numbers are floats)."""
    return ForumPost(id=d["id"], source_type=d["sourceType"], phase=d["phase"],
                     file_type=d["fileType"], title=d["title"], body=d["body"],
                     origin_hash=d["originHash"], support_count=int(d["supportCount"]))


def to_source_item(d: dict) -> SourceItem:
    """Return the SourceItem of an items:* result."""
    return SourceItem(client_id=d["clientId"], source_type=d["sourceType"], item_id=d["itemId"],
                      revision=d["revision"], content_hash=d["contentHash"], status=d["status"],
                      reason=d["reason"], last_seen_run_id=d["lastSeenRunId"])


def item_args(i: SourceItem) -> dict[str, str]:
    """Return the items:record argument of a ledger row."""
    return {"clientId": i.client_id, "sourceType": i.source_type, "itemId": i.item_id,
            "revision": i.revision, "contentHash": i.content_hash, "status": i.status,
            "reason": i.reason, "lastSeenRunId": i.last_seen_run_id}
