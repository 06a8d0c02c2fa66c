"""The business taxonomy (domains with skills and keywords) and the rule-based classifier over it."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path

HINT_WEIGHT = 4.0  # a folder name, label or subject says more than a word deep in the body
NAME_WEIGHT = 3.0  # the domain's own name among the hints
TEXT_CHARS = 6000  # classification reads the head of the text: enough to see what it is about


@dataclass(frozen=True)
class Skill:
    name: str
    keywords: tuple[str, ...]
    description: str = ""


@dataclass(frozen=True)
class Domain:
    name: str
    description: str
    keywords: tuple[str, ...]
    skills: tuple[Skill, ...]


@dataclass(frozen=True)
class Taxonomy:
    domains: tuple[Domain, ...]
    fallback: tuple[str, str]

    @cached_property
    def phrase_starts(self) -> tuple[frozenset[str], int]:
        """The first words of every keyword (and domain name), and the longest keyword's length in words."""
        words = [d.name.lower() for d in self.domains]
        words += [k for d in self.domains for k in d.keywords + tuple(k for s in d.skills for k in s.keywords)]
        needles = [_needle(k)[0].split() for k in words]
        return frozenset(n[0] for n in needles if n), max(len(n) for n in needles)

    def classify(self, hints: list[str], text: str) -> tuple[str, str, float]:
        """Return (domain, skill, score) for an item from its source hints and its text."""
        hint_tokens = _grams(_tokens(" ".join(hints)), *self.phrase_starts)
        text_tokens = _grams(_tokens(text[:TEXT_CHARS]), *self.phrase_starts)
        best: tuple[float, str, str] = (0.0, *self.fallback)
        for domain in self.domains:
            base = NAME_WEIGHT * _hits(domain.keywords + (domain.name.lower(),), hint_tokens)
            base += 0.5 * _hits(domain.keywords, text_tokens)
            for skill in domain.skills:
                score = base
                score += HINT_WEIGHT * _hits(skill.keywords, hint_tokens)
                score += _hits(skill.keywords, text_tokens, cap=3)
                if score > best[0]:
                    best = (score, domain.name, skill.name)
        return best[1], best[2], best[0]

    def explain(self, hints: list[str], text: str, domain: str, skill: str, limit: int = 5) -> list[str]:
        """The keywords of a domain and skill found in the hints, then in the text: why an item went there."""
        hint_tokens, text_tokens = _tokens(" ".join(hints)), _tokens(text[:TEXT_CHARS])
        for d in self.domains:
            if d.name != domain:
                continue
            words = d.keywords + (d.name.lower(),)
            for s in d.skills:
                if s.name == skill:
                    words = s.keywords + words
            found = [k for k in words if _needle(k)[0] in hint_tokens]
            found += [k for k in words if k not in found and _needle(k)[0] in text_tokens]
            return list(dict.fromkeys(found))[:limit]
        return []

    def describe(self, domain: str) -> str:
        for d in self.domains:
            if d.name == domain:
                return d.description
        return ""


def _tokens(text: str) -> str:
    """Normalise text to ' word word ' so phrase keywords match on word boundaries."""
    # Hyphens split words ("Performance Review-Washington" holds "performance review"); keywords
    # are tokenised the same way, so "w-4" still matches "W-4" and "W 4".
    words = re.findall(r"[a-z0-9][a-z0-9']*", text.lower())
    # A plural matches its singular keyword ("candidates" -> "candidate"): fold a final "s".
    return " " + " ".join(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words) + " "


@lru_cache(maxsize=4096)
def _needle(keyword: str) -> tuple[str, float]:
    """A keyword as it appears in tokenised text, and its weight (phrases count more)."""
    return " " + " ".join(_tokens(keyword).split()) + " ", 1.0 + 0.5 * keyword.count(" ")


def _grams(tokens: str, starts: frozenset[str], longest: int) -> Counter:
    """The runs of 1 to `longest` words of a tokenised text that open with a keyword's first word,
    counted: a keyword's hits are then one lookup."""
    words = tokens.split()
    return Counter(
        " " + " ".join(words[i : i + n]) + " "
        for i, word in enumerate(words)
        if word in starts
        for n in range(1, min(longest, len(words) - i) + 1)
    )


def _hits(keywords: tuple[str, ...], grams: Counter, cap: int = 2) -> float:
    """Count keyword occurrences (each capped, so one repeated word cannot dominate)."""
    total = 0.0
    for kw in keywords:
        needle, weight = _needle(kw)
        total += min(grams[needle], cap) * weight
    return total


def parse_taxonomy(data: dict) -> Taxonomy:
    """Build a Taxonomy from its JSON form; raise ValueError naming what is wrong."""
    try:
        domains = tuple(
            Domain(
                name=d["name"],
                description=d.get("description", ""),
                keywords=tuple(k.lower() for k in d.get("keywords", [])),
                skills=tuple(
                    Skill(s["name"], tuple(k.lower() for k in s.get("keywords", [])), s.get("description", ""))
                    for s in d["skills"]
                ),
            )
            for d in data["domains"]
        )
        fb = data.get("fallback") or {"domain": "General", "skill": "Correspondence"}
        fallback = (fb["domain"], fb["skill"])
    except (KeyError, TypeError) as exc:
        raise ValueError(f"taxonomy is malformed: missing or wrong field {exc}") from exc
    if not domains or any(not d.skills for d in domains):
        raise ValueError("taxonomy needs at least one domain, and every domain at least one skill")
    return Taxonomy(domains=domains, fallback=fallback)


@lru_cache(maxsize=8)
def load_taxonomy(path: str = "") -> Taxonomy:
    """Load the built-in taxonomy, or the JSON file at `path` that replaces it."""
    if path:
        raw = Path(path).read_text(encoding="utf-8")
    else:
        raw = resources.files("kb").joinpath("taxonomy.json").read_text(encoding="utf-8")
    return parse_taxonomy(json.loads(raw))
