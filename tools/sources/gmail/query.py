"""The useful subset of Gmail search, compiled to a predicate over indexed messages.

Supported: from:, to: (To and Cc), cc:, subject:, label:, in: (inbox, sent, trash, spam,
drafts, starred, important, anywhere), is: (unread, read, starred, important),
has:attachment, filename:, after:/before: (YYYY/MM/DD, whole UTC days, before: exclusive,
or epoch seconds), bare words and "quoted phrases" (subject, people, attachment names
and body), a leading `-` to negate and `OR` between terms. Other operators are ignored.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone

from tools.sources.gmail.labels import label_id
from tools.sources.gmail.mail_index import MailEntry

BodyText = Callable[[MailEntry], str]
Test = Callable[[MailEntry, BodyText], bool]
_OPERATOR = re.compile(r"^(?P<neg>-?)(?:(?P<op>[A-Za-z_]+):)?(?P<value>.*)$", re.S)
_IN = {
    "inbox": "INBOX",
    "sent": "SENT",
    "trash": "TRASH",
    "spam": "SPAM",
    "drafts": "DRAFT",
    "draft": "DRAFT",
    "starred": "STARRED",
    "important": "IMPORTANT",
}


@dataclass(frozen=True)
class MailQuery:
    """A compiled query: AND of clauses, each an OR of tests."""

    clauses: tuple[tuple[Test, ...], ...]
    anywhere: bool
    needs_body: bool

    def matches(self, entry: MailEntry, body: BodyText) -> bool:
        """True when every clause has a passing test."""
        return all(any(test(entry, body) for test in clause) for clause in self.clauses)


def compile_mail_query(query: str | None) -> MailQuery:
    """Compile a Gmail search string; unknown operators are dropped, never errors."""
    clauses: list[list[Test]] = []
    join_next, anywhere, needs_body = False, False, False
    for token in _tokens(query or ""):
        if token == "OR":
            join_next = bool(clauses)
            continue
        if token == "AND":
            continue
        match = _OPERATOR.match(token)
        neg, op, value = match.group("neg"), (match.group("op") or "").lower(), match.group("value")
        if op == "in" and value.lower() == "anywhere":
            anywhere = True
            continue
        test = _test(op, value) if op else _words(value)
        if test is None:
            continue
        needs_body = needs_body or not op
        if neg:
            test = _negate(test)
        if join_next:
            clauses[-1].append(test)
        else:
            clauses.append([test])
        join_next = False
    return MailQuery(tuple(tuple(c) for c in clauses), anywhere, needs_body)


def _tokens(query: str) -> list[str]:
    text = re.sub(r"[(){}]", " ", query)
    try:
        return shlex.split(text, posix=True)
    except ValueError:  # an unbalanced quote: fall back to plain words
        return text.replace('"', " ").split()


def _negate(test: Test) -> Test:
    return lambda entry, body: not test(entry, body)


def _contains(field: Callable[[MailEntry], str], value: str) -> Test:
    needle = value.casefold()
    return lambda entry, body: needle in field(entry).casefold()


def _words(value: str) -> Test | None:
    needle = value.casefold().strip()
    if not needle:
        return None

    def test(entry: MailEntry, body: BodyText) -> bool:
        names = " ".join(a[0] for a in entry.attachments)
        head = f"{entry.subject} {entry.sender} {entry.to} {entry.cc} {names}".casefold()
        return needle in head or needle in body(entry).casefold()

    return test


def _test(op: str, value: str) -> Test | None:
    if not value:
        return None
    if op in ("from", "to", "cc", "subject", "filename"):
        fields = {
            "from": lambda e: e.sender,
            "to": lambda e: f"{e.to} {e.cc}",
            "cc": lambda e: e.cc,
            "subject": lambda e: e.subject,
            "filename": lambda e: " ".join(a[0] for a in e.attachments),
        }
        return _contains(fields[op], value)
    if op == "has":
        return (lambda entry, body: bool(entry.attachments)) if value.lower() == "attachment" else None
    if op in ("label", "in", "is"):
        return _label_test(op, value)
    if op in ("after", "before"):
        bound = _day(value)
        if bound is None:
            return None
        if op == "after":
            return lambda entry, body: entry.date is not None and entry.date >= bound
        return lambda entry, body: entry.date is not None and entry.date < bound
    return None


def _label_test(op: str, value: str) -> Test | None:
    word = value.lower()
    if op == "is" and word == "read":
        return lambda entry, body: "UNREAD" not in entry.labels
    if op in ("is", "in"):
        wanted = _IN.get(word) or (word.upper() if word in ("unread", "starred", "important") else None)
    else:
        wanted = label_id(value.replace("-", " ")) or value
    if wanted is None:
        return None
    aliases = {alias for alias in (wanted, label_id(value), value) if alias}
    return lambda entry, body: bool(aliases & set(entry.labels))


def _day(value: str) -> datetime | None:
    if value.isdigit() and len(value) > 8:
        return datetime.fromtimestamp(int(value), timezone.utc)
    for fmt in ("%Y/%m/%d", "%Y-%m-%d", "%Y/%m", "%m/%d/%Y"):
        try:
            return datetime.strptime(value, fmt).replace(tzinfo=timezone.utc)
        except ValueError:
            continue
    return None
