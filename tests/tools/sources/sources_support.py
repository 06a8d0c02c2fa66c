"""Helpers for the source connector tests: sample paths, a download sink, small mailboxes."""

from __future__ import annotations

import mailbox
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "examples" / "client-a-enron"
REFERENCE = ROOT.parent / "shared" / "reference" / "composio"


class DirSink:
    """A DownloadSink writing under one folder, recording what it wrote."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.written: list[str] = []

    def write_bytes(self, rel: str, data: bytes) -> Path:
        target = (self.root / rel).resolve()
        assert target.is_relative_to(self.root.resolve()), rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        self.written.append(rel)
        return target


def make_message(
    subject: str,
    sender: str,
    to: str,
    date: str,
    body: str,
    *,
    message_id: str,
    in_reply_to: str = "",
    labels: str = "",
    attachment: tuple[str, str, bytes] | None = None,
) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"], msg["From"], msg["To"], msg["Date"] = subject, sender, to, date
    msg["Message-ID"] = message_id
    if in_reply_to:
        msg["In-Reply-To"] = msg["References"] = in_reply_to
    if labels:
        msg["X-Gmail-Labels"] = labels
    msg.set_content(body)
    if attachment:
        name, ctype, data = attachment
        maintype, subtype = ctype.split("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
        msg.set_boundary("grove-test-boundary")  # fixed, so every copy has the same bytes
    return msg


PDF_BYTES = b"%PDF-1.4\n% tiny test attachment\n" + bytes(range(256))


def write_mbox(path: Path) -> Path:
    """Write small_messages() as an mbox at `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    box = mailbox.mbox(path)
    for msg in small_messages():
        box.add(msg)
    box.flush()
    box.close()
    return path


def small_messages() -> list[EmailMessage]:
    return [
        make_message(
            "Budget 2002",
            "Alice <alice@example.org>",
            "bob@example.org",
            "Mon, 07 Jan 2002 09:00:00 -0600",
            "Draft budget attached.",
            message_id="<m1@example.org>",
            labels="Inbox,Finance,Opened",
            attachment=("budget.pdf", "application/pdf", PDF_BYTES),
        ),
        make_message(
            "Re: Budget 2002",
            "Bob <bob@example.org>",
            "alice@example.org",
            "Tue, 08 Jan 2002 10:00:00 -0600",
            "Looks fine, approve the pipeline capex.",
            message_id="<m2@example.org>",
            in_reply_to="<m1@example.org>",
            labels="Sent",
        ),
        make_message(
            "Lunch",
            "Carol <carol@example.org>",
            "alice@example.org",
            "Wed, 20 Feb 2002 12:00:00 +0000",
            "Noon at the usual place?",
            message_id="<m3@example.org>",
            labels="Inbox,Unread,Spam",
        ),
    ]
