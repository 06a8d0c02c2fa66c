"""Turn a plain-language question into an FTS5 query that BM25 can rank."""

from __future__ import annotations

import re

MAX_TERMS = 32
_TOKEN = re.compile(r"[^\W_]+")

# English function words and question words: they match almost every entry and rank nothing.
STOP_WORDS = frozenset(
    """
    a about above after again against all am an and any are aren as at be because been
    before being below between both but by can cannot could did do does doing don doesn didn down
    during each few for from further had has have having he her here hers herself him
    himself his how i if in into is isn it its itself just let me more most my myself no
    nor not now of off on once only or other ought our ours ourselves out over own same
    she should so some such than that the their theirs them themselves then there these
    they this those through to too under until up very was we were what when where which
    while who whom why will with would you your yours yourself yourselves s t d ll m re ve
    please tell show find give know get got need want does anyone anything something
    """.split()
)


def words(text: str) -> list[str]:
    """Return the lowercased words of `text`, in order, stop words included."""
    return _TOKEN.findall(text.casefold())


def query_terms(text: str) -> list[str]:
    """Return the distinct, lowercased content words of `text`, in order of first use."""
    seen: dict[str, None] = {}
    for token in _TOKEN.findall(text.casefold()):
        if token not in STOP_WORDS and token not in seen:
            seen[token] = None
    return list(seen)[:MAX_TERMS]


def fts_query(text: str) -> str | None:
    """Return an FTS5 MATCH expression OR-ing the quoted terms of `text`, or None if it has none.

    Every term is quoted, so FTS5 operators or punctuation typed by a user are searched as
    words, never parsed as query syntax.
    """
    terms = query_terms(text)
    if not terms:
        return None
    return " OR ".join(f'"{term}"' for term in terms)
