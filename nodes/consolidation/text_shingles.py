"""Texts as word 5-gram sets and MinHash signatures: what duplicate detection compares."""

from __future__ import annotations

import re
import zlib
from functools import lru_cache

from datasketch import MinHash

SHINGLE = 5
PERMUTATIONS = 64
_HEADER_LINE = re.compile(r"^\s*(from|to|cc|bcc|date|sent|subject)\s*:", re.I)
_WORD = re.compile(r"\w+")


def normalise(text: str) -> str:
    """Case, punctuation and spacing folded away."""
    return " ".join(_WORD.findall(text.casefold()))


@lru_cache(maxsize=16384)
def body_of(text: str) -> str:
    """An email entry's text without its opening header lines (From:, To:, Date: ...)."""
    lines = text.splitlines()
    i = 0
    while i < len(lines) and (_HEADER_LINE.match(lines[i]) or (i and not lines[i].strip() and i < 12)):
        i += 1
    return "\n".join(lines[i:]) if i else text


def shingles(text: str) -> frozenset[str]:
    """The text's runs of SHINGLE consecutive normalised words (cached: each pass of dedup asks again)."""
    return _shingles(text)


@lru_cache(maxsize=16384)
def _shingles(text: str) -> frozenset[str]:
    words = normalise(text).split()
    return frozenset(" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1))


_SEED = MinHash(num_perm=PERMUTATIONS, seed=7)  # its permutations are made once and shared by every signature


@lru_cache(maxsize=16384)
def minhash(grams: frozenset[str]) -> MinHash:
    """A MinHash signature of a 5-gram set (fixed seed and CRC-32 hashing: the same text, the same signature)."""
    m = MinHash(
        num_perm=PERMUTATIONS, seed=7, hashfunc=zlib.crc32, permutations=_SEED.permutations, scheme=_SEED.scheme
    )
    m.update_batch([g.encode("utf-8") for g in grams])
    return m
