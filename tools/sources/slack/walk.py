"""How both explorer brains walk a Slack source: channels, then each channel's days with their threads, then files.

A channel-day is one item: a JSON conversation document (tools.parsers.exported reads it, one
section per thread). Walk functions take the explorer's hands (nodes.explorer.base.ExplorerBase).
"""

from __future__ import annotations

import datetime
import json

from tools.sources.downloads import safe_name
from tools.sources.errors import ToolFailure
from tools.sources.registry import Hands
from tools.sources.remote_files import find_file
from tools.sources.slugs import Slack

HISTORY = Slack.FETCH_CONVERSATION_HISTORY


def walk(hands: Hands) -> None:
    """List every channel, save each channel's days, then every shared file."""
    for cid in sorted(_channels(hands)):
        fetch_channel(hands, cid)
    files = _files(hands)
    hands.listed += len(files)
    for f in files:
        fetch_file(hands, f)


def units(tool: str, args: dict, data: dict) -> dict[str, str]:
    """Units a tool result lists: channels (by id) and files (by id)."""
    if tool == Slack.LIST_ALL_CHANNELS:
        return {str(c["id"]): f"#{c.get('name', c['id'])}" for c in data.get("channels") or [] if c.get("id")}
    if tool == Slack.LIST_FILES_WITH_FILTERS_IN_SLACK:
        return {str(f["id"]): str(f.get("name") or f["id"]) for f in data.get("files") or [] if f.get("id")}
    return {}


def download_unit(tool: str, args: dict) -> str | None:
    """A whole-channel history call or a file download is a download; anything narrower is a sample."""
    if (
        tool == HISTORY
        and args.get("channel")
        and not any(args.get(k) for k in ("limit", "cursor", "oldest", "latest"))
    ):
        return str(args["channel"])
    if tool == Slack.DOWNLOAD_SLACK_FILE and args.get("file"):
        return str(args["file"])
    return None


def fetch_unit(hands: Hands, unit: str) -> None:
    """Download one channel (all its days) or one file."""
    channels = _channels(hands)
    ref = unit.lstrip("#")
    cid = ref if ref in channels else next((k for k, c in channels.items() if c.get("name") == ref), "")
    if cid:
        fetch_channel(hands, cid)
        return
    meta = next((f for f in _files(hands) if f["id"] == unit), None)
    if meta is None:
        hands.fail(unit, f"slack:{unit}", f"not a listed channel or file: {unit!r}")
        return
    fetch_file(hands, meta)


def _channels(hands: Hands) -> dict[str, dict]:
    if "slack_channels" not in hands.state:
        found: dict[str, dict] = {}
        for page in _cursor_pages(hands, Slack.LIST_ALL_CHANNELS, {"limit": hands.ctx.page_size}):
            for c in page.get("channels") or []:
                found[str(c["id"])] = c
        hands.state["slack_channels"] = found
    return hands.state["slack_channels"]


def _users(hands: Hands) -> dict[str, str]:
    if "slack_users" not in hands.state:
        names: dict[str, str] = {}
        try:
            for page in _cursor_pages(hands, Slack.LIST_ALL_USERS, {"limit": 200}):
                for u in page.get("members") or []:
                    profile = u.get("profile") or {}
                    names[str(u.get("id"))] = str(profile.get("real_name") or u.get("real_name") or u.get("name") or "")
        except ToolFailure:
            pass  # names are a nicety: messages keep their user ids
        hands.state["slack_users"] = names
    return hands.state["slack_users"]


def _cursor_pages(hands: Hands, tool: str, args: dict):
    cursor, seen = "", set()
    while True:
        page = hands.call(tool, {**args, "cursor": cursor} if cursor else dict(args))
        yield page
        cursor = str((page.get("response_metadata") or {}).get("next_cursor") or "")
        if not cursor or cursor in seen:
            return
        seen.add(cursor)


def _files(hands: Hands) -> list[dict]:
    if "slack_files" not in hands.state:
        files, page = [], 1
        while True:
            data = hands.call(Slack.LIST_FILES_WITH_FILTERS_IN_SLACK, {"count": hands.ctx.page_size, "page": page})
            files.extend(f for f in data.get("files") or [] if f.get("id"))
            if page >= int((data.get("paging") or {}).get("pages") or 1):
                break
            page += 1
        hands.state["slack_files"] = sorted(files, key=lambda f: f["id"])
    return hands.state["slack_files"]


def _day(ts: str) -> str:
    return datetime.datetime.fromtimestamp(float(ts), datetime.timezone.utc).strftime("%Y-%m-%d")


def _line(msg: dict, users: dict[str, str]) -> str:
    when = datetime.datetime.fromtimestamp(float(msg["ts"]), datetime.timezone.utc).strftime("%H:%M")
    profile = msg.get("user_profile") or {}
    who = (
        users.get(str(msg.get("user")))
        or profile.get("real_name")
        or msg.get("username")
        or msg.get("user")
        or "unknown"
    )
    files = [str(f.get("name") or f.get("title")) for f in msg.get("files") or [] if isinstance(f, dict)]
    text = str(msg.get("text") or "").strip()
    if files:
        text += (" " if text else "") + "[files: " + ", ".join(files) + "]"
    return f"{when} {who}: {text}"


def fetch_channel(hands: Hands, cid: str) -> None:
    """Read a channel's timeline and threads and keep one conversation document per day."""
    meta = _channels(hands).get(cid) or {"id": cid, "name": cid}
    name = str(meta.get("name") or cid)
    try:
        parents = [
            m
            for page in _cursor_pages(hands, HISTORY, {"channel": cid, "limit": 200})
            for m in page.get("messages") or []
        ]
        threads: dict[str, list[dict]] = {}
        for msg in parents:
            if msg.get("reply_count"):
                replies = [
                    m
                    for page in _cursor_pages(
                        hands, Slack.FETCH_MESSAGE_THREAD_FROM_A_CONVERSATION, {"channel": cid, "ts": msg["ts"]}
                    )
                    for m in page.get("messages") or []
                    if m.get("ts") != msg["ts"]
                ]
                threads[msg["ts"]] = replies
    except ToolFailure as exc:
        hands.fail(cid, f"slack:#{name}", str(exc))
        return
    users = _users(hands)
    days: dict[str, list[dict]] = {}
    for msg in sorted(parents, key=lambda m: float(m["ts"])):
        days.setdefault(_day(msg["ts"]), []).append(msg)
    hands.listed += len(days)
    hands.emit("source_listed", source=hands.key, listed=hands.listed)
    topic = str((meta.get("purpose") or {}).get("value") or (meta.get("topic") or {}).get("value") or "")
    for day, msgs in sorted(days.items()):
        item_id, locator = f"{cid}/{day}", f"slack:#{name}/{day}"
        revision = max(max(float(m["ts"]), float(m.get("latest_reply") or 0)) for m in msgs)
        if not hands.wanted(item_id) or hands.unchanged_since_last_run(item_id, f"{revision:.6f}"):
            continue
        doc = {
            "kind": "conversation",
            "title": f"#{name} {day}",
            "channel": name,
            "topic": topic,
            "day": day,
            "threads": [
                {"ts": m["ts"], "lines": [_line(m, users)] + [_line(r, users) for r in threads.get(m["ts"], [])]}
                for m in msgs
            ],
        }
        blob = json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")
        hands.keep_bytes(
            {
                "item_id": item_id,
                "kind": "conversation",
                "name": f"#{name} {day}",
                "revision": f"{revision:.6f}",
                "locator": locator,
                "hints": [name, topic],
                "group_key": f"channel:{cid}",
                "group_name": f"#{name}",
                "file_type": "json",
            },
            f"slack/{safe_name(name)}/{day}.json",
            blob,
        )


def fetch_file(hands: Hands, meta: dict) -> None:
    """Download one shared file into the workspace."""
    fid, name = str(meta["id"]), str(meta.get("name") or meta["id"])
    locator = f"slack:files/{name}"
    revision = str(meta.get("updated") or meta.get("timestamp") or meta.get("created") or "")
    if not hands.wanted(fid) or hands.unchanged_since_last_run(fid, revision):
        return
    if any(i["item_id"] == fid for i in hands.items):
        return
    channels = _channels(hands)
    where = [str(channels.get(c, {}).get("name") or c) for c in meta.get("channels") or []]
    try:
        data = hands.call(Slack.DOWNLOAD_SLACK_FILE, {"file": fid})
    except ToolFailure as exc:
        hands.fail(fid, locator, str(exc))
        return
    hands.keep_download(
        {
            "item_id": fid,
            "kind": "file",
            "name": name,
            "revision": revision,
            "locator": locator,
            "hints": where + [str(meta.get("title") or name)],
            "group_key": f"doc:{fid}",
            "group_name": name.rsplit(".", 1)[0],
        },
        find_file(data),
        f"slack/files/{safe_name(fid)}/{safe_name(name)}",
        int(meta.get("size") or 0),
    )
