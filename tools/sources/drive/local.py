"""The Google Drive read tools, served from a local folder tree."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from tools.sources.connector import Handler, LocalConnector
from tools.sources.downloads import DownloadSink, save_download
from tools.sources.drive.index import ROOT_ID, DriveIndex
from tools.sources.drive.order import sort_items
from tools.sources.drive.query import QueryError, compile_query
from tools.sources.envelope import fail, ok
from tools.sources.mime import FOLDER
from tools.sources.paging import BadPageToken, take_page
from tools.sources.slugs import Drive

Envelope = dict[str, Any]


class LocalDrive(LocalConnector):
    """Answers GOOGLEDRIVE_* read slugs over the folder tree at `root`."""

    def __init__(self, root: str | Path, downloads: DownloadSink) -> None:
        self.root = Path(root)
        self.downloads = downloads
        self._index: DriveIndex | None = None
        self._lock = threading.RLock()

    @property
    def index(self) -> DriveIndex:
        """The tree index, built on first use."""
        if self._index is None:
            self._index = DriveIndex(self.root)
        return self._index

    label = "the local Drive"

    def handlers(self) -> dict[str, Handler]:
        """The tool slugs this connector serves and their handlers."""
        return {
            Drive.LIST_FILES: self.list_files,
            Drive.FIND_FILE: self.find_file,
            Drive.GET_FILE_METADATA: self.get_file_metadata,
            Drive.DOWNLOAD_FILE: self.download_file,
        }

    def list_files(self, args: dict[str, Any]) -> Envelope:
        """List items matching `q` and/or `folderId`, one page at a time."""
        return self._listing(args.get("q"), args.get("folderId"), args, bare_text=False)

    def find_file(self, args: dict[str, Any]) -> Envelope:
        """Search like list_files; plain words in `q` match file names."""
        return self._listing(args.get("q"), args.get("folder_id"), args, bare_text=True)

    def get_file_metadata(self, args: dict[str, Any]) -> Envelope:
        """Return one item's metadata by `fileId`."""
        file_id = str(args.get("fileId") or "")
        item = self.index.metadata(file_id)
        return ok(item) if item else fail(f"file not found: {file_id!r}")

    def download_file(self, args: dict[str, Any]) -> Envelope:
        """Copy one file into the download sink; return where it went."""
        file_id = str(args.get("fileId") or "")
        item = self.index.metadata(file_id)
        if item is None:
            return fail(f"file not found: {file_id!r}")
        if item["mimeType"] == FOLDER:
            return fail(f"{file_id!r} ({item['name']}) is a folder and cannot be downloaded")
        data = self.index.entry(file_id).path.read_bytes()
        path = save_download(self.downloads, "googledrive", file_id, item["name"], data)
        content = {"name": item["name"], "mimetype": item["mimeType"], "s3url": path}
        return ok(
            {
                "downloaded_file_content": content,
                "id": file_id,
                "kind": "drive#file",
                "mimeType": item["mimeType"],
                "name": item["name"],
            }
        )

    def _listing(self, q: Any, folder: Any, args: dict[str, Any], *, bare_text: bool) -> Envelope:
        predicates = []
        if folder:
            if folder != ROOT_ID and self.index.entry(str(folder)) is None:
                return fail(f"folder not found: {folder!r}")
            predicates.append(lambda item: folder in item["parents"])
        if q and str(q).strip():
            try:
                predicates.append(compile_query(str(q)))
            except QueryError:
                if not bare_text or "'" in str(q):
                    raise
                words = str(q).lower().split()
                predicates.append(lambda item: all(w in item["name"].lower() for w in words))
        matches = [i for i in self.index.items if all(p(i) for p in predicates)]
        matches = sort_items(matches, args.get("orderBy"))
        try:
            page, next_token = take_page(matches, args.get("pageToken"), _page_size(args.get("pageSize")))
        except BadPageToken as exc:
            return fail(str(exc))
        data: dict[str, Any] = {
            "kind": "drive#fileList",
            "incompleteSearch": False,
            "files": self.index.with_checksums(page),
        }
        if next_token:
            data["nextPageToken"] = next_token
        return ok(data)


def _page_size(value: Any) -> int:
    size = int(value) if value not in (None, "") else 100
    return min(max(size, 1), 1000)
