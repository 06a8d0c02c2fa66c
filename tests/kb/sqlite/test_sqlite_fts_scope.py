"""Entry full-text rows carry scope tokens: kept in sync, migrated from schema 3, isolating clients."""

from __future__ import annotations

import sqlite3

import pytest

from kb.sqlite import search as sqlite_search
from kb.sqlite.store import SqliteStore

_V3_FTS = """
DROP TRIGGER knowledge_entries_ai; DROP TRIGGER knowledge_entries_bd;
DROP TRIGGER knowledge_entries_bu; DROP TRIGGER knowledge_entries_au;
DROP TABLE knowledge_entries_fts; DROP VIEW knowledge_entries_text;
CREATE VIRTUAL TABLE knowledge_entries_fts USING fts5 (title, content,
    content = 'knowledge_entries', content_rowid = 'pk', tokenize = 'porter unicode61 remove_diacritics 2');
CREATE TRIGGER knowledge_entries_ai AFTER INSERT ON knowledge_entries BEGIN
    INSERT INTO knowledge_entries_fts (rowid, title, content) VALUES (new.pk, new.title, new.content);
END;
INSERT INTO knowledge_entries_fts (knowledge_entries_fts) VALUES ('rebuild');
PRAGMA user_version = 3;
"""


def _indexed(db_path, client_id: str) -> int:
    """How many full-text rows carry the client's scope token."""
    token = sqlite_search.client_token(client_id)
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(
            "SELECT COUNT(*) FROM knowledge_entries_fts WHERE knowledge_entries_fts MATCH ?", (f'scope : "{token}"',)
        ).fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def two_clients(store, make_draft):
    for client in ("acme", "globex"):
        store.upsert_entries(
            client,
            [
                make_draft(f"The {client} payroll run closes on the 25th.", title="Payroll close", item_id="p1"),
                make_draft(
                    "Vendor invoices are paid net 30.",
                    title="Vendor terms",
                    skill="Payables",
                    group="Vendors",
                    item_id="v1",
                ),
                make_draft(
                    "Payroll questions go to the payroll desk.",
                    title="Payroll desk",
                    domain="HR",
                    skill="Help",
                    group="Desk",
                    item_id="h1",
                ),
            ],
            "run-1",
        )
    return store


def test_a_search_sees_only_its_client_and_subtree(two_clients):
    hits = two_clients.search("acme", "payroll")
    assert {h.entry.client_id for h in hits} == {"acme"}
    assert {h.entry.title for h in hits} == {"Payroll close", "Payroll desk"}
    assert [h.entry.title for h in two_clients.search("globex", "payroll", under="HR")] == ["Payroll desk"]


def test_the_candidate_cap_still_returns_ranked_hits(two_clients, monkeypatch):
    monkeypatch.setattr(sqlite_search, "MAX_CANDIDATES", 1)
    with two_clients._db.read() as conn:
        ranked = sqlite_search.search_entries(conn, "acme", "payroll desk", (), 10)
    assert len(ranked) == 1 and ranked[0].entry.client_id == "acme"
    hits = two_clients.search("acme", "payroll desk")
    assert hits and {h.entry.client_id for h in hits} == {"acme"}


def test_deleting_a_client_keeps_the_index_in_sync(two_clients, db_path):
    two_clients.delete_client("globex")
    assert (_indexed(db_path, "globex"), _indexed(db_path, "acme")) == (0, 3)
    assert two_clients.search("globex", "payroll") == []
    assert len(two_clients.search("acme", "payroll")) == 2


def test_a_schema_3_index_is_rebuilt_with_scope_tokens(two_clients, db_path):
    two_clients.close()
    conn = sqlite3.connect(db_path)
    conn.executescript(_V3_FTS)
    conn.close()
    with SqliteStore(db_path) as store:
        assert [h.entry.title for h in store.search("acme", "payroll", under="HR/Help")] == ["Payroll desk"]
        assert {h.entry.client_id for h in store.search("globex", "vendor")} == {"globex"}
    assert (_indexed(db_path, "globex"), _indexed(db_path, "acme")) == (3, 3)
