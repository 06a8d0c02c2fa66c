"""The on-disk mail index: mbox spans as the stdlib finds them, reuse while unchanged, rebuild when not."""

from __future__ import annotations

import mailbox
import os
import stat
import threading
from pathlib import Path

import pytest
from sources_support import small_messages

from tools.sources.gmail import local as local_gmail
from tools.sources.gmail import mail_index
from tools.sources.gmail.mail_index import MailIndex, index_file
from tools.sources.gmail.mbox_spans import mbox_spans, read_span

TRICKY = {
    "junk first, unescaped From in a body, an empty message": (
        b"junk before the first message\n"
        b"From a@x Mon Jan  1 10:00:00 2024\nSubject: one\n\nThe plan.\nFrom here on, split.\n\n"
        b"From b@x Mon Jan  1 11:00:00 2024\n\n"
        b"From c@x Mon Jan  1 12:00:00 2024\nSubject: three\n\nThird."
    ),
    "CRLF lines and a trailing blank line": (
        b"From a@x Mon Jan  1 10:00:00 2024\r\nSubject: one\r\n\r\nBody.\r\n\r\n"
        b"From b@x Mon Jan  1 10:00:00 2024\r\nSubject: two\r\n\r\nBody.\r\n\n"
    ),
    "empty": b"",
    "no From line at all": b"Subject: lost\n\nnothing starts here\n",
}


@pytest.mark.parametrize("data", TRICKY.values(), ids=TRICKY.keys())
def test_mbox_spans_are_the_stdlib_messages(tmp_path, data):
    path = tmp_path / "box.mbox"
    path.write_bytes(data)
    box = mailbox.mbox(path, create=False)
    expected = [box.get_bytes(key) for key in box.keys()]
    box.close()
    with path.open("rb") as file:
        assert [read_span(file, *span) for span in list(mbox_spans(file))] == expected


def _counting_builds(monkeypatch) -> list[Path]:
    built: list[Path] = []
    real = mail_index.build_index

    def build(store, target, fingerprint):
        built.append(target)
        real(store, target, fingerprint)

    monkeypatch.setattr(mail_index, "build_index", build)
    return built


def test_an_unchanged_export_reuses_its_index_and_a_changed_one_is_indexed_again(small_mbox, monkeypatch, tmp_path):
    monkeypatch.setenv("GROVE_MAIL_INDEX_DIR", str(tmp_path / "indexes"))
    built = _counting_builds(monkeypatch)
    first = MailIndex(small_mbox)
    assert len(first.entries) == 3 and len(built) == 1
    assert first.file.parent == tmp_path / "indexes" and first.file == index_file(small_mbox)
    assert stat.S_IMODE(first.file.stat().st_mode) == 0o600
    again = MailIndex(small_mbox)
    assert len(built) == 1 and [e.id for e in again.entries] == [e.id for e in first.entries]
    box = mailbox.mbox(small_mbox)
    box.add(small_messages()[0].as_bytes().replace(b"Budget 2002", b"Budget 2003"))
    box.close()
    changed = MailIndex(small_mbox)
    assert len(built) == 2 and len(changed.entries) == 4
    assert any(e.subject == "Budget 2003" for e in changed.entries)
    assert len(first.entries) == 3  # an index already open keeps answering from its own file
    for index in (first, again, changed):
        index.close()


def test_a_broken_index_file_is_built_again(small_mbox, monkeypatch, tmp_path):
    monkeypatch.setenv("GROVE_MAIL_INDEX_DIR", str(tmp_path / "indexes"))
    built = _counting_builds(monkeypatch)
    index_file(small_mbox).write_bytes(b"not a database")
    index = MailIndex(small_mbox)
    assert len(built) == 1 and len(index.entries) == 3
    assert not [p for p in index.file.parent.iterdir() if p != index.file]  # no partial files left
    index.close()


def test_a_maildir_gaining_a_message_is_indexed_again(monkeypatch, tmp_path):
    monkeypatch.setenv("GROVE_MAIL_INDEX_DIR", str(tmp_path / "indexes"))
    built = _counting_builds(monkeypatch)
    maildir = mailbox.Maildir(tmp_path / "Archive", create=True)
    first, second, third = small_messages()
    maildir.add(first)
    maildir.add(second)
    assert len(MailIndex(tmp_path / "Archive").entries) == 2
    assert len(MailIndex(tmp_path / "Archive").entries) == 2 and len(built) == 1
    os.utime(tmp_path / "Archive" / "new", ns=(1, 1))  # adding a message changes the folder's time
    maildir.add(third)
    assert len(MailIndex(tmp_path / "Archive").entries) == 3 and len(built) == 2


def test_threads_of_a_connector_share_one_build(small_mbox, monkeypatch, tmp_path):
    monkeypatch.setenv("GROVE_MAIL_INDEX_DIR", str(tmp_path / "indexes"))
    built = _counting_builds(monkeypatch)
    monkeypatch.setattr(local_gmail, "_INDEXES", type(local_gmail._INDEXES)())
    found: list[MailIndex] = []
    threads = [threading.Thread(target=lambda: found.append(local_gmail.shared_index(small_mbox))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(built) == 1 and len({id(i) for i in found}) == 1


def test_listing_reads_pages_from_disk(small_mbox):
    index = MailIndex(small_mbox)
    newest_first = [e.subject for e in index.entries]
    assert newest_first == ["Lunch", "Re: Budget 2002", "Budget 2002"]
    assert [e.pos for e in index.entries] == [0, 1, 2]
    assert [e.subject for e in index.at([2, 0])] == ["Budget 2002", "Lunch"]
    assert index.entries[-1].subject == "Budget 2002" and [e.subject for e in index.entries[1:]] == newest_first[1:]
    assert index.get(index.entries[0].id) == index.entries[0] and index.get("0" * 16) is None
    [thread] = {e.thread_id for e in index.entries if "Budget" in e.subject}
    assert [e.subject for e in index.thread(thread)] == ["Budget 2002", "Re: Budget 2002"]
    messages, unread, threads = index.label_counts()
    assert messages["INBOX"] == 2 and unread == {"INBOX": 1, "UNREAD": 1, "SPAM": 1} and threads["INBOX"] == 2
    index.close()
