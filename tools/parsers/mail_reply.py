"""Split an email body into the sender's own text and the earlier messages it quotes or forwards.

mail-parser-reply finds reply and forward boundaries and signatures; a few rules on top tidy what
it leaves: Lotus Notes "Forwarded by" rules, the "Name / date" lines that open a quoted block,
and "> " quote marks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mailparser_reply import EmailReplyParser

LANGUAGES = ["en", "de", "fr", "es", "it", "nl"]
_FORWARD_RULE = re.compile(
    r"^-{3,}\s*(Forwarded by|Original Message|Forwarded message)[^\n]*(\n[^\n]*-{3,})?\s*$", re.I | re.M
)
_RULE_LINE = re.compile(r"^\s*-{5,}[^\n]*$", re.M)
# A Lotus Notes date line ("03/24/2001 04:26 PM"), a header field of a quoted message, and the
# "[mailto:...]" a mail gateway appends to an address (messages.py reads quotes with these too).
DATE_LINE = re.compile(r"^\s*\d{1,2}/\d{1,2}/\d{2,4}\s+\d{1,2}:\d{2}(\s*[AP]M)?\s*$", re.I)
HEADER_FIELD = re.compile(r"^\s*(From|Sent by|Sent|Date|To|Cc|Bcc|Subject|Importance)\s*:\s*(.*)$", re.I)
MAILTO = re.compile(r"\s*\[mailto:[^\]]*\]")
_QUOTE_MARK = re.compile(r"^[ \t]*>[ \t]?", re.M)
_SENT_BY = re.compile(r"^\s*Sent by\s*:", re.I)
_FROM_LINE = re.compile(r"^\s*From\s*:\s*\S", re.I)
_ON_DATE = re.compile(r"\bon\s+(\d{1,2}/\d{1,2}/\d{2,4}\s+\d{1,2}:\d{2}(\s*[AP]M)?)", re.I)


@dataclass(frozen=True)
class QuotedMessage:
    """An earlier message inside a body: its header lines (as written) and its text."""

    headers: str
    text: str

    def field(self, name: str) -> str:
        for line in self.headers.splitlines():
            if (m := HEADER_FIELD.match(line)) and m.group(1).lower() == name.lower():
                return m.group(2).strip()
        return ""

    @property
    def when(self) -> str:
        """When it was sent, as its header says (a Sent:/Date: field or a Lotus Notes date line)."""
        if found := self.field("sent") or self.field("date"):
            return found
        if m := _ON_DATE.search(self.field("from")):  # "From: Name/Org on 04/30/2001 11:30 AM"
            return m.group(1)
        return next((line.strip() for line in self.headers.splitlines() if DATE_LINE.match(line)), "")

    @property
    def author(self) -> str:
        """Who wrote it, as the quote header says (an "On ... X wrote:" line or a From: field)."""
        if who := self.field("from"):
            return re.sub(r"\s+on\s+\d.*$", "", MAILTO.sub("", who)).strip()
        if m := re.search(r",\s*([^,<]+?)\s*(<[^>]*>)?\s*wrote:", self.headers):
            return m.group(1).strip()
        first = self.headers.strip().splitlines()[0] if self.headers.strip() else ""
        return "" if HEADER_FIELD.match(first) else first[:80]


@dataclass(frozen=True)
class SplitBody:
    """A body cut into the sender's own text (signature removed) and the messages it quotes."""

    own: str
    quoted: tuple[QuotedMessage, ...]
    signature: str = ""


def _tidy(text: str) -> tuple[str, str]:
    """Drop forward rules and a trailing "Name / date" header block; return (text, the block dropped)."""
    lines = _FORWARD_RULE.sub("", text).rstrip().splitlines()
    filled = [i for i, line in enumerate(lines) if line.strip()]
    # The text ends in one block of lines without a blank one from here on.
    block = max((i for i, line in enumerate(lines) if not line.strip()), default=-1) + 1
    tail = ""
    # A Lotus Notes quote opens with the author's name (and a "Sent by:" line) and a date line
    # before its To:/cc:/Subject: lines; a long To: list runs on over many lines to the end.
    # Or it opens with "From: Name/Org on 04/30/2001 11:30 AM" and its header lines run to the end.
    for pos, i in enumerate(filled):
        if i >= block and _FROM_LINE.match(lines[i]):
            tail = "\n".join(line.strip() for line in lines[i:])
            lines = lines[:i]
            break
        headers_follow = (
            pos + 1 < len(filled) and filled[pos + 1] >= block and HEADER_FIELD.match(lines[filled[pos + 1]])
        )
        if not DATE_LINE.match(lines[i]) or not (len(filled) - pos <= 3 or headers_follow):
            continue
        before = [j for j in filled if j < i]
        if before and _SENT_BY.match(lines[before[-1]]):
            before.pop()
        start = before[-1] if before and len(lines[before[-1]].split()) <= 6 and len(lines[before[-1]]) <= 60 else i
        tail = "\n".join(line.strip() for line in lines[start:] if line.strip())
        lines = lines[:start]
        break
    body = _RULE_LINE.sub("", "\n".join(lines))
    return re.sub(r"\n{3,}", "\n\n", body).strip(), tail


def _unquote(text: str) -> str:
    return _QUOTE_MARK.sub("", text)


def split_body(body: str) -> SplitBody:
    """Cut a body into own text and quoted messages; a body the library cannot read stays whole."""
    text = body.replace("\r\n", "\n")
    try:
        replies = EmailReplyParser(languages=LANGUAGES).read(text).replies
    except Exception:  # noqa: BLE001 - a parser failure costs the split, never the body
        return SplitBody(own=text.strip(), quoted=())
    if not replies:
        return SplitBody(own=text.strip(), quoted=())
    own, carried = _tidy(replies[0].body or "")
    signature = (replies[0].signatures or "").strip()
    quoted: list[QuotedMessage] = []
    for reply in replies[1:]:
        content, next_carried = _tidy(_unquote(reply.body or ""))
        lead_fields = re.match(r"((?:[ \t]*(?:Subject|To|Cc)\s*:[^\n]*\n?)+)", content, re.I)
        if lead_fields:  # header lines the library left in the text belong to the headers
            content = content[lead_fields.end() :].strip()
        headers = "\n".join(
            x
            for x in (
                carried,
                _unquote(reply.headers or "").strip(),
                lead_fields.group(1).strip() if lead_fields else "",
            )
            if x
        )
        carried = next_carried
        if content:
            quoted.append(QuotedMessage(headers=headers, text=content))
    if not own and not quoted:
        return SplitBody(own=text.strip(), quoted=())
    return SplitBody(own=own, quoted=tuple(quoted), signature=signature)
