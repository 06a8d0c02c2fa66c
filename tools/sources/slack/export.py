"""A Slack workspace export read into channels, users, messages (threads by thread_ts) and files."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from tools.sources.export_tree import ExportError, ExportTree

_DAY_FILE = re.compile(r"^\d{4}-\d{2}-\d{2}\.json$")
UPLOAD_FOLDERS = ("__uploads", "files")


@dataclass
class SlackChannel:
    meta: dict
    messages: list[dict] = field(default_factory=list)  # every message of the channel, oldest first


class SlackExport:
    """channels.json, users.json and `<channel>/<YYYY-MM-DD>.json` day files, plus uploaded files if present."""

    def __init__(self, root: str | Path) -> None:
        self.tree = ExportTree(root)
        names = set(self.tree.names())
        if "channels.json" not in names:
            raise ExportError(f"{root}: not a Slack export (no channels.json)")
        self.users = {u["id"]: u for u in self._json("users.json", []) if isinstance(u, dict) and u.get("id")}
        self.channels: dict[str, SlackChannel] = {}
        for meta in self._json("channels.json", []):
            if isinstance(meta, dict) and meta.get("id") and meta.get("name"):
                self.channels[str(meta["id"])] = SlackChannel(meta=meta)
        by_name = {c.meta["name"]: c for c in self.channels.values()}
        for rel in sorted(names):
            path = PurePosixPath(rel)
            if len(path.parts) == 2 and _DAY_FILE.match(path.name) and path.parts[0] in by_name:
                day = self._json(rel, [])
                by_name[path.parts[0]].messages.extend(m for m in day if isinstance(m, dict) and m.get("ts"))
        for channel in self.channels.values():
            channel.messages.sort(key=lambda m: float(m["ts"]))
        self.uploads = {
            PurePosixPath(rel).parts[1]: rel
            for rel in names
            if len(PurePosixPath(rel).parts) == 3 and PurePosixPath(rel).parts[0] in UPLOAD_FOLDERS
        }

    def _json(self, rel: str, default):
        if rel not in self.tree.sizes:
            return default
        try:
            return json.loads(self.tree.read(rel).decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise ExportError(f"{rel}: not valid JSON ({exc})") from None

    def channel(self, ref: str) -> SlackChannel | None:
        """A channel by id or by name (with or without '#')."""
        ref = str(ref or "").lstrip("#")
        return self.channels.get(ref) or next((c for c in self.channels.values() if c.meta["name"] == ref), None)

    def files(self) -> list[dict]:
        """Every shared file's metadata (first share wins), with the channels it was shared in."""
        found: dict[str, dict] = {}
        for cid, channel in sorted(self.channels.items()):
            for msg in channel.messages:
                for f in msg.get("files") or []:
                    if isinstance(f, dict) and f.get("id"):
                        row = found.setdefault(str(f["id"]), {**f, "channels": [], "timestamp": int(float(msg["ts"]))})
                        if cid not in row["channels"]:
                            row["channels"].append(cid)
        return [found[k] for k in sorted(found)]

    def file_bytes(self, file_id: str) -> bytes | None:
        """The uploaded bytes of a file, when the export carries them."""
        rel = next(
            (
                r
                for r in self.tree.names()
                if PurePosixPath(r).parts[:2] in [(folder, file_id) for folder in UPLOAD_FOLDERS]
            ),
            None,
        )
        return self.tree.read(rel) if rel else None
