"""Synthetic KB text: words with a Zipf frequency law, so full-text doclists grow as real ones do."""

from __future__ import annotations

import itertools
import random

from kb.models import EntryDraft

_SYLLABLES = (
    "ka",
    "lo",
    "mi",
    "ne",
    "ru",
    "ta",
    "vo",
    "se",
    "di",
    "pa",
    "gu",
    "fe",
    "zo",
    "bi",
    "ha",
    "wu",
    "ce",
    "jo",
    "ly",
    "qu",
)


class Corpus:
    """A vocabulary ranked by frequency and a token stream drawn from it (rank r has weight 1/r)."""

    def __init__(self, seed: int = 7, vocabulary: int = 20_000, stream: int = 2_000_000) -> None:
        self.rng = random.Random(seed)
        words = ["".join(p) for n in (2, 3, 4) for p in itertools.product(_SYLLABLES, repeat=n)]
        self.rng.shuffle(words)
        self.words = words[:vocabulary]
        weights = itertools.accumulate(1.0 / rank for rank in range(1, len(self.words) + 1))
        self.stream = self.rng.choices(self.words, cum_weights=list(weights), k=stream)

    def text(self, words: int) -> str:
        """A passage of about `words` words taken from the stream at a random place."""
        start = self.rng.randrange(len(self.stream) - words)
        return " ".join(self.stream[start : start + words])

    def query_words(self, count: int) -> list[str]:
        """`count` query words spread over frequency ranks 10..5000 (common to fairly rare)."""
        ranks = sorted({int(10 * (500 ** (i / max(1, count - 1)))) for i in range(count)})
        return [self.words[r] for r in ranks]


def tree_names(domains: int, skills: int, groups: int) -> list[tuple[str, str, str]]:
    """Every (domain, skill, group) name triple of a regular tree."""
    return [
        (f"Domain {d}", f"Skill {d}.{s}", f"Group {d}.{s}.{g}")
        for d in range(domains)
        for s in range(skills)
        for g in range(groups)
    ]


def drafts(
    corpus: Corpus, places: list[tuple[str, str, str]], count: int, prefix: str, words: int = 60
) -> list[EntryDraft]:
    """`count` entry drafts spread round-robin over `places`, each from its own locator."""
    out = []
    for n in range(count):
        domain, skill, group = places[n % len(places)]
        out.append(
            EntryDraft(
                domain=domain,
                skill=skill,
                group=group,
                title=corpus.text(6),
                content=corpus.text(words),
                source_type="drive",
                file_type="txt",
                locator=f"drive:{prefix}/{n}.txt",
                item_id=f"{prefix}-{n}",
            )
        )
    return out
