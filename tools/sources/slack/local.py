"""The Slack read tools (Composio slugs, Slack Web API shapes), served from a workspace export."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from tools.sources.connector import Handler, LocalConnector
from tools.sources.downloads import DownloadSink, save_download
from tools.sources.envelope import fail, ok
from tools.sources.export_tree import ExportError
from tools.sources.paging import BadPageToken, take_page
from tools.sources.slack.export import SlackExport
from tools.sources.slugs import Slack

Envelope = dict[str, Any]


def _size(value: Any, default: int, most: int = 1000) -> int:
    return min(max(int(value or default), 1), most)


def _page(items: list, args: dict, default: int) -> tuple[list, dict]:
    page, token = take_page(items, args.get("cursor") or None, _size(args.get("limit"), default))
    return page, {"next_cursor": token or ""}


class LocalSlack(LocalConnector):
    """Answers SLACK_* read slugs over the export at `root` (a folder or a zip)."""

    def __init__(self, root: str | Path, downloads: DownloadSink) -> None:
        self.root, self.downloads = Path(root), downloads
        self._export: SlackExport | None = None
        self._lock = threading.RLock()

    @property
    def export(self) -> SlackExport:
        if self._export is None:
            self._export = SlackExport(self.root)
        return self._export

    label = "the local Slack export"
    prefixed_errors = (BadPageToken, ExportError, OSError, ValueError)

    def handlers(self) -> dict[str, Handler]:
        """The tool slugs this connector serves and their handlers."""
        return {
            Slack.LIST_ALL_CHANNELS: self.list_channels,
            Slack.FETCH_CONVERSATION_HISTORY: self.history,
            Slack.FETCH_MESSAGE_THREAD_FROM_A_CONVERSATION: self.thread,
            Slack.LIST_ALL_USERS: self.users,
            Slack.LIST_FILES_WITH_FILTERS_IN_SLACK: self.list_files,
            Slack.DOWNLOAD_SLACK_FILE: self.download_file,
        }

    def list_channels(self, args: dict) -> Envelope:
        """Channels (public ones in an export), sorted by name, one cursor page at a time."""
        rows = []
        for c in sorted(self.export.channels.values(), key=lambda c: c.meta["name"]):
            if args.get("exclude_archived") and c.meta.get("is_archived"):
                continue
            rows.append(
                {**c.meta, "is_channel": True, "is_private": False, "num_members": len(c.meta.get("members") or [])}
            )
        page, meta = _page(rows, args, 100)
        return ok({"ok": True, "channels": page, "response_metadata": meta})

    def history(self, args: dict) -> Envelope:
        """Main-timeline messages of a channel, newest first, within oldest/latest."""
        channel = self._channel(args)
        oldest, latest = float(args.get("oldest") or 0), float(args.get("latest") or 0) or float("inf")
        main = [
            m for m in channel.messages if m.get("thread_ts") in (None, m["ts"]) and oldest <= float(m["ts"]) <= latest
        ]
        main.reverse()
        page, meta = _page(main, args, 100)
        return ok(
            {
                "ok": True,
                "messages": [self._message(m, channel) for m in page],
                "has_more": bool(meta["next_cursor"]),
                "pin_count": 0,
                "response_metadata": meta,
            }
        )

    def thread(self, args: dict) -> Envelope:
        """A thread's parent and replies, oldest first."""
        channel = self._channel(args)
        ts = str(args.get("ts") or "")
        msgs = [m for m in channel.messages if m["ts"] == ts or m.get("thread_ts") == ts]
        if not any(m["ts"] == ts for m in msgs):
            return fail(f"thread_not_found: no message {ts!r} in #{channel.meta['name']}")
        page, meta = _page(msgs, args, 1000)
        return ok(
            {
                "ok": True,
                "messages": [self._message(m, channel) for m in page],
                "has_more": bool(meta["next_cursor"]),
                "response_metadata": meta,
            }
        )

    def users(self, args: dict) -> Envelope:
        """Workspace members with their profiles."""
        page, meta = _page([self.export.users[k] for k in sorted(self.export.users)], args, 200)
        return ok({"ok": True, "members": page, "response_metadata": meta})

    def list_files(self, args: dict) -> Envelope:
        """Shared files' metadata, filtered by channel and time, page/count pagination."""
        channel = self._channel(args) if args.get("channel") else None
        lo, hi = float(args.get("ts_from") or 0), float(args.get("ts_to") or 0) or float("inf")
        files = [
            f
            for f in self.export.files()
            if (channel is None or channel.meta["id"] in f["channels"]) and lo <= f["timestamp"] <= hi
        ]
        count, page = _size(args.get("count"), 100), max(int(args.get("page") or 1), 1)
        pages = max(1, -(-len(files) // count))
        shown = files[(page - 1) * count : page * count]
        return ok(
            {"ok": True, "files": shown, "paging": {"count": count, "total": len(files), "page": page, "pages": pages}}
        )

    def download_file(self, args: dict) -> Envelope:
        """Save one shared file's bytes into the download sink and say where."""
        fid = str(args.get("file") or "")
        meta = next((f for f in self.export.files() if f["id"] == fid), None)
        if meta is None:
            return fail(f"file_not_found: {fid!r}")
        data = self.export.file_bytes(fid)
        if data is None:
            return fail(f"file {fid!r} ({meta.get('name')}): the export holds no bytes for it")
        name = str(meta.get("name") or fid)
        path = save_download(self.downloads, "slack", fid, name, data)
        return ok(
            {
                "ok": True,
                "file": meta,
                "downloaded_file_content": {"name": name, "mimetype": meta.get("mimetype", ""), "s3url": path},
            }
        )

    def _channel(self, args: dict):
        channel = self.export.channel(str(args.get("channel") or ""))
        if channel is None:
            raise ValueError(f"channel_not_found: {args.get('channel')!r}")
        return channel

    def _message(self, msg: dict, channel) -> dict:
        out = {k: v for k, v in msg.items() if k != "replies"}
        out.setdefault("type", "message")
        if msg.get("thread_ts") == msg["ts"] or msg.get("reply_count"):
            replies = [m for m in channel.messages if m.get("thread_ts") == msg["ts"] and m["ts"] != msg["ts"]]
            out.update(
                thread_ts=msg["ts"],
                reply_count=len(replies),
                latest_reply=replies[-1]["ts"] if replies else msg["ts"],
                reply_users=sorted({str(r.get("user")) for r in replies if r.get("user")}),
            )
        return out
