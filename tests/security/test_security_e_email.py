"""Matrix group E: malformed mail is parsed as far as it safely can be, with its defects recorded."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tools.parsers import parse_email, parse_file
from tools.sources.gmail.mail_index import MailIndex


def test_e1_an_unknown_or_wrong_charset_falls_back_to_detection_and_says_so() -> None:
    for declared in ("x-bogus", "utf-8"):
        mail = parse_email(
            b"From: a@example.com\r\nSubject: Gruss\r\nContent-Type: text/plain; charset="
            + declared.encode()
            + b"\r\n\r\nGr\xfc\xdfe aus K\xf6ln, \xe0 bient\xf4t\r\n"
        )
        assert "Grüße aus Köln" in mail.body_text and "\ufffd" not in mail.body_text
        assert mail.charset_fallback and "CharsetFallback" in mail.defects
    clean = parse_email(
        "From: a@example.com\r\nSubject: ok\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nGrüße\r\n".encode()
    )
    assert not clean.charset_fallback and clean.defects == ()


def test_e1_the_fallback_reaches_the_item_meta(tmp_path: Path) -> None:
    path = tmp_path / "m.eml"
    path.write_bytes(
        b"From: a@example.com\r\nSubject: s\r\nContent-Type: text/plain; charset=x-bogus\r\n\r\n"
        b"Caf\xe9 menu for the offsite.\r\n"
    )
    result = parse_file(path)
    assert result.ok and result.meta["charset_fallback"] is True and "Café" in result.sections[0].text


@pytest.mark.parametrize(
    "raw, defect, found",
    [
        (
            b"From: a@example.com\r\nSubject: s\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed\r\n\r\n"
            b"--x\r\nContent-Type: text/plain\r\n\r\nhello\r\n--x--\r\n",
            "NoBoundaryInMultipartDefect",
            "hello",
        ),
        (
            b"From: a@example.com\r\nSubject: s\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n"
            b"--x\r\nContent-Type: text/plain\r\n\r\nthe body\r\n--x\r\nContent-Type: application/pdf\r\n"
            b"Content-Disposition: attachment; filename=a.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n",
            "CloseBoundaryNotFoundDefect",
            "the body",
        ),
    ],
    ids=["no-boundary", "no-close-boundary"],
)
def test_e2_broken_multipart_is_parsed_with_its_defects(raw: bytes, defect: str, found: str) -> None:
    mail = parse_email(raw)
    assert defect in mail.defects and found in mail.body_text
    if b"a.pdf" in raw:
        assert [a.name for a in mail.attachments] == ["a.pdf"] and mail.attachments[0].data.startswith(b"%PDF")


def test_e3_an_address_posing_as_a_display_name_is_flagged_and_both_kept() -> None:
    raw = (
        b"From: alice@example.org <evil@attacker.tld>\r\nTo: bob@example.org\r\nSubject: Wire today\r\n"
        b"Message-ID: <m1@attacker.tld>\r\n\r\nPlease wire the funds.\r\n"
    )
    mail = parse_email(raw)
    assert mail.header_defect is True
    assert mail.sender_candidates == ("alice@example.org", "evil@attacker.tld")
    assert mail.sender == "evil@attacker.tld"  # where a reply would really go, never the display name
    # Threads are keyed by ids and subjects: the sender plays no part in routing.
    honest = parse_email(raw.replace(b"alice@example.org <evil@attacker.tld>", b"carol@example.org"))
    assert mail.thread_key == honest.thread_key
    assert not honest.header_defect


@pytest.mark.parametrize(
    "raw, why",
    [
        (b"From: a@example.com\r\nX-Big: " + b"a" * 5_000_000 + b"\r\n\r\nbody", "header block exceeds"),
        (b"From: a@example.com\r\nTo: " + b"(" * 100_000 + b"\r\nSubject: x\r\n\r\nbody", "header is"),
        (
            b"From: a@example.com\r\n" + b"".join(b"X-H%d: v\r\n" % n for n in range(10_000)) + b"\r\nbody",
            "header fields",
        ),
    ],
    ids=["5MB-header", "100k-parens", "10k-headers"],
)
def test_e4_oversized_headers_are_refused_before_parsing(tmp_path: Path, raw: bytes, why: str) -> None:
    started = time.monotonic()
    mail = parse_email(raw)
    assert mail.rejected.startswith("too large: ") and why in mail.rejected
    assert time.monotonic() - started < 0.5
    path = tmp_path / "big.eml"
    path.write_bytes(raw)
    result = parse_file(path)
    assert (result.ok, result.reason) == (False, mail.rejected)


def test_e5_a_broken_mbox_loses_only_its_broken_messages(tmp_path: Path) -> None:
    mbox = tmp_path / "bad.mbox"
    mbox.write_text(
        "From alice@example.org Mon Jan  1 10:00:00 2024\n"
        "From: alice@example.org\nSubject: first\nMessage-ID: <m1@x>\n\n"
        "The plan is below.\n"
        "From here on the body was not escaped, so the mbox splits it.\n\n"
        "From bob@example.org Mon Jan  1 11:00:00 2024\n\n"
        "From carol@example.org Mon Jan  1 12:00:00 2024\n"
        "From: carol@example.org\nSubject: third\nMessage-ID: <m3@x>\n\nThird body.\n"
    )
    index = MailIndex(mbox)
    subjects = sorted(e.subject for e in index.entries)
    assert "first" in subjects and "third" in subjects and len(index.entries) >= 4
    assert any(not index.raw(e) for e in index.entries)  # the 0-byte message is one record of its own
    (tmp_path / "empty.eml").write_bytes(b"")
    assert parse_file(tmp_path / "empty.eml").reason == "empty file"
    third = next(e for e in index.entries if e.subject == "third")
    assert "Third body." in index.parsed(third).body_text
