"""Forum rules: patterns with a kind and a machine-readable payload, checked against the sharing policy.

A rule is what an agent learned that another client's run can apply: "Drive folders named
Legal hold Legal documents", "mail from ferc.gov is Regulatory", "skip .p7s attachments".
Its identity is the hash of its kind and normalised payload (never of counts or wording), so
every client that learns the same lesson raises the same post's support.

The policy keeps client data out of the shared table: a folder name is shared only when every
word of it is generic business vocabulary (the built-in taxonomy's words and a short list of
common folder words), so "Legal" goes and "Project Falcon" or "Jane Doe" do not; a sender
domain only when it is a public-sector domain (a regulator's, e.g. ferc.gov or gov.uk), never
a company's; an extension only when it is a short alphanumeric suffix. The readable title and
body are written here from the payload, never taken from an agent.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

from kb.models import content_hash
from kb.taxonomy import load_taxonomy

FOLDER_DOMAIN, SENDER_DOMAIN, SKIP_TYPE = "folder_domain", "sender_domain", "skip_type"
KINDS = (FOLDER_DOMAIN, SENDER_DOMAIN, SKIP_TYPE)
# Which phase and source types each kind belongs to (a skip list steers explorers).
PHASE_OF = {FOLDER_DOMAIN: "structure", SENDER_DOMAIN: "structure", SKIP_TYPE: "explore"}
MAX_FOLDER_WORDS = 4
_GENERIC_FOLDER_WORDS = frozenset(
    """
    admin administration archive archives board business client clients company correspondence documents
    docs drafts files finance forms general hr human inbox internal it legal letters meetings minutes misc
    notes office old operations personnel plans policies procurement projects purchasing records reference
    regulatory reports research resources sales shared strategy team templates
""".split()
)
# Public-sector domains: a regulator's address is public, a company's is client data.
_PUBLIC_TLDS = frozenset({"gov", "mil", "int"})
_PUBLIC_SECOND_LEVEL = frozenset({"gov", "gouv", "gob", "govt", "gv", "go", "admin", "bund", "gc"})
_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_EXTENSION = re.compile(r"^[a-z0-9]{1,6}$")
_WORD = re.compile(r"[a-z]+")


@lru_cache(maxsize=1)
def vocabulary() -> frozenset[str]:
    """Words a shared folder name may use: the built-in taxonomy's words and common folder words."""
    words = set(_GENERIC_FOLDER_WORDS)
    for domain in load_taxonomy().domains:
        for text in (
            domain.name,
            domain.description,
            *domain.keywords,
            *(s.name for s in domain.skills),
            *(k for s in domain.skills for k in s.keywords),
        ):
            words.update(w for w in _WORD.findall(text.lower()) if len(w) > 1)
    return frozenset(words)


def folder_key(name: str) -> str:
    """A folder name as rules compare it: lowercased words joined by single spaces."""
    return " ".join(re.findall(r"[^\W_]+", name.casefold()))


def generic_folder(name: str) -> str:
    """The folder's normalised name if it may be shared (generic words only, no digits), else ''."""
    key = folder_key(name)
    words = key.split()
    if not words or len(words) > MAX_FOLDER_WORDS:
        return ""
    return key if all(w in vocabulary() for w in words) else ""


def public_domain(domain: str) -> str:
    """The registrable public-sector part of a mail domain ('mail.ferc.gov' -> 'ferc.gov'), else ''."""
    labels = domain.strip().strip(".").lower().split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        return ""
    if labels[-1] in _PUBLIC_TLDS:
        return ".".join(labels[-2:])
    if labels[-2:] == ["europa", "eu"]:
        return ".".join(labels[-3:]) if len(labels) >= 3 else ""
    if len(labels) >= 3 and labels[-2] in _PUBLIC_SECOND_LEVEL and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ""


def sender_domain(address: str) -> str:
    """The domain of a sender address ('Ann <ann@x.gov>' -> 'x.gov'), or ''."""
    match = re.search(r"@([A-Za-z0-9.-]+)", address or "")
    return match.group(1).lower().strip(".") if match else ""


def _name(value: object) -> str:
    text = " ".join(str(value or "").split())
    return text if 0 < len(text) <= 80 else ""


def clean_rule(kind: str, rule: dict) -> dict | None:
    """Return the rule's normalised payload if the policy lets it be shared, else None."""
    if not isinstance(rule, dict):
        return None
    if kind in (FOLDER_DOMAIN, SENDER_DOMAIN):
        domain = _name(rule.get("domain"))
        # Classification targets are taxonomy names: generic words only, like folder names.
        if not domain or generic_folder(domain) != folder_key(domain):
            return None
        if kind == FOLDER_DOMAIN:
            folder = generic_folder(str(rule.get("folder") or ""))
            return {"folder": folder, "domain": domain} if folder else None
        public = public_domain(str(rule.get("sender_domain") or ""))
        return {"sender_domain": public, "domain": domain} if public else None
    if kind == SKIP_TYPE:
        ext = str(rule.get("extension") or "").lower().lstrip(".")
        return {"extension": ext} if _EXTENSION.match(ext) else None
    return None


def rule_json(rule: dict) -> str:
    """The canonical JSON of a payload (sorted keys, no spaces): what is stored and hashed."""
    return json.dumps(rule, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def rule_origin_hash(source_type: str, phase: str, file_type: str, kind: str, rule: dict) -> str:
    """Identify a rule by where it applies, its kind and its normalised payload (case-insensitive)."""
    return content_hash("forum-rule", source_type, phase, file_type, kind, rule_json(rule).casefold())


def describe(kind: str, source_type: str, rule: dict) -> tuple[str, str]:
    """The readable title and body of a rule, written from its payload."""
    if kind == FOLDER_DOMAIN:
        return (
            f"{source_type.title()} folder names map to domains: {rule['folder']} → {rule['domain']}",
            f"Items in folders named '{rule['folder']}' belong under the {rule['domain']} domain, "
            "whatever their text leans to.",
        )
    if kind == SENDER_DOMAIN:
        return (
            f"Mail from {rule['sender_domain']} senders is {rule['domain']}",
            f"Messages sent from the public domain {rule['sender_domain']} belong under {rule['domain']}.",
        )
    return (
        f"Skip .{rule['extension']} items from {source_type}",
        f"{source_type} items of type .{rule['extension']} never yield entries: do not download them.",
    )
