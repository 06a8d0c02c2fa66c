"""Strip client data (addresses, numbers, ids, names) from text bound for the shared forum."""

from __future__ import annotations

import json
import re
from email.utils import getaddresses
from typing import Iterable

import phonenumbers

from kb.forum import rules as forum_rules
from kb.models import PHASES, ForumDraft, forum_origin_hash

# Order matters: URLs and emails first (they contain digits and ids), generic numbers last.
_URL_WITH_QUERY = re.compile(r"\b(?:https?|ftp)://[^\s?#<>\"]*[?#][^\s<>\"]*[^\s<>\".,;:!?)\]]", re.I)
# Permissive on purpose: non-public TLDs (bob@corp.local) are client data too.
_EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)*", re.UNICODE)
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]){11,30}\b")
_CARD = re.compile(r"\b\d(?:[ -]?\d){12,18}\b")
_ACCOUNT = re.compile(
    r"\b(?P<label>(?:account|acct|a/c|routing|sort code|swift|bic|ssn|social security|"
    r"tax id|ein|employee id|customer id|invoice|ref(?:erence)?)"
    r"(?:\s*(?:no\.?|number|num|#|id))?\s*[:#]?\s*)"
    r"(?P<value>(?=[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9-]{3,}(?:[ /]\d[\d-]*)*)",
    re.I,
)
_STREET = re.compile(
    r"\b\d{1,6}\s+(?:[A-Z][\w.'-]*\s+){1,4}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|"
    r"Drive|Dr|Lane|Ln|Way|Court|Ct|Place|Pl|Parkway|Pkwy|Suite|Ste|Floor|Fl)\b",
)
_DIGIT_GROUPS = re.compile(r"(?<![\w])\+?\(?\d(?:[\d\s().,/-]*\d)?(?![\w])")
_DATE = re.compile(r"^(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4})$")
_LONG_DIGITS = re.compile(r"\d{6,}")
_MIXED_ID = re.compile(r"\b(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[A-Za-z0-9_-]{16,}\b")
_HEADER = re.compile(
    r"^[ \t>]*(?:from|to|cc|bcc|reply-to|sender|delivered-to|x-from|x-to|x-cc|x-bcc)[ \t]*:"
    r"(.*(?:\n[ \t]+\S.*)*)",  # with folded continuation lines
    re.I | re.M,
)
_MIN_GROUP_DIGITS = 7
_MIN_NAME_PART = 3
# A closing line ("Best regards,") or the "-- " delimiter, then the line that signs the mail.
_SIGN_OFF = re.compile(
    r"^[ \t>]*(?i:(?:best|kind|warm|warmest)?\s*regards|best|thanks|many thanks|thank you|cheers|"
    r"sincerely|yours(?: sincerely| truly)?|all the best|--)"
    r"(?:[ \t]*[,.!]?[ \t]*\n+[ \t>]*|[ \t]*,[ \t]*)"
    r"(?P<name>[A-Z][\w'’.-]*(?:[ \t]+[A-Z][\w'’.-]*){0,3})[ \t]*$",
    re.M,
)
_NOT_A_NAME = frozenset(
    {
        "the",
        "team",
        "group",
        "department",
        "dept",
        "office",
        "inc",
        "ltd",
        "llc",
        "support",
        "service",
        "services",
        "desk",
        "staff",
        "management",
        "board",
        "committee",
        "all",
        "everyone",
        "us",
    }
)
# Markdown images and links, and HTML images: a renderer would fetch or link an outside URL.
_MD_IMAGE = re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)")
_MD_LINK = re.compile(r"(?<!!)\[([^\]\n]*)\]\([^)\n]*\)")
_HTML_IMAGE = re.compile(r"<\s*img\b[^>]*>", re.I)


def header_names(text: str) -> list[str]:
    """Return the display names found in address headers (From:, To:, Cc:, ...) of `text`."""
    names: list[str] = []
    for value in _HEADER.findall(text):
        for name, _ in getaddresses([value]):
            name = name.strip().strip("\"'")
            if name and "@" not in name:
                names.append(name)
    return names


def signature_names(text: str) -> list[str]:
    """Return the names that sign off a message in `text` ("Regards,\\nJane Doe" gives "Jane Doe")."""
    names = []
    for match in _SIGN_OFF.finditer(text):
        name = match.group("name").strip()
        words = [w.strip(".").casefold() for w in name.split()]
        # Single capitalised words are names too ("Thanks, Jeff"), but not "Thanks, The Team".
        if words and not any(w in _NOT_A_NAME for w in words):
            names.append(name)
    return names


def strip_links(text: str) -> str:
    """Replace markdown/HTML images with [image] and markdown links with their text, so no URL renders."""
    text = _MD_IMAGE.sub("[image]", text)
    text = _HTML_IMAGE.sub("[image]", text)
    return _MD_LINK.sub(lambda m: m.group(1) or "[link]", text)


def _name_patterns(names: Iterable[str]) -> list[re.Pattern[str]]:
    """Full names match in any case; their single parts only as capitalised words."""
    full: set[str] = set()
    parts: set[str] = set()
    for name in names:
        name = " ".join(name.replace(",", " ").split())
        if not name:
            continue
        full.add(name)
        words = name.split()
        if len(words) > 1:  # "Last, First" as directories and signatures write it
            full.add(" ".join([words[-1], *words[:-1]]))
        for part in name.split():
            part = part.strip(".'\"")
            if len(part) >= _MIN_NAME_PART and part[0].isalpha():
                parts.add(part[0].upper() + part[1:].lower())
                parts.add(part.upper())
    patterns: list[re.Pattern[str]] = []
    for name in sorted(full, key=len, reverse=True):
        words = [re.escape(w) for w in name.split()]
        patterns.append(re.compile(r"(?<!\w)" + r"[\s,]+".join(words) + r"(?!\w)", re.I))
    if parts:
        alts = "|".join(re.escape(p) for p in sorted(parts, key=len, reverse=True))
        patterns.append(re.compile(rf"(?<!\w)(?:{alts})(?!\w)"))
    return patterns


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def _card(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group())
    return "[card]" if _luhn(digits) else match.group()


def _phones(text: str) -> str:
    # International (+49 ...) numbers match in any region; national ones are read as US.
    out, last = [], 0
    for m in phonenumbers.PhoneNumberMatcher(text, "US"):
        out.append(text[last : m.start])
        out.append("[phone]")
        last = m.end
    out.append(text[last:])
    return "".join(out)


def _digit_groups(match: re.Match[str]) -> str:
    value = match.group()
    if _DATE.match(value.strip()):
        return value
    if sum(ch.isdigit() for ch in value) >= _MIN_GROUP_DIGITS:
        return "[number]"
    return match.group()


def scrub(text: str, names: Iterable[str] = ()) -> str:
    """Return `text` with emails, phones, account/card/IBAN numbers, ids, query URLs,
    street addresses and person names replaced by bracketed placeholders.

    Names come from `names`, from any address headers (From:, To:, ...) inside the text and
    from the lines that sign off a message. Markdown and HTML images and links are flattened
    first, so a pattern can never make a reader fetch or follow an outside URL.
    """
    all_names = [*names, *header_names(text), *signature_names(text)]
    text = strip_links(text)
    text = _URL_WITH_QUERY.sub("[url]", text)
    text = _EMAIL.sub("[email]", text)
    text = _IBAN.sub("[iban]", text)
    text = _CARD.sub(_card, text)
    text = _ACCOUNT.sub(lambda m: m.group("label") + "[account]", text)
    text = _phones(text)
    text = _STREET.sub("[address]", text)
    text = _DIGIT_GROUPS.sub(_digit_groups, text)
    text = _LONG_DIGITS.sub("[number]", text)
    text = _MIXED_ID.sub("[id]", text)
    for pattern in _name_patterns(all_names):
        text = pattern.sub("[name]", text)
    return text


def scrub_drafts(drafts: Iterable[ForumDraft], names: Iterable[str] = ()) -> list[tuple[ForumDraft, str]]:
    """Scrub forum drafts for storage, as every backend stores them: each kept draft with its origin hash.

    Drafts whose title and body scrub to nothing are dropped; an unknown phase is refused.
    A rule (`kind` set) is kept only if the sharing policy of kb.forum.rules allows its payload;
    its title and body are then written from the payload, and its identity is the payload's.
    """
    names = list(names)
    kept = []
    for d in drafts:
        if d.phase not in PHASES:
            raise ValueError(f"forum phase must be one of {PHASES}, got {d.phase!r}")
        if d.kind:
            if rule := _scrub_rule(d, names):
                kept.append(rule)
            continue
        title, body = scrub(d.title, names).strip(), scrub(d.body, names).strip()
        if title or body:
            clean = ForumDraft(d.source_type, d.phase, d.file_type, title, body)
            kept.append((clean, forum_origin_hash(d.source_type, d.phase, d.file_type, title, body)))
    return kept


def _scrub_rule(d: ForumDraft, names: list[str]) -> tuple[ForumDraft, str] | None:
    """The stored form of a rule draft and its origin hash, or None when the policy refuses it."""
    try:
        payload = json.loads(d.rule) if d.rule else {}
    except ValueError:
        return None
    rule = forum_rules.clean_rule(d.kind, payload)
    if rule is None:
        return None
    title, body = forum_rules.describe(d.kind, d.source_type, rule)
    # The payload passed the policy; the text is scrubbed as well, so no check depends on one guard.
    title, body = scrub(title, names).strip(), scrub(body, names).strip()
    clean = ForumDraft(d.source_type, d.phase, d.file_type, title, body, d.kind, forum_rules.rule_json(rule))
    return clean, forum_rules.rule_origin_hash(d.source_type, d.phase, d.file_type, d.kind, rule)
