"""parse_email: headers, spoofed senders, threading, attachments and malformed mail."""

from __future__ import annotations

import mailbox
from email.message import EmailMessage
from pathlib import Path

from tools.parsers import ParsedEmail, parse_email

MBOX = Path(__file__).resolve().parents[3] / "examples/client-a-enron/gmail/All mail.mbox"


def _message(**headers: str) -> EmailMessage:
    msg = EmailMessage()
    for key, value in headers.items():
        msg[key.replace("_", "-")] = value
    msg.set_content("Plain body line.")
    return msg


def test_spoofed_display_name_yields_the_real_address():
    raw = b"From: alice@example.org <evil@attacker.tld>\r\nSubject: hi\r\n\r\nbody\r\n"
    assert parse_email(raw).sender == "evil@attacker.tld"
    quoted = b'From: "alice@example.org" <evil@attacker.tld>\r\n\r\nbody\r\n'
    assert parse_email(quoted).sender == "evil@attacker.tld"
    plain = b"From: Alice Smith <alice@example.org>\r\n\r\nbody\r\n"
    assert parse_email(plain).sender == "Alice Smith <alice@example.org>"


def test_headers_dates_labels_and_references():
    msg = _message(
        From="Bob <bob@example.org>",
        To="a@example.org",
        Cc="c@example.org",
        Subject="RE: Fw: Budget 2002",
        Message_ID="<m2@example.org>",
        In_Reply_To="<m1@example.org>",
        References="<m0@example.org> <m1@example.org>",
        Date="Tue, 20 Nov 2001 15:41:00 -0600",
        X_Gmail_Labels='Inbox,"Deals, 2001",Important',
    )
    mail = parse_email(msg.as_bytes())
    assert isinstance(mail, ParsedEmail)
    assert mail.message_id == "m2@example.org"
    assert mail.references == ("m0@example.org", "m1@example.org")
    assert mail.thread_key == "m0@example.org"
    assert mail.in_reply_to == "m1@example.org"
    assert mail.date == "2001-11-20T15:41:00-06:00"
    assert mail.labels == ("Inbox", "Deals, 2001", "Important")
    assert mail.body_text.strip() == "Plain body line."


def test_thread_key_falls_back_to_the_normalised_subject():
    first = parse_email(_message(Subject="Budget 2002", Message_ID="<a@x>").as_bytes())
    reply = parse_email(_message(Subject="RE: FW:  budget 2002", Message_ID="<b@x>").as_bytes())
    other = parse_email(_message(Subject="Budget 2003", Message_ID="<c@x>").as_bytes())
    assert first.thread_key == reply.thread_key != other.thread_key
    assert parse_email(_message(Message_ID="<only@x>").as_bytes()).thread_key == "only@x"


def test_attachments_are_returned_with_safe_names():
    msg = _message(Subject="files")
    msg.add_attachment(b"%PDF-1.4 fake", maintype="application", subtype="pdf", filename="../../etc/passwd.pdf")
    msg.add_attachment(b"\x89PNG...", maintype="image", subtype="png")
    mail = parse_email(msg.as_bytes())
    names = [a.name for a in mail.attachments]
    assert names == ["passwd.pdf", "attachment-2.png"]
    assert mail.attachments[0].data == b"%PDF-1.4 fake"
    assert mail.attachments[0].content_type == "application/pdf"
    assert mail.body_text.strip() == "Plain body line."


def test_html_only_mail_is_converted_to_text():
    msg = EmailMessage()
    msg["Subject"] = "html"
    msg.set_content("<html><script>var x=1;</script><p>Hello <b>there</b></p></html>", subtype="html")
    assert parse_email(msg.as_bytes()).body_text == "Hello there"


def test_malformed_mail_never_raises():
    for raw in (
        b"",
        b"\xff\xfe\x00garbage",
        b"From: <<<@@@>>>\nReferences: <a@b>, <bro\n ken>\n\n",
        b"Content-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: text/plain; charset=klingon\n\nqapla\n--x",
    ):
        mail = parse_email(raw)
        assert isinstance(mail, ParsedEmail)
        assert mail.thread_key


def test_every_message_of_the_sample_mbox_parses():
    box = mailbox.mbox(MBOX, create=False)
    mails = [parse_email(box.get_bytes(key)) for key in box.iterkeys()]
    assert len(mails) > 100
    assert sum(1 for m in mails if m.body_text.strip()) > len(mails) * 0.9
    assert any(m.references for m in mails)


def test_a_quoted_message_is_its_own_section_titled_by_who_wrote_it(tmp_path):
    from tools.parsers.messages import read_eml
    from tools.parsers.types import Deadline

    quoted_body = " ".join(f"Sentence {n} of the forwarded report on pipeline capacity." for n in range(400))
    msg = _message(
        From="Ann <ann@example.com>",
        To="bob@example.com",
        Subject="Fw: capacity",
        Date="Mon, 2 Jul 2001 09:00:00 +0000",
    )
    msg.set_content(
        "See below.\n\n-----Original Message-----\n"
        "From: Carl Jones <mailto:carl@example.com>\nSent: Friday, June 29, 2001 5:00 PM\nTo: Ann\n"
        "Subject: capacity\nContent-Type: multipart/alternative;\nX-Mailer: Mozilla 4.7\n\n" + quoted_body
    )
    path = tmp_path / "m.eml"
    path.write_bytes(msg.as_bytes())
    sections, _ = read_eml(path, Deadline(30))
    quoted = [s for s in sections if ";quoted=1" in s.locator]
    assert len(quoted) > 1  # a long quote is split into parts
    assert all(s.title.startswith("Earlier message from Carl Jones (Friday, June 29, 2001 5:00 PM)") for s in quoted)
    # The quote's header lines open its first part only, without MIME or mailer lines.
    assert quoted[0].text.startswith("From: Carl Jones") and "Subject: capacity" in quoted[0].text
    assert not any("Content-Type" in s.text or "X-Mailer" in s.text for s in quoted)
    assert all("From: Carl Jones" not in s.text for s in quoted[1:])
    assert "Sentence 399 of" in " ".join(s.text for s in quoted)


def _eml_sections(tmp_path, body: str, **headers: str):
    from tools.parsers.messages import read_eml
    from tools.parsers.types import Deadline

    msg = _message(**headers)
    msg.set_content(body)
    path = tmp_path / "m.eml"
    path.write_bytes(msg.as_bytes())
    return read_eml(path, Deadline(30))[0]


def _wrapped_list(names: list[str]) -> str:
    """A recipient list as Lotus Notes wraps it: 76 characters a line, names cut anywhere."""
    joined = ", ".join(names)
    return "\n".join(joined[i : i + 76] for i in range(0, len(joined), 76))


def test_a_lotus_notes_forward_with_a_long_recipient_list_is_cut_at_its_author(tmp_path):
    wrapped = _wrapped_list([f"Person {n} Name/HOU/EES@EES" for n in range(120)])
    body = (
        "fyi\n\nJeff Dasovich\nSent by: Jeff Dasovich\n03/24/2001 04:26 PM\n\n"
        f"To: {wrapped}\ncc:\nSubject: Notice of gas infrastructure workshop\n\nThe workshop is on April 3.\n"
    )
    sections = _eml_sections(tmp_path, body, From="steven.kean@enron.com", To="s@enron.com", Subject="Notice")
    own = [s for s in sections if ";quoted=" not in s.locator]
    quoted = [s for s in sections if ";quoted=1" in s.locator]
    # The sender's own text is the one word he wrote; the recipient list went with the quote.
    assert len(own) == 1 and own[0].text.endswith("fyi") and "Person 7" not in own[0].text
    assert quoted[0].title == "Earlier message from Jeff Dasovich (03/24/2001 04:26 PM)"
    assert "The workshop is on April 3." in quoted[0].text
    # The quote's To: list is one line, cut with a count of the rest; the empty cc: is gone.
    to_line = next(line for line in quoted[0].text.splitlines() if line.startswith("To: "))
    assert to_line.startswith("To: Person 0 Name/HOU/EES@EES,") and to_line.endswith("more")
    assert len(to_line) < 300 and "cc:" not in quoted[0].text.lower().split("subject")[0]


def test_a_gateway_sender_is_named_without_its_address_residue(tmp_path):
    body = (
        "Thanks.\n\n-----Original Message-----\n"
        'From: \t"MacMillan, Ian" <macmilli@wharton.upenn.edu>@ENRON '
        "[mailto:IMCEANOTES-+22MacMillan+2C+20Ian+22+20+3Cmacmilli+40wharton+2Eupenn+2Eedu+3E+40ENRON@ENRON.com]\n"
        "Sent:\tMonday, June 18, 2001 6:37 AM\nTo:\tKaminski, Vince J\nSubject:\tRE: SMS conference\n\n"
        "The conference agenda is attached.\n"
    )
    sections = _eml_sections(tmp_path, body, From="v@enron.com", To="i@wharton.upenn.edu", Subject="SMS")
    quoted = next(s for s in sections if ";quoted=1" in s.locator)
    assert quoted.title == "Earlier message from MacMillan, Ian (Monday, June 18, 2001 6:37 AM)"
    assert "mailto" not in quoted.text and "IMCEANOTES" not in quoted.text
    assert 'From: "MacMillan, Ian" <macmilli@wharton.upenn.edu>@ENRON' in quoted.text
    from tools.parsers.messages import _who

    assert _who("Karen Denne@ENRON") == "Karen Denne" and _who("John J Lavorato/ENRON@enronXgate") == "John J Lavorato"
    assert _who("<ann@example.com>") == "ann@example.com" and _who("ann@example.com") == "ann@example.com"


def test_a_notes_quote_opening_with_from_on_a_date_leaves_the_reply_alone(tmp_path):
    wrapped = _wrapped_list([f"Officer {n}/ENRON@enronXgate" for n in range(90)])
    body = (
        "OK by me.\n\nFrom: John J Lavorato/ENRON@enronXgate@enronXgate on 04/30/2001 11:30 AM\n"
        f"Sent by: Kimberly Hillis/ENRON@enronXgate\nTo: {wrapped}\ncc:\nSubject: VP Candidate\n\n"
        "I would like to pursue an offer to Mr. Shea before May 7.\n"
    )
    sections = _eml_sections(tmp_path, body, From="steven.kean@enron.com", To="j@enron.com", Subject="Re: VP")
    own = [s for s in sections if ";quoted=" not in s.locator]
    assert len(own) == 1 and own[0].text.endswith("OK by me.")
    quoted = next(s for s in sections if ";quoted=1" in s.locator)
    assert quoted.title == "Earlier message from John J Lavorato (04/30/2001 11:30 AM)"
    assert "pursue an offer" in quoted.text and "and 8" in quoted.text.split("Subject")[0]
