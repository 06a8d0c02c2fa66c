"""Apply the forum rules an agent trusts: classification by folder or sender domain, skip lists.

The rules come from `read_hints`, which reads only what passes the forum's k-client gate
(k distinct clients posted the rule, or this client did itself). When two trusted rules
disagree on the same key (one folder, two domains), the better supported wins; a rule naming
a domain the client's taxonomy lacks is ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kb.forum import rules as forum_rules
from kb.taxonomy import Taxonomy
from tools.parsers import SUPPORTED_TYPES

# Types the parsers read (and their aliases and archives): a skip rule never applies to them, so
# a rule learned where a type was unreadable lapses once the parsers learn to read it.
READABLE = SUPPORTED_TYPES | {
    "zip",
    "tar",
    "gz",
    "tgz",
    "htm",
    "xhtml",
    "xlsm",
    "tsv",
    "markdown",
    "text",
    "docm",
    "pptm",
    "dot",
    "pps",
}


@dataclass(frozen=True)
class Decision:
    """A placement a trusted rule made, and why."""

    domain: str
    skill: str
    why: str


@dataclass
class TrustedRules:
    """The trusted rules of one agent, indexed by what they key on."""

    folders: dict[str, tuple[str, int]] = field(default_factory=dict)  # folder -> (domain, support)
    senders: dict[str, tuple[str, int]] = field(default_factory=dict)  # public domain -> (domain, support)
    skips: dict[str, set[str]] = field(default_factory=dict)  # source type -> extensions

    def decide(self, item: dict, meta: dict, text: str, hints: list[str], taxonomy: Taxonomy) -> Decision | None:
        """The domain and skill a rule gives this item, or None when no trusted rule covers it.

        The skill is the best one of the rule's domain for the item's own hints and text.
        """
        key, domain = self._match(item, meta)
        if not domain:
            return None
        found = [d for d in taxonomy.domains if d.name.casefold() == domain.casefold()]
        if not found:
            return None
        within = Taxonomy(domains=(found[0],), fallback=(found[0].name, found[0].skills[0].name))
        _, skill, _ = within.classify(hints, text)
        return Decision(found[0].name, skill, key)

    def _match(self, item: dict, meta: dict) -> tuple[str, str]:
        if item.get("source_type") == "drive":
            # The deepest folder with a rule says the most about the file.
            for folder in reversed(folders_of(item)):
                if rule := self.folders.get(forum_rules.folder_key(folder)):
                    return f"forum rule: folder '{forum_rules.folder_key(folder)}' -> {rule[0]}", rule[0]
        if item.get("source_type") == "gmail" and item.get("kind") == "message":
            public = forum_rules.public_domain(forum_rules.sender_domain(str(meta.get("sender") or "")))
            if public and (rule := self.senders.get(public)):
                return f"forum rule: mail from {public} -> {rule[0]}", rule[0]
        return "", ""

    def skipped(self, source_type: str, name: str) -> str:
        """Why an item named `name` is not worth downloading, or '' when no trusted rule says so."""
        ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if ext and ext not in READABLE and ext in self.skips.get(source_type, ()):
            return f"forum rule: .{ext} items yield no entries"
        return ""


def folders_of(item: dict) -> list[str]:
    """The folder names of a Drive item, root first, from its locator (drive:<folders>/<file>)."""
    path = str(item.get("locator") or "").partition(":")[2]
    return [part for part in path.split("/")[:-1] if part]


def _better(table: dict, key: str, domain: str, support: int) -> None:
    if key and (key not in table or (support, domain) > (table[key][1], table[key][0])):
        table[key] = (domain, support)


def trusted_rules(hints: list[dict]) -> TrustedRules:
    """Index the rules among an agent's hints (plain text hints are for models and are skipped)."""
    rules = TrustedRules()
    for hint in hints or []:
        kind, rule, support = hint.get("kind"), hint.get("rule") or {}, int(hint.get("support") or 0)
        if kind == forum_rules.FOLDER_DOMAIN:
            _better(
                rules.folders,
                forum_rules.folder_key(str(rule.get("folder") or "")),
                str(rule.get("domain") or ""),
                support,
            )
        elif kind == forum_rules.SENDER_DOMAIN:
            _better(rules.senders, str(rule.get("sender_domain") or ""), str(rule.get("domain") or ""), support)
        elif kind == forum_rules.SKIP_TYPE and rule.get("extension"):
            rules.skips.setdefault(str(hint.get("source_type") or ""), set()).add(str(rule["extension"]))
    return rules


# Most forum rules a model reads in its instructions (the best supported); the offline brain applies all.
PROMPT_RULES = 20


def prompt_hints(hints: list[dict]) -> list[dict]:
    """The hints a model reads: every text hint and the best-supported rules, up to PROMPT_RULES."""
    rules = sorted((h for h in hints or [] if h.get("kind")), key=lambda h: (-int(h.get("support") or 0), h["title"]))
    return [h for h in hints or [] if not h.get("kind")] + rules[:PROMPT_RULES]
