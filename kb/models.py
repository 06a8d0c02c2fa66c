"""Data model shared by every KB backend: tree nodes, entries, forum posts, ledger rows."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from typing import Literal

Level = Literal["domain", "skill", "entry_group"]
LEVELS: tuple[Level, ...] = ("domain", "skill", "entry_group")
Phase = Literal["explore", "structure"]
PHASES: tuple[Phase, ...] = ("explore", "structure")
ItemStatus = Literal["ok", "failed", "skipped", "deleted"]


class KBError(Exception):
    """Base class of every error the knowledge base raises."""


class LevelError(KBError):
    """A tree write would break the three-level shape (domain -> skill -> entry_group)."""


class ScopeError(KBError):
    """A read or write named no client, or crossed from one client into another."""


def content_hash(*parts: str) -> str:
    """Return the sha256 hex digest of the parts, joined unambiguously."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def node_id(client_id: str, parent_id: str | None, slug: str) -> str:
    """Return the stable id of a tree node: the same place in the same tree gets the same id."""
    return content_hash("node", client_id, parent_id or "", slug)[:32]


def entry_id(client_id: str, entry_hash: str) -> str:
    """Return the stable id of an entry from its client and content hash."""
    return content_hash("entry", client_id, entry_hash)[:32]


def _normalise(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split())


def forum_origin_hash(source_type: str, phase: str, file_type: str, title: str, body: str) -> str:
    """Identify a forum pattern by its filters and its (scrubbed) text, ignoring case and punctuation."""
    return content_hash("forum", source_type, phase, file_type, _normalise(title) + "\n" + _normalise(body))


def forum_client_hash(client_id: str) -> str:
    """Hash a client id for the forum's sightings: the shared table never holds the id itself."""
    return hashlib.sha256(f"grove-forum-client\0{client_id}".encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class TreeNode:
    """One node of a client's tree; `parent_id` is None for a domain."""

    id: str
    client_id: str
    parent_id: str | None
    level: Level
    name: str
    slug: str
    description: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class EntryDraft:
    """An entry as a structurer proposes it: placed by names, not yet by ids."""

    domain: str
    skill: str
    group: str
    title: str
    content: str
    source_type: str
    file_type: str
    locator: str
    item_id: str
    group_description: str = ""
    also_at: tuple[str, ...] = ()  # locators of the same text elsewhere (merged duplicates)
    group_key: str = ""  # the topic the entry belongs to (thread, document, sheet); not stored

    def hash(self, client_id: str) -> str:
        """Identity of the entry's content for one client: same text, same place, same source."""
        return content_hash(client_id, self.locator, self.title, self.content)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "EntryDraft":
        fields = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        fields["also_at"] = tuple(fields.get("also_at") or ())
        return cls(**fields)


@dataclass(frozen=True)
class Entry:
    """A stored entry, attached to an entry_group and carrying its domain and skill ids."""

    id: str
    client_id: str
    tree_node_id: str
    domain_id: str
    skill_id: str
    title: str
    content: str
    source_type: str
    file_type: str
    locator: str
    item_id: str
    content_hash: str
    run_id: str
    also_at: tuple[str, ...] = ()  # locators of the same text elsewhere

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class SearchHit:
    """One search result: the entry, its tree path (domain, skill, group names), a snippet."""

    entry: Entry
    path: tuple[str, str, str]
    snippet: str
    score: float

    def to_dict(self) -> dict:
        return {
            "title": self.entry.title,
            "path": "/".join(self.path),
            "snippet": self.snippet,
            "locator": self.entry.locator,
            "source_type": self.entry.source_type,
            "file_type": self.entry.file_type,
            "entry_id": self.entry.id,
            "score": self.score,
            "also_at": list(self.entry.also_at),
        }


@dataclass(frozen=True)
class ForumDraft:
    """A pattern an agent wants to share; the store scrubs the body before writing it.

    A rule (`kind` set, see kb.forum.rules) carries its payload as canonical JSON in `rule`;
    its identity is that payload, and its title and body are written from it.
    """

    source_type: str
    phase: Phase
    file_type: str
    title: str
    body: str
    kind: str = ""
    rule: str = ""


@dataclass(frozen=True)
class ForumPost:
    """A stored forum post. `origin_hash` identifies the pattern; repeats raise `support_count`."""

    id: str
    source_type: str
    phase: Phase
    file_type: str
    title: str
    body: str
    origin_hash: str
    support_count: int = 1
    kind: str = ""
    rule: str = ""

    def to_dict(self) -> dict:
        return asdict(self)

    def rule_data(self) -> dict:
        """The rule's payload (empty for a plain text pattern)."""
        return json.loads(self.rule) if self.rule else {}


@dataclass(frozen=True)
class SourceItem:
    """A ledger row: what the last run saw of one source item and what became of it."""

    client_id: str
    source_type: str
    item_id: str
    revision: str
    content_hash: str
    status: ItemStatus
    reason: str = ""
    last_seen_run_id: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class UpsertResult:
    """What an entry upsert did: how many rows were new and how many were already there."""

    inserted: int = 0
    unchanged: int = 0
    entry_ids: list[str] = field(default_factory=list)
