"""A small KB of two clients, with entry text that HTML and Markdown must not take as markup."""

from __future__ import annotations

import pytest

from kb.models import EntryDraft
from kb.sqlite.store import SqliteStore

ROWS = [
    # domain, skill, group, title, content, locator
    (
        "Finance",
        "Payroll",
        "March run",
        "Payroll summary",
        "Payroll for March totals 41,200 dollars.",
        "sheets:Payroll 2024/March#rows=2-40",
    ),
    (
        "Finance",
        "Payroll",
        "March run",
        "Bonus note <b>Q1</b>",
        'Bonus "pool" & <script>alert(1)</script> </pre>',
        "gmail:<m1@example.com>#body",
    ),
    (
        "Finance",
        "Tax",
        "VAT returns",
        "VAT return Q1",
        "The VAT return was filed with the zebrafish code.\n```\nraw\n```",
        "drive:Tax/vat-q1.pdf#page=2",
    ),
    (
        "Legal",
        "Contracts",
        "NDA",
        "Mutual NDA",
        "This confidentiality agreement binds both parties for 2 years.",
        "drive:Legal/nda.docx#paragraphs=1-4",
    ),
]


@pytest.fixture
def kb_db(tmp_path):
    """A SQLite KB holding client 'exp' (the rows above) and client 'other' (one private entry)."""
    db = tmp_path / "kb.db"
    with SqliteStore(db) as store:
        drafts = [
            EntryDraft(
                domain=d,
                skill=s,
                group=g,
                title=t,
                content=c,
                source_type=loc.split(":")[0],
                file_type="txt",
                locator=loc,
                item_id=f"item-{n}",
            )
            for n, (d, s, g, t, c, loc) in enumerate(ROWS)
        ]
        store.upsert_entries("exp", drafts, "run-1")
        store.upsert_entries(
            "other",
            [
                EntryDraft(
                    domain="Secret",
                    skill="Hidden",
                    group="G",
                    title="Other client",
                    content="zebrafish belongs to another client",
                    source_type="drive",
                    file_type="txt",
                    locator="drive:other.txt",
                    item_id="o1",
                )
            ],
            "run-1",
        )
    return str(db)
