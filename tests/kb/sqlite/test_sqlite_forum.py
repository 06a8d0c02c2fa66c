"""The shared forum: scrubbed on write, repeats raise support, filters narrow the search."""

from __future__ import annotations

import pytest

from kb.models import ForumDraft


def post(source_type="gmail", phase="explore", file_type="eml", title="Payroll mails", body="x"):
    return ForumDraft(source_type=source_type, phase=phase, file_type=file_type, title=title, body=body)


def test_bodies_are_scrubbed_before_writing(store):
    [p] = store.post_forum(
        [
            post(
                title="Payroll mails from jeff@enron.com",
                body="Jeff Skilling sends payroll from jeff@enron.com, call (713) 853-6161, acct 99887766.",
            )
        ],
        names=["Jeff Skilling"],
    )
    for secret in ("jeff@enron.com", "853-6161", "99887766", "Jeff", "Skilling"):
        assert secret not in p.title + p.body
    [stored] = store.search_forum("payroll")
    assert stored == p and "[email]" in stored.body and "[name]" in stored.body


def test_a_repeated_pattern_raises_support(store):
    first = store.post_forum([post(body="Payroll summaries arrive as XLS attachments.")])
    again = store.post_forum([post(body="payroll summaries arrive as xls attachments")])
    other_phase = store.post_forum([post(phase="structure", body="Payroll summaries arrive as XLS attachments.")])
    assert first[0].support_count == 1 and again[0].support_count == 2
    assert again[0].id == first[0].id and again[0].origin_hash == first[0].origin_hash
    assert other_phase[0].id != first[0].id and other_phase[0].support_count == 1
    assert len(store.search_forum(limit=50)) == 2


def test_same_pattern_with_different_secrets_counts_once(store):
    store.post_forum([post(body="Statements come from alice@a.com weekly.")])
    [p] = store.post_forum([post(body="Statements come from bob@b.org weekly.")])
    assert p.support_count == 2


def test_filters_and_ordering(store):
    store.post_forum(
        [
            post("gmail", "explore", "eml", "Threads", "Long payroll threads carry PDF attachments."),
            post("drive", "explore", "pdf", "Folders", "Payroll PDFs live in the HR folder."),
            post("drive", "structure", "xlsx", "Sheets", "Payroll sheets key rows by employee."),
            post("drive", "structure", "xlsx", "Sheets", "Payroll sheets key rows by employee."),
        ]
    )
    assert {p.source_type for p in store.search_forum("payroll", source_type="drive")} == {"drive"}
    assert [p.title for p in store.search_forum("payroll", source_type="drive", phase="explore")] == ["Folders"]
    assert [p.file_type for p in store.search_forum("payroll", file_type="xlsx")] == ["xlsx"]
    assert store.search_forum("payroll", source_type="sheets") == []
    ranked = store.search_forum("")
    assert ranked[0].title == "Sheets" and ranked[0].support_count == 2
    assert store.search_forum("what is the") == ranked  # stop words only: most supported first
    assert [p.title for p in store.search_forum("attachments threads")] == ["Threads"]


def test_forum_rejects_unknown_phase_and_skips_empty_posts(store):
    with pytest.raises(ValueError):
        store.post_forum([post(phase="deploy")])
    assert store.post_forum([post(title=" ", body="")]) == []
    assert store.post_forum([]) == []


def test_an_older_file_gains_rule_columns_and_word_postings(tmp_path):
    import sqlite3

    from kb.sqlite.store import SqliteStore

    path = tmp_path / "old.db"
    store = SqliteStore(path)
    store.post_forum([post(body="Payroll summaries arrive as XLS attachments.")])
    store.close()
    # As a file of schema 4 was: a full-text table for the forum, no rule columns, no postings.
    conn = sqlite3.connect(path)
    conn.executescript("""
        DROP TABLE forum_terms; DROP TABLE forum_term_counts;
        ALTER TABLE forum_entries DROP COLUMN kind; ALTER TABLE forum_entries DROP COLUMN rule;
        CREATE VIRTUAL TABLE forum_entries_fts USING fts5 (title, body, content = 'forum_entries', content_rowid = 'pk');
        PRAGMA user_version = 4;
    """)
    conn.close()
    store = SqliteStore(path)
    [found] = store.search_forum("summaries")
    assert found.kind == "" and found.rule == "" and found.body.startswith("Payroll summaries")
    store.close()
