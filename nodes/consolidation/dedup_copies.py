"""Whole-copy passes of deduplication: a message stored twice, a quoted message others already hold."""

from __future__ import annotations

from datasketch import MinHashLSH

from nodes.consolidation.text_shingles import PERMUTATIONS, body_of, minhash, shingles

CONTAINED = 0.9  # a quoted copy goes when this share of its 5-grams is held by other entries
MIN_SHINGLES = 8


def item_copies(drafts: list[dict]) -> dict[str, str]:
    """Items whose whole text is (nearly) another item's, mapped to the item kept: a message stored twice."""
    texts: dict[str, list[str]] = {}
    for d in sorted(drafts, key=lambda d: d["locator"]):
        texts.setdefault(d["item_id"], []).append(body_of(d["content"]))
    grams = {i: shingles("\n".join(t)) for i, t in texts.items()}
    lsh = MinHashLSH(threshold=0.85, num_perm=PERMUTATIONS)
    copies: dict[str, str] = {}
    for item in sorted(grams, key=lambda i: (-len(grams[i]), i)):
        g = grams[item]
        if len(g) < MIN_SHINGLES:
            continue
        m = minhash(g)
        for other in sorted(lsh.query(m)):
            if len(g & grams[other]) >= 0.95 * len(g):
                copies[item] = copies.get(other, other)
                break
        else:
            lsh.insert(item, m)
    return copies


def drop_covered_quotes(drafts: list[dict]) -> tuple[list[dict], int]:
    """A quoted message whose text other entries already hold (spread over several) is kept once:
    it goes, and its locator joins the entry that shares most of it."""
    grams = [shingles(body_of(d["content"])) for d in drafts]
    # Only the 5-grams of quoted entries are looked up, so only theirs are indexed.
    wanted = set().union(*(grams[i] for i, d in enumerate(drafts) if ";quoted=" in d["locator"]))
    holders: dict[str, set[int]] = {}
    for i, g in enumerate(grams):
        for x in g & wanted if len(g) > len(wanted) else (x for x in g if x in wanted):
            holders.setdefault(x, set()).add(i)
    drop: set[int] = set()
    out = list(drafts)
    order = sorted(
        (i for i, d in enumerate(drafts) if ";quoted=" in d["locator"]),
        key=lambda i: (len(grams[i]), drafts[i]["locator"]),
    )
    for i in order:
        g = grams[i]
        if not g or sum(1 for x in g if len(holders[x]) > (i in holders[x])) < CONTAINED * len(g):
            continue
        shares: dict[int, int] = {}
        for x in g:
            for j in holders[x]:
                if j != i:
                    shares[j] = shares.get(j, 0) + 1
        best = min(shares, key=lambda j: (-shares[j], drafts[j]["locator"]))
        out[best] = {
            **out[best],
            "also_at": sorted(
                set(out[best].get("also_at") or ()) | {drafts[i]["locator"]} | set(out[i].get("also_at") or ())
            ),
        }
        drop.add(i)
        for x in g:
            holders[x].discard(i)
    return [d for i, d in enumerate(out) if i not in drop], len(drop)
