"""Quality measures over a client's stored entries: coverage, duplicates, citations, group sizes.

Texts are compared as sets of word shingles: runs of `SHINGLE` consecutive lowercased words
(kb.search.query.words), so whitespace, case and punctuation changes between a parsed item and the
entries made from it do not count as loss. A text shorter than one shingle is one shingle.
"""

from __future__ import annotations

from collections import Counter
from typing import Iterable, Mapping, Sequence

from kb.models import Entry, TreeNode
from kb.search.query import words

SHINGLE = 5
# An entry is a near duplicate when at least this share of its shingles occur in other entries.
NEAR_DUPLICATE = 0.9


def shingles(text: str, size: int = SHINGLE) -> set[tuple[str, ...]]:
    """Return the set of `size`-word shingles of `text` (one short shingle when it has fewer words)."""
    tokens = words(text)
    if not tokens:
        return set()
    if len(tokens) <= size:
        return {tuple(tokens)}
    return {tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def entry_text(entry: Entry) -> str:
    """The text an entry shows a reader: its title and its content."""
    return f"{entry.title}\n{entry.content}"


def item_key(locator: str) -> str:
    """Return the source item part of a locator (before the first '#'): gmail:<id>, drive:<path>, ..."""
    return locator.split("#", 1)[0]


def coverage(items: Mapping[str, str], entries: Sequence[Entry]) -> dict:
    """Share of each parsed item's shingles found in the client's entries.

    `items` maps an item locator to its parsed text. Entries are pooled per client, so text
    merged into an entry of another item (a deduplicated attachment) still counts as kept.
    Returns {"mean", "weighted", "items": {locator: share}}; "weighted" pools all shingles.
    """
    pool: set[tuple[str, ...]] = set()
    for entry in entries:
        pool |= shingles(entry_text(entry))
    joined: str | None = None  # every entry's words, for items shorter than one shingle
    per_item, kept, total = {}, 0, 0
    for locator in sorted(items):
        grams = shingles(items[locator])
        if not grams:
            continue
        short = next(iter(grams)) if len(grams) == 1 and len(next(iter(grams))) < SHINGLE else None
        if short is not None:
            if joined is None:
                joined = "\n".join(" " + " ".join(words(entry_text(e))) + " " for e in entries)
            found = int(f" {' '.join(short)} " in joined)
        else:
            found = len(grams & pool)
        per_item[locator] = found / len(grams)
        kept, total = kept + found, total + len(grams)
    mean = sum(per_item.values()) / len(per_item) if per_item else None
    return {"mean": mean, "weighted": kept / total if total else None, "items": per_item}


def duplicates(entries: Sequence[Entry]) -> dict:
    """Exact and near-duplicate shares of the client's entry texts (contents, titles aside).

    Exact: the entry's normalised content equals an earlier entry's. Near: at least
    NEAR_DUPLICATE of its shingles also occur in another entry (exact copies included).
    """
    if not entries:
        return {"entries": 0, "exact": 0, "exact_rate": 0.0, "near": 0, "near_rate": 0.0}
    seen: set[str] = set()
    exact = 0
    grams = [shingles(e.content) for e in entries]
    holders: Counter = Counter(g for entry_grams in grams for g in entry_grams)
    near = 0
    for entry, entry_grams in zip(entries, grams):
        norm = " ".join(words(entry.content))
        if norm in seen:
            exact += 1
        seen.add(norm)
        if entry_grams and sum(holders[g] > 1 for g in entry_grams) >= NEAR_DUPLICATE * len(entry_grams):
            near += 1
    n = len(entries)
    return {"entries": n, "exact": exact, "exact_rate": exact / n, "near": near, "near_rate": near / n}


def citations(entries: Sequence[Entry], known_items: Iterable[str]) -> dict:
    """Share of entries whose locators (also those in `also_at`) name items that exist in the sources."""
    known = set(known_items)

    def resolves(e: Entry) -> bool:
        return all(item_key(loc) in known for loc in (e.locator, *e.also_at))

    broken = sorted({e.locator for e in entries if not resolves(e)})
    bad = sum(1 for e in entries if not resolves(e))
    n = len(entries)
    return {"entries": n, "resolved": n - bad, "rate": (n - bad) / n if n else None, "unresolved": broken}


def single_entry_groups(tree: Sequence[TreeNode], entries: Sequence[Entry]) -> dict:
    """Share of entry groups that hold exactly one entry."""
    groups = [n.id for n in tree if n.level == "entry_group"]
    sizes = Counter(e.tree_node_id for e in entries)
    single = sum(1 for g in groups if sizes[g] == 1)
    return {"groups": len(groups), "single": single, "rate": single / len(groups) if groups else None}
