"""A KB where the same words sit in two domains and in another client's tree, to test scoping."""

from __future__ import annotations

import pytest

from kb.models import EntryDraft, ForumDraft
from kb.sqlite.store import SqliteStore

ENTRIES = {
    "acme": [
        (
            "Finance",
            "Invoices",
            "Supplier invoices",
            "Invoice 77",
            "Invoice 77: consulting fee of 900 dollars.",
            "gmail:<m7@acme.test>/invoice.pdf#page=1",
        ),
        (
            "Finance",
            "Payroll",
            "March run",
            "March payroll",
            "Payroll for March totals 41,200 dollars.",
            "sheets:Payroll/March#rows=2-40",
        ),
        (
            "Legal",
            "Contracts",
            "Consulting agreement",
            "Fee clause",
            "The consulting fee is invoiced monthly.",
            "drive:Legal/consulting.docx#paragraphs=3-5",
        ),
    ],
    "globex": [
        (
            "Finance",
            "Invoices",
            "Vendors",
            "Globex invoice",
            "Invoice 12: consulting fee of 5,000 dollars.",
            "drive:globex/invoice-12.pdf#page=1",
        ),
    ],
}


@pytest.fixture
def kb_store(tmp_path):
    """An open SQLite store with clients 'acme' and 'globex' and two forum posts; path in `.path`."""
    store = SqliteStore(tmp_path / "kb.db")
    for client, rows in ENTRIES.items():
        store.upsert_entries(
            client,
            [
                EntryDraft(
                    domain=d,
                    skill=s,
                    group=g,
                    title=t,
                    content=c,
                    source_type=loc.split(":")[0],
                    file_type="txt",
                    locator=loc,
                    item_id=f"{client}-{n}",
                )
                for n, (d, s, g, t, c, loc) in enumerate(rows)
            ],
            "run-1",
        )
    store.post_forum(
        [
            ForumDraft("drive", "structure", "pdf", "Scanned pdf", "Scanned pdf files have no text layer."),
            ForumDraft("gmail", "explore", "", "Paging", "Follow nextPageToken until it is empty."),
        ]
    )
    yield store
    store.close()
