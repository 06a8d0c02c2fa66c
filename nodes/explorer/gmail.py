"""Offline exploration of a Gmail source: list message ids, fetch new messages raw, then their attachments."""

from __future__ import annotations

import base64
import re
from pathlib import Path

from nodes.explorer.base import ExplorerBase, ToolFailure, safe_name
from nodes.state import Item
from tools.sources.remote_files import find_file
from tools.sources.slugs import Gmail


class GmailExploration(ExplorerBase):
    """Walks GMAIL_FETCH_EMAILS pages; a message id never changes content, so it is the revision."""

    def explore_gmail(self) -> None:
        args = {"max_results": self.ctx.page_size, "ids_only": True}
        for page in self.pages(Gmail.FETCH_EMAILS, args, "page_token", ("nextPageToken",)):
            messages = page.get("messages") or []
            self.listed += len(messages)
            self.emit("source_listed", source=self.key, listed=self.listed)
            for msg in messages:
                self.fetch_message(str(msg.get("messageId") or ""))

    def fetch_message(self, mid: str) -> None:
        locator = f"gmail:{mid}"
        if not self.wanted(mid) and mid not in self.only_parents:
            return
        # A message id never changes content, so it is the message's revision.
        if self.unchanged_since_last_run(mid, mid, locator):
            for item_id in self.children.get(mid, ()):
                self.seen.append(item_id)
                self.settle_unchanged(item_id, f"gmail:{item_id}")
            return
        if why := self.budget.refuse():
            self.skip(mid, locator, why)
            return
        try:
            meta = self.call(Gmail.FETCH_MESSAGE_BY_MESSAGE_ID, {"message_id": mid, "format": "metadata"})
            data = self.call(Gmail.FETCH_MESSAGE_BY_MESSAGE_ID, {"message_id": mid, "format": "raw"})
            raw = data.get("raw") or (data.get("payload") or {}).get("raw") or ""
            blob = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
            if not blob:
                raise ToolFailure("message has no raw content")
            if why := self.budget.refuse(len(blob)):
                self.skip(mid, locator, why)
                return
            path = self.sandbox.write_bytes(f"gmail/{safe_name(mid)}.eml", blob)
        except (ToolFailure, ValueError) as exc:
            self.fail(mid, locator, str(exc))
            return
        subject = str(meta.get("subject") or "(no subject)")
        labels = [str(x) for x in meta.get("labelIds") or []]
        thread = str(meta.get("threadId") or mid)
        if self.wanted(mid):
            self.add(
                Item(
                    item_id=mid,
                    kind="message",
                    name=subject,
                    revision=mid,
                    locator=locator,
                    hints=labels + [subject],
                    group_key=f"thread:{thread}",
                    group_name=subject_root(subject),
                    file_type="eml",
                ),
                path,
            )
        for att in meta.get("attachmentList") or []:
            self.fetch_attachment(mid, subject, labels, att)

    def fetch_attachment(self, mid: str, subject: str, labels: list[str], att: dict) -> None:
        name = str(att.get("filename") or att.get("name") or "attachment")
        aid = str(att.get("attachmentId") or att.get("id") or "")
        item_id = f"{mid}/{name}"
        locator = f"gmail:{mid}/{name}"
        if not self.wanted(item_id):
            return
        self.seen.append(item_id)
        if self.skip_by_rule(item_id, locator, name):
            return
        if why := self.budget.refuse(int(att.get("size") or 0)):
            self.skip(item_id, locator, why)
            return
        try:
            data = self.call(Gmail.GET_ATTACHMENT, {"message_id": mid, "attachment_id": aid, "file_name": name})
            file = find_file(data)
            path = self.materialise(
                file.get("s3url", ""), f"gmail/{safe_name(mid)}/{safe_name(name)}", file.get("mimetype", "")
            )
        except ToolFailure as exc:
            self.fail(item_id, locator, str(exc))
            return
        self.add(
            Item(
                item_id=item_id,
                kind="attachment",
                name=name,
                revision=mid,
                locator=locator,
                hints=labels + [subject, name],
                group_key=f"doc:{item_id}",
                group_name=Path(name).stem,
            ),
            path,
        )


def subject_root(subject: str) -> str:
    """A thread's name: the subject without reply and forward prefixes."""
    root = re.sub(r"^\s*((re|fw|fwd|aw|tr)\s*(\[\d+\])?\s*:\s*)+", "", subject, flags=re.I).strip()
    return root or "(no subject)"
