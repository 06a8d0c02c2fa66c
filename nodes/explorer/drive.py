"""Offline exploration of a Drive source: list the whole tree, download files the ledger has not seen."""

from __future__ import annotations

from pathlib import Path

from nodes.explorer.base import ExplorerBase, ToolFailure, safe_name
from nodes.state import Item
from tools.sources.remote_files import find_file
from tools.sources.slugs import Drive


class DriveExploration(ExplorerBase):
    """Walks GOOGLEDRIVE_LIST_FILES pages; a file's modified time is its revision."""

    def explore_drive(self) -> None:
        folders: dict[str, tuple[str, str]] = {}
        files: list[dict] = []
        args = {"q": "trashed = false", "pageSize": self.ctx.page_size}
        for page in self.pages(Drive.LIST_FILES, args, "pageToken", ("nextPageToken",)):
            for f in page.get("files") or []:
                parent = (f.get("parents") or ["root"])[0]
                if f.get("mimeType") == "application/vnd.google-apps.folder":
                    folders[f["id"]] = (f.get("name", ""), parent)
                else:
                    files.append(f)
            self.listed = len(files)
            self.emit("source_listed", source=self.key, listed=self.listed)
        for f in sorted(files, key=lambda f: f["id"]):
            self.download_file(f, folder_path(folders, (f.get("parents") or ["root"])[0]))

    def download_file(self, f: dict, folders: list[str]) -> None:
        name = str(f.get("name") or f["id"])
        rel = "/".join(folders + [name])
        locator = f"drive:{rel}"
        revision = str(f.get("modifiedTime") or f.get("md5Checksum") or "")
        if not self.wanted(f["id"]) or self.unchanged_since_last_run(f["id"], revision, locator):
            return
        if self.skip_by_rule(f["id"], locator, name):
            return
        if why := self.budget.refuse(int(f.get("size") or 0)):
            self.skip(f["id"], locator, why)
            return
        try:
            data = self.call(Drive.DOWNLOAD_FILE, {"fileId": f["id"]})
            file = find_file(data)
            path = self.materialise(
                file.get("s3url", ""), f"drive/{f['id']}/{safe_name(name)}", file.get("mimetype", "")
            )
        except ToolFailure as exc:
            self.fail(f["id"], locator, str(exc))
            return
        self.add(
            Item(
                item_id=f["id"],
                kind="file",
                name=name,
                revision=revision,
                locator=locator,
                hints=folders + [name],
                group_key=f"doc:{f['id']}",
                group_name=Path(name).stem,
            ),
            path,
        )


def folder_path(folders: dict[str, tuple[str, str]], folder_id: str) -> list[str]:
    """Names of the folders from the root down to `folder_id` (cycles cut)."""
    names: list[str] = []
    seen: set[str] = set()
    while folder_id in folders and folder_id not in seen:
        seen.add(folder_id)
        name, folder_id = folders[folder_id]
        names.append(name)
    return names[::-1]
