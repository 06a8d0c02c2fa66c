"""Read a client's tree by name paths, and snapshot it whole with its entries for export."""

from __future__ import annotations

from kb.models import LEVELS, Entry, LevelError, TreeNode
from kb.slug import slugify
from kb.store import Store


def split_path(path: str | list[str] | tuple[str, ...]) -> list[str]:
    """Split "Domain/Skill/Group" (or a sequence of names) into at most three names."""
    raw = path.split("/") if isinstance(path, str) else list(path)
    parts = [p.strip() for p in raw if p and p.strip()]
    if len(parts) > len(LEVELS):
        raise LevelError(f"a tree path has at most three names (domain/skill/group), got {parts}")
    return parts


def resolve_path(store: Store, client_id: str, path: str | list[str] | tuple[str, ...]) -> list[TreeNode]:
    """Return the chain of nodes a name path designates, domain first; [] for the root.

    Each name matches a node's name in any case, or its slug, as subtree search does.
    Raises KeyError naming the first part that matches nothing.
    """
    chain: list[TreeNode] = []
    for part in split_path(path):
        parent = chain[-1].id if chain else None
        wanted = part.casefold()
        found = next(
            (n for n in store.children(client_id, parent) if n.name.casefold() == wanted or n.slug == slugify(part)),
            None,
        )
        if found is None:
            where = "/".join(n.name for n in chain) or "the top level"
            raise KeyError(f"no {LEVELS[len(chain)]} named {part!r} under {where}")
        chain.append(found)
    return chain


def entry_dict(entry: Entry) -> dict:
    """The fields of an entry a reader needs: what it says and where it came from."""
    return {
        "id": entry.id,
        "title": entry.title,
        "content": entry.content,
        "locator": entry.locator,
        "source_type": entry.source_type,
        "file_type": entry.file_type,
        "item_id": entry.item_id,
    }


def snapshot(store: Store, client_id: str) -> dict:
    """Return the client's whole tree as nested dicts, entries under their groups, in slug order.

    Two reads (nodes, entries) whatever the tree's size, so exports stay fast on large KBs.
    """
    nodes = store.tree(client_id)
    by_group: dict[str, list[dict]] = {}
    for entry in store.entries(client_id):
        by_group.setdefault(entry.tree_node_id, []).append(entry_dict(entry))
    children: dict[str | None, list[TreeNode]] = {}
    for node in nodes:
        children.setdefault(node.parent_id or None, []).append(node)

    def node_dict(node: TreeNode) -> dict:
        out = {
            "id": node.id,
            "level": node.level,
            "name": node.name,
            "slug": node.slug,
            "description": node.description,
        }
        if node.level == "entry_group":
            out["entries"] = by_group.get(node.id, [])
        else:
            out["children"] = [node_dict(c) for c in sorted(children.get(node.id, []), key=lambda n: n.slug)]
        return out

    domains = [node_dict(d) for d in sorted(children.get(None, []), key=lambda n: n.slug)]
    counts = {level: sum(n.level == level for n in nodes) for level in LEVELS}
    counts["entries"] = sum(len(v) for v in by_group.values())
    return {"client_id": client_id, "counts": counts, "tree": domains}
