"""An in-memory index of a local folder tree, shaped like Google Drive file resources."""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from tools.sources.local_tree import TreeEntry, walk_tree
from tools.sources.mime import FOLDER, guess_mime
from tools.sources.stable_id import stable_id

ROOT_ID = "root"


def drive_file_id(rel: str) -> str:
    """Return the id of the item at POSIX path `rel` under the root."""
    return stable_id(rel)


def rfc3339(timestamp: float) -> str:
    """Return a POSIX timestamp as Drive writes times, e.g. 2002-02-01T10:00:00.000Z."""
    moment = datetime.fromtimestamp(timestamp, timezone.utc)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class DriveIndex:
    """Folders and files under `root`, listed once; checksums computed on demand."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        if not self.root.is_dir():
            raise FileNotFoundError(f"drive folder not found: {self.root}")
        self._entries: dict[str, TreeEntry] = {}
        self._items: list[dict[str, Any]] = []
        self._by_id: dict[str, dict[str, Any]] = {}
        self._md5: dict[str, str] = {}
        for entry in walk_tree(self.root):
            item = self._item(entry)
            self._entries[item["id"]] = entry
            self._items.append(item)
            self._by_id[item["id"]] = item

    @property
    def items(self) -> list[dict[str, Any]]:
        """Every folder and file (the root excluded), parents before children."""
        return self._items

    def entry(self, file_id: str) -> TreeEntry | None:
        """Return the tree entry behind `file_id`, or None."""
        return self._entries.get(file_id)

    def metadata(self, file_id: str) -> dict[str, Any] | None:
        """Return the full resource for `file_id` (with md5Checksum), or None."""
        if file_id == ROOT_ID:
            return {
                "kind": "drive#file",
                "id": ROOT_ID,
                "name": "My Drive",
                "mimeType": FOLDER,
                "parents": [],
                "trashed": False,
                "starred": False,
            }
        entry = self._entries.get(file_id)
        if entry is None:
            return None
        item = dict(self._by_id[file_id])
        if not entry.is_dir:
            item["md5Checksum"] = self.md5(file_id)
        return item

    def md5(self, file_id: str) -> str:
        """Return the MD5 hex digest of a file, cached."""
        if file_id not in self._md5:
            digest = hashlib.md5(usedforsecurity=False)
            with self._entries[file_id].path.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
            self._md5[file_id] = digest.hexdigest()
        return self._md5[file_id]

    def with_checksums(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Return copies of `items` with md5Checksum filled in for files."""
        out = []
        for item in items:
            item = dict(item)
            if item["mimeType"] != FOLDER:
                item["md5Checksum"] = self.md5(item["id"])
            out.append(item)
        return out

    def _item(self, entry: TreeEntry) -> dict[str, Any]:
        parent = entry.rel.rpartition("/")[0]
        name = entry.rel.rpartition("/")[2]
        item: dict[str, Any] = {
            "kind": "drive#file",
            "id": drive_file_id(entry.rel),
            "name": name,
            "mimeType": FOLDER if entry.is_dir else guess_mime(name),
            "parents": [drive_file_id(parent) if parent else ROOT_ID],
            "modifiedTime": rfc3339(entry.mtime),
            "trashed": False,
            "starred": False,
        }
        if not entry.is_dir:
            item["size"] = str(entry.size)
            if "." in name.strip("."):
                item["fileExtension"] = name.rsplit(".", 1)[1]
        return item
