"""Retrieval quality on a question file: does the answer's source come back in the top k hits?

A question file holds JSON lines: {"question": ..., "expected": LOCATOR-OR-PATH | [..], ...}.
A question is a hit when one of the first k hits has a locator (its own, or one of a merged
duplicate's in `also_at`) containing one of its expected
strings (case-insensitive): a full locator, a file path, a sheet name or a message id.
Other keys ("kind", "under", notes) are kept as they are; "under" scopes the search.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from kb.store import Store


@dataclass(frozen=True)
class Question:
    """One evaluation question and the locator fragments that count as its answer."""

    question: str
    expected: tuple[str, ...]
    under: str = ""
    kind: str = ""


def load_questions(path: str | Path) -> list[Question]:
    """Read a JSON-lines question file; a bad line raises ValueError naming its line number."""
    out = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            row = json.loads(line)
            expected = row["expected"]
            expected = (expected,) if isinstance(expected, str) else tuple(str(e) for e in expected)
            if not str(row["question"]).strip() or not expected or not all(e.strip() for e in expected):
                raise ValueError("empty question or expected")
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{number}: expected {{'question', 'expected'}} JSON ({exc})") from None
        out.append(Question(str(row["question"]), expected, str(row.get("under", "")), str(row.get("kind", ""))))
    return out


def matches(locator: str, expected: Sequence[str]) -> bool:
    """True when `locator` contains one of the expected fragments, ignoring case."""
    low = locator.casefold()
    return any(e.casefold() in low for e in expected)


def hit_at_k(store: Store, client_id: str, questions: Sequence[Question], k: int = 5) -> dict:
    """Search each question in the client's KB; return the hit rate and every miss with its top hits."""
    hits, misses, ranks = 0, [], []
    for q in questions:
        found = store.search(client_id, q.question, under=q.under, limit=k)
        rank = next(
            (
                n
                for n, h in enumerate(found, 1)
                if any(matches(loc, q.expected) for loc in (h.entry.locator, *h.entry.also_at))
            ),
            None,
        )
        ranks.append(rank)
        if rank is None:
            misses.append(
                {
                    "question": q.question,
                    "expected": list(q.expected),
                    "kind": q.kind,
                    "top": [h.entry.locator for h in found],
                }
            )
        else:
            hits += 1
    n = len(questions)
    mrr = sum(1 / r for r in ranks if r) / n if n else None
    return {"k": k, "questions": n, "hits": hits, "rate": hits / n if n else None, "mrr": mrr, "misses": misses}
