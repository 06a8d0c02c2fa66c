"""The local Gmail connector over the bundled mbox and small mailboxes made here."""

from __future__ import annotations

import base64
import mailbox
import tracemalloc
from pathlib import Path

from sources_support import PDF_BYTES, SAMPLE, small_messages

from tools.parsers.mail import parse_email
from tools.sources.gmail.local import LocalGmail

SAMPLE_MAIL = SAMPLE / "gmail"


def all_ids(gmail: LocalGmail, **args) -> list[str]:
    ids, token, pages = [], None, 0
    while True:
        out = gmail.execute("GMAIL_FETCH_EMAILS", {"max_results": 40, "page_token": token, **args})
        assert out["successful"], out
        ids += [m["messageId"] for m in out["data"]["messages"]]
        token, pages = out["data"]["nextPageToken"], pages + 1
        if not token:
            return ids


def test_pagination_reaches_every_sample_message(sink):
    gmail = LocalGmail(SAMPLE_MAIL, sink)
    ids = all_ids(gmail, ids_only=True)
    assert len(ids) == 225 and len(set(ids)) == 225
    first = gmail.execute("GMAIL_FETCH_EMAILS", {"max_results": 40})
    assert first["data"]["resultSizeEstimate"] == 225


def test_ids_are_stable_across_connectors(sink):
    first = all_ids(LocalGmail(SAMPLE_MAIL, sink), ids_only=True)
    again = all_ids(LocalGmail(SAMPLE_MAIL / "All mail.mbox", sink), ids_only=True)
    assert first == again
    assert all(len(i) == 16 and int(i, 16) >= 0 for i in first)


def test_raw_format_round_trips_the_message(sink):
    gmail = LocalGmail(SAMPLE_MAIL, sink)
    listed = gmail.execute("GMAIL_FETCH_EMAILS", {"max_results": 5, "verbose": False})["data"]["messages"]
    for item in listed:
        out = gmail.execute("GMAIL_FETCH_MESSAGE_BY_MESSAGE_ID", {"message_id": item["messageId"], "format": "raw"})
        assert out["successful"]
        raw = base64.urlsafe_b64decode(out["data"]["raw"])
        assert parse_email(raw).subject == item["subject"]
        assert out["data"]["threadId"] == item["threadId"]


def test_full_format_has_text_payload_and_attachments(sink, small_mbox):
    gmail = LocalGmail(small_mbox, sink)
    found = gmail.execute("GMAIL_FETCH_EMAILS", {"query": "has:attachment", "max_results": 10, "ids_only": True})
    assert found["data"]["resultSizeEstimate"] == 1
    message_id = found["data"]["messages"][0]["messageId"]
    full = gmail.execute("GMAIL_FETCH_MESSAGE_BY_MESSAGE_ID", {"message_id": message_id})["data"]
    assert full["subject"] == "Budget 2002" and "Draft budget" in full["messageText"]
    assert full["messageTimestamp"] == "2002-01-07T15:00:00Z"
    labels = full["labelIds"]  # Inbox and the user label Finance; Opened is a state marker
    assert len(labels) == 2 and "INBOX" in labels and any(x.startswith("Label_") for x in labels)
    [attachment] = full["attachmentList"]
    assert attachment["filename"] == "budget.pdf" and attachment["attachmentId"] == f"{message_id}.1"
    leaves = [p for p in full["payload"]["parts"] if p["filename"] == "budget.pdf"]
    assert leaves[0]["body"]["attachmentId"] == attachment["attachmentId"]
    minimal = gmail.execute("GMAIL_FETCH_MESSAGE_BY_MESSAGE_ID", {"message_id": message_id, "format": "minimal"})
    assert set(minimal["data"]) == {"messageId", "threadId", "labelIds"}


def test_attachment_is_written_through_the_sink(sink, small_mbox):
    gmail = LocalGmail(small_mbox, sink)
    [item] = gmail.execute("GMAIL_FETCH_EMAILS", {"query": "filename:pdf", "max_results": 5})["data"]["messages"]
    attachment = item["attachmentList"][0]
    out = gmail.execute(
        "GMAIL_GET_ATTACHMENT",
        {"message_id": item["messageId"], "attachment_id": attachment["attachmentId"], "file_name": "budget.pdf"},
    )
    assert out["successful"], out
    file = out["data"]["file"]
    assert file["mimetype"] == "application/pdf" and file["name"] == "budget.pdf"
    assert Path(file["s3url"]).is_absolute() and Path(file["s3url"]).read_bytes() == PDF_BYTES
    assert sink.written == [f"downloads/gmail/{attachment['attachmentId']}/budget.pdf"]
    assert set(out["data"]) == {"file"} and set(file) == {"name", "mimetype", "s3url"}  # no bytes


def test_sample_attachment_is_found_and_saved(sink):
    gmail = LocalGmail(SAMPLE_MAIL, sink)
    out = gmail.execute("GMAIL_FETCH_EMAILS", {"query": "has:attachment", "max_results": 10})
    with_bytes = [m for m in out["data"]["messages"] if any(a["size"] for a in m["attachmentList"])]
    assert with_bytes
    message = with_bytes[0]
    attachment = message["attachmentList"][0]
    saved = gmail.execute(
        "GMAIL_GET_ATTACHMENT",
        {
            "message_id": message["messageId"],
            "attachment_id": attachment["attachmentId"],
            "file_name": attachment["filename"],
        },
    )
    assert Path(saved["data"]["file"]["s3url"]).stat().st_size == attachment["size"]


def test_threads_group_replies(sink, small_mbox):
    gmail = LocalGmail(small_mbox, sink)
    listed = gmail.execute("GMAIL_FETCH_EMAILS", {"query": "budget", "max_results": 10, "verbose": False})
    threads = {m["threadId"] for m in listed["data"]["messages"]}
    assert len(listed["data"]["messages"]) == 2 and len(threads) == 1
    thread = gmail.execute("GMAIL_FETCH_MESSAGE_BY_THREAD_ID", {"thread_id": threads.pop()})
    assert [m["subject"] for m in thread["data"]["messages"]] == ["Budget 2002", "Re: Budget 2002"]


def test_query_operators_and_labels(sink, small_mbox):
    gmail = LocalGmail(small_mbox, sink)

    def count(**args) -> int:
        out = gmail.execute("GMAIL_FETCH_EMAILS", {"max_results": 50, "ids_only": True, **args})
        assert out["successful"], out
        return out["data"]["resultSizeEstimate"]

    assert count() == 2  # the Spam-labelled message is hidden by default
    assert count(include_spam_trash=True) == 3
    assert count(query="in:spam") == 1
    assert count(query="from:alice") == 1
    assert count(query="to:alice") == 1
    assert count(query="subject:budget -from:bob") == 1
    assert count(query="capex") == 1  # body text
    assert count(query="after:2002/01/08 before:2002/01/09") == 1
    assert count(query="label:finance") == 1
    assert count(query="from:alice OR from:bob") == 2
    assert count(query="category:primary older_than:1y budget") == 2  # unknown operators ignored
    assert count(label_ids=["SENT"]) == 1
    assert count(label_ids=["Finance"]) == count(query="label:finance") == 1
    labels = gmail.execute("GMAIL_LIST_LABELS", {"include_details": True})["data"]["labels"]
    by_name = {label["name"]: label for label in labels}
    assert by_name["Finance"]["type"] == "user" and by_name["Finance"]["messagesTotal"] == 1
    assert by_name["INBOX"]["messagesTotal"] == 2 and "Opened" not in by_name


def test_maildir_eml_folder_and_mixed_folder(sink, small_mbox, tmp_path):
    maildir = mailbox.Maildir(tmp_path / "mail" / "Archive", create=True)
    eml_dir = tmp_path / "eml"
    eml_dir.mkdir()
    for n, msg in enumerate(small_messages()):
        maildir.add(msg)
        (eml_dir / f"{n}.eml").write_bytes(msg.as_bytes())
    expected = sorted(all_ids(LocalGmail(small_mbox, sink), include_spam_trash=True))
    for source in (tmp_path / "mail" / "Archive", eml_dir):
        assert sorted(all_ids(LocalGmail(source, sink), include_spam_trash=True)) == expected
    [single] = all_ids(LocalGmail(eml_dir / "0.eml", sink))
    assert single in expected
    # The mbox and the Maildir side by side: byte-identical copies still get distinct ids.
    mixed = all_ids(LocalGmail(tmp_path / "mail", sink), include_spam_trash=True)
    assert len(mixed) == len(set(mixed)) == 6 and set(expected) <= set(mixed)


def test_bad_ids_and_tokens_are_error_envelopes(sink, small_mbox):
    gmail = LocalGmail(small_mbox, sink)
    cases = [
        ("GMAIL_FETCH_MESSAGE_BY_MESSAGE_ID", {"message_id": "deadbeefdeadbeef"}, "deadbeefdeadbeef"),
        ("GMAIL_FETCH_MESSAGE_BY_THREAD_ID", {"thread_id": "nope"}, "nope"),
        ("GMAIL_FETCH_EMAILS", {"page_token": "garbage!"}, "garbage!"),
        ("GMAIL_GET_ATTACHMENT", {"message_id": "x", "attachment_id": "x.1", "file_name": "a"}, "'x'"),
        ("GMAIL_SEND_EMAIL", {"to": "a@b"}, "GMAIL_SEND_EMAIL"),
    ]
    for slug, args, named in cases:
        out = gmail.execute(slug, args)
        assert out["successful"] is False and out["data"] == {} and named in out["error"], out
    missing = LocalGmail(Path("/nonexistent/mail"), sink).execute("GMAIL_LIST_LABELS", {})
    assert missing["successful"] is False and "/nonexistent/mail" in missing["error"]


def test_big_mbox_index_keeps_memory_flat(sink, tmp_path):
    path = tmp_path / "big.mbox"
    filler = "x" * 200_000
    box = mailbox.mbox(path)
    template = small_messages()[0].as_bytes()
    for n in range(150):
        box.add(template.replace(b"Draft budget attached.", f"{n} {filler}".encode()))
    box.flush()
    box.close()
    assert path.stat().st_size > 30_000_000
    tracemalloc.start()
    try:
        ids = all_ids(LocalGmail(path, sink), ids_only=True)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(set(ids)) == 150
    assert peak < 8_000_000  # a few messages' worth, not the 30 MB mailbox
