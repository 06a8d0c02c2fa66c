"""Fixtures shared by every test folder: a tiny export of each source kind."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


def make_tiny_sources(root: Path) -> list[dict]:
    """A small export of each kind: two mails (one with an attachment), two drive files, one sheet."""
    import mailbox
    from email.message import EmailMessage

    root.mkdir(parents=True, exist_ok=True)
    box = mailbox.mbox(str(root / "mail.mbox"))
    for n, (subject, body) in enumerate(
        [
            ("Quarterly budget", "The travel budget for Q3 is 12,500 dollars."),
            ("Re: Quarterly budget", "Approved. Invoice attached."),
        ]
    ):
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = "ann@example.com", "bob@example.com", subject
        msg["Message-ID"] = f"<m{n}@example.com>"
        msg["Date"] = f"Mon, 0{n + 1} Jan 2024 10:00:00 +0000"
        msg.set_content(body)
        if n == 1:
            msg.add_attachment(
                b"Invoice 77: consulting fee 900 dollars, due in 30 days.",
                maintype="text",
                subtype="plain",
                filename="invoice.txt",
            )
        box.add(msg)
    box.close()
    drive = root / "drive"
    (drive / "Legal").mkdir(parents=True, exist_ok=True)
    (drive / "Legal" / "nda.txt").write_text("This confidentiality agreement binds both parties for 2 years.")
    (drive / "HR").mkdir(exist_ok=True)
    (drive / "HR" / "handbook.md").write_text("# Leave policy\n\nEmployees get 25 days of paid leave.")
    sheets = root / "sheets"
    sheets.mkdir(exist_ok=True)
    (sheets / "Trades.csv").write_text("deal,volume,price\nD-1,10000,3.25\nD-2,5000,3.40\n")
    return [
        {"type": "gmail", "path": str(root / "mail.mbox")},
        {"type": "drive", "path": str(drive)},
        {"type": "sheets", "path": str(sheets)},
    ]


@pytest.fixture(scope="session", autouse=True)
def mail_index_dir(tmp_path_factory) -> Iterator[Path]:
    """Mail indexes go to a folder of this session, never to ~/.grove (set before any module fixture runs)."""
    folder = tmp_path_factory.mktemp("mail-index")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GROVE_MAIL_INDEX_DIR", str(folder))
        yield folder


@pytest.fixture
def tiny_sources(tmp_path):
    return make_tiny_sources(tmp_path / "export")
