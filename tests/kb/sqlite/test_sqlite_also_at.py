"""Merged duplicates keep their locators: also_at is stored, read back, and added to older files."""

import sqlite3

from kb.models import EntryDraft
from kb.sqlite.store import SqliteStore


def _draft(**kw) -> EntryDraft:
    base = dict(
        domain="Legal",
        skill="Contracts",
        group="NDA",
        title="Term",
        content="Two years.",
        source_type="gmail",
        file_type="pdf",
        locator="gmail:m1/nda.pdf#page=1",
        item_id="m1/nda.pdf",
    )
    return EntryDraft(**{**base, **kw})


def test_also_at_round_trips(tmp_path):
    with SqliteStore(tmp_path / "kb.db") as store:
        store.upsert_entries("c", [_draft(also_at=("gmail:m2/nda.pdf#page=1", "gmail:m2/nda.pdf#page=1"))], "r1")
        (entry,) = store.entries("c")
        assert entry.also_at == ("gmail:m2/nda.pdf#page=1",)
        store.upsert_entries("c", [_draft(content="Other.", locator="drive:x.pdf#page=2")], "r1")
        assert sorted(e.also_at for e in store.entries("c")) == [(), ("gmail:m2/nda.pdf#page=1",)]


def test_a_file_from_before_gets_the_column(tmp_path):
    path = tmp_path / "old.db"
    with SqliteStore(path) as store:
        store.upsert_entries("c", [_draft()], "r1")
    conn = sqlite3.connect(path)
    conn.executescript("ALTER TABLE knowledge_entries DROP COLUMN also_at; PRAGMA user_version = 4;")
    conn.close()
    with SqliteStore(path) as store:
        (entry,) = store.entries("c")
        assert entry.also_at == () and entry.content == "Two years."
        store.upsert_entries("c", [_draft(content="New.", also_at=("drive:y.pdf#page=1",))], "r2")
        assert any(e.also_at == ("drive:y.pdf#page=1",) for e in store.entries("c"))
