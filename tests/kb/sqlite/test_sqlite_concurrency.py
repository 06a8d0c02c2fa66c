"""Threads share one store (as LangGraph's node threads do): no errors, no lost or doubled rows."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from kb.sqlite.store import SqliteStore

THREADS, UPSERTS, DISTINCT = 8, 100, 150


def hammer(stores, make_draft):
    """Each thread upserts 100 single drafts; threads overlap on purpose (150 distinct texts)."""
    errors: list[BaseException] = []
    inserted = [0] * THREADS
    start = threading.Barrier(THREADS)

    def work(t: int) -> None:
        s = stores[t % len(stores)]
        start.wait()
        try:
            for i in range(UPSERTS):
                n = (t * 37 + i) % DISTINCT
                draft = make_draft(f"fact {n}", group=f"group {n % 7}", skill=f"skill {n % 3}", item_id=f"i{n}")
                inserted[t] += s.upsert_entries("acme", [draft], f"run-{t}").inserted
                if i % 25 == 0:
                    s.search("acme", "fact")
                    s.ensure_path("acme", "Finance", f"skill {i % 3}", f"group {i % 7}")
        except BaseException as exc:  # recorded, then asserted on
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(THREADS)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return errors, sum(inserted)


def expected_distinct() -> int:
    return len({(t * 37 + i) % DISTINCT for t in range(THREADS) for i in range(UPSERTS)})


def assert_no_duplicates(path) -> None:
    conn = sqlite3.connect(path)
    try:
        dupes = conn.execute(
            "SELECT content_hash FROM knowledge_entries GROUP BY client_id, content_hash HAVING COUNT(*) > 1"
        ).fetchall()
        node_dupes = conn.execute(
            "SELECT slug FROM knowledge_tree GROUP BY client_id, parent_id, slug HAVING COUNT(*) > 1"
        ).fetchall()
        fts = conn.execute("SELECT COUNT(*) FROM knowledge_entries_fts").fetchone()[0]
        rows = conn.execute("SELECT COUNT(*) FROM knowledge_entries").fetchone()[0]
    finally:
        conn.close()
    assert dupes == [] and node_dupes == [] and fts == rows


def test_eight_threads_share_one_store(db_path, make_draft):
    with SqliteStore(db_path) as s:
        errors, inserted = hammer([s], make_draft)
        assert errors == []
        assert inserted == expected_distinct() == s.counts("acme")["entries"]
        assert s.counts("acme")["entry_group"] == 7 * 3
    assert_no_duplicates(db_path)


def test_eight_stores_on_one_file(db_path, make_draft):
    stores = [SqliteStore(db_path) for _ in range(THREADS)]
    try:
        errors, inserted = hammer(stores, make_draft)
        assert errors == []
        assert inserted == expected_distinct() == stores[0].counts("acme")["entries"]
    finally:
        for s in stores:
            s.close()
    assert_no_duplicates(db_path)


def test_memory_store_is_shared_between_threads(make_draft):
    with SqliteStore(":memory:") as s:
        errors, inserted = hammer([s], make_draft)
        assert errors == [] and inserted == expected_distinct() == s.counts("acme")["entries"]


def test_closed_store_refuses_calls(db_path):
    from kb.models import KBError

    s = SqliteStore(db_path)
    s.close()
    with pytest.raises(KBError):
        s.tree("acme")


def test_finished_threads_do_not_leak_connections(db_path):
    with SqliteStore(db_path) as s:
        for _ in range(20):
            th = threading.Thread(target=s.tree, args=("acme",))
            th.start()
            th.join()
        s.tree("acme")
        assert len(s._db._connections) <= 2  # this thread's and at most the last finished one's
