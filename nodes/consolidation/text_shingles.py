"""Texts as word 5-gram sets and MinHash signatures: what duplicate detection compares."""

from __future__ import annotations

import re

from datasketch import MinHash

SHINGLE = 5
PERMUTATIONS = 64
_HEADER_LINE = re.compile(r"^\s*(from|to|cc|bcc|date|sent|subject)\s*:", re.I)


def normalise(text: str) -> str:
    """Case, punctuation and spacing folded away."""
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split())


def body_of(text: str) -> str:
    """An email entry's text without its opening header lines (From:, To:, Date: ...)."""
    lines = text.splitlines()
    i = 0
    while i < len(lines) and (_HEADER_LINE.match(lines[i]) or (i and not lines[i].strip() and i < 12)):
        i += 1
    return "\n".join(lines[i:]) if i else text


def shingles(text: str) -> set[str]:
    """The text's runs of SHINGLE consecutive normalised words."""
    words = normalise(text).split()
    return {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def minhash(grams: set[str]) -> MinHash:
    """A MinHash signature of a 5-gram set (fixed seed: the same text, the same signature)."""
    m = MinHash(num_perm=PERMUTATIONS, seed=7)
    m.update_batch([g.encode("utf-8") for g in sorted(grams)])
    return m
