"""Merge entry drafts that hold the same text: one entry stays, the others' locators go to its `also_at`.

Exact duplicates share their normalised text. Near duplicates (a quoted copy of a message, the
same attachment sent twice, a re-exported table) share most of their word 5-grams: MinHash LSH
(datasketch) proposes candidates, the real overlap of the 5-gram sets decides.
"""

from __future__ import annotations

import hashlib

from datasketch import MinHashLSH

from nodes.consolidation.dedup_copies import drop_covered_quotes, item_copies
from nodes.consolidation.text_shingles import PERMUTATIONS, body_of, minhash, normalise, shingles

NEAR = 0.8  # Jaccard of the 5-gram sets for two texts to count as the same
MIN_SHINGLES = 8  # shorter texts merge only when exactly equal


def _rank(d: dict) -> tuple:
    """Which of near-equal copies stays: an original before a quoted copy, then the fullest, then by locator."""
    quoted = ";quoted=" in d["locator"]
    return (quoted, -len(shingles(body_of(d["content"]))), d["locator"])


class _Union:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _similar(a: set[str], b: set[str]) -> bool:
    """Nearly the same text. A text merely contained in a larger one is not merged here: keeping
    the smaller would lose the rest, keeping the larger would lose the original's locator
    (a quoted copy that others already hold goes in drop_covered_quotes instead)."""
    return len(a & b) >= NEAR * len(a | b)


def _digest(text: str) -> str:
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


def duplicate_sets(drafts: list[dict]) -> list[list[int]]:
    """Indexes of drafts that hold the same text, as sets of two or more.

    An email's own text is compared without its header lines, but two short notes ("Thanks")
    from different messages stay apart: only texts of some length merge by their body.
    """
    union = _Union(len(drafts))
    full: dict[str, int] = {}
    bodies: dict[str, int] = {}
    grams: list[set[str]] = []
    for i, d in enumerate(drafts):
        quote = ";quoted=" in d["locator"]
        body = body_of(d["content"]) if quote or d.get("file_type") == "eml" else d["content"]
        g = shingles(body)
        grams.append(g)
        key = _digest(d["content"])
        if key in full:
            union.join(full[key], i)
        full.setdefault(key, i)
        if quote or len(g) >= MIN_SHINGLES:
            key = _digest(body)
            if key in bodies:
                union.join(bodies[key], i)
            bodies.setdefault(key, i)
    lsh = MinHashLSH(threshold=NEAR * 0.7, num_perm=PERMUTATIONS)
    for i, g in enumerate(grams):
        if len(g) < MIN_SHINGLES:
            continue
        m = minhash(g)
        for j in sorted(lsh.query(m)):
            # Once in a set, a candidate needs no comparison: many copies of one text stay linear.
            if union.find(j) != union.find(i) and _similar(g, grams[j]):
                union.join(j, i)
        lsh.insert(i, m)
    sets: dict[int, list[int]] = {}
    for i in range(len(drafts)):
        sets.setdefault(union.find(i), []).append(i)
    return [members for members in sets.values() if len(members) > 1]


def merge_duplicates(drafts: list[dict]) -> tuple[list[dict], int]:
    """Drafts with each set of duplicates merged into its best copy; returns (drafts, merged away).

    A whole item that repeats another (the same message stored twice) goes first: its locators
    join the kept item's first entry. Then single entries are merged.
    """
    copies = item_copies(drafts)
    if copies:
        firsts: dict[str, int] = {}
        for i, d in enumerate(drafts):
            if d["item_id"] not in copies:
                firsts.setdefault(d["item_id"], i)
        gone = [d for d in drafts if d["item_id"] in copies]
        drafts = [d for d in drafts if d["item_id"] not in copies]
        index = {d["item_id"]: n for n, d in reversed(list(enumerate(drafts)))}
        for d in gone:
            n = index[copies[d["item_id"]]]
            drafts[n] = {
                **drafts[n],
                "also_at": sorted(set(drafts[n].get("also_at") or ()) | {d["locator"]} | set(d.get("also_at") or ())),
            }
        merged_items = len(gone)
    else:
        merged_items = 0
    drop: set[int] = set()
    merged = list(drafts)
    for members in duplicate_sets(drafts):
        keep = min(members, key=lambda i: _rank(drafts[i]))
        others = [drafts[i] for i in members if i != keep]
        also = {d["locator"] for d in others} | {x for d in others for x in d.get("also_at") or ()}
        also |= set(drafts[keep].get("also_at") or ())
        also.discard(drafts[keep]["locator"])
        merged[keep] = {**drafts[keep], "also_at": sorted(also)}
        drop.update(i for i in members if i != keep)
    kept, covered = drop_covered_quotes([d for i, d in enumerate(merged) if i not in drop])
    return kept, len(drop) + merged_items + covered
